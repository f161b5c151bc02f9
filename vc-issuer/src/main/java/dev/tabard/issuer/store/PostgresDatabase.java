package dev.tabard.issuer.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * A PostgreSQL database shared by several issuer processes, through a connection pool. Cross-instance locks are
 * advisory locks: {@code pg_advisory_xact_lock} inside a write transaction (released by its commit or rollback), and a
 * session {@code pg_advisory_lock} on a connection of its own for a bootstrap. Both die with their connection, so a
 * killed instance holds nothing. Transactions run at READ COMMITTED: each statement after the lock sees every commit
 * made before the lock was granted.
 */
final class PostgresDatabase implements Database {

    /** The writer's batches, the bootstrap's session, and concurrent reads. */
    private static final int POOL_SIZE = 10;

    private final HikariDataSource pool;

    private PostgresDatabase(HikariDataSource pool) {
        this.pool = pool;
    }

    static PostgresDatabase open(DatabaseSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.jdbcUrl());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(POOL_SIZE);
        config.setPoolName("tabard-issuer-store");
        config.setConnectionTimeout(10_000);
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        return new PostgresDatabase(new HikariDataSource(config));
    }

    DataSource dataSource() {
        return pool;
    }

    @Override
    public <T> T write(long lockKey, Sql<T> work) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                lock(c, "SELECT pg_advisory_xact_lock(?)", lockKey);
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                // on a connection the server cut, rollback fails too: the first failure is the one that says why
                try {
                    c.rollback();
                } catch (SQLException alsoFailed) {
                    e.addSuppressed(alsoFailed);
                }
                throw e;
            } finally {
                try {
                    c.setAutoCommit(true);
                } catch (SQLException broken) {
                    // a broken connection: the pool discards it rather than hand it out again
                }
            }
        } catch (SQLException e) {
            throw Database.failure(e);
        }
    }

    @Override
    public <T> T read(Sql<T> work) {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw Database.failure(e);
        }
    }

    @Override
    public <T> T exclusively(Supplier<T> work) {
        try (Connection c = pool.getConnection()) {
            lock(c, "SELECT pg_advisory_lock(?)", BOOTSTRAP_LOCK);
            try {
                return work.get();
            } finally {
                lock(c, "SELECT pg_advisory_unlock(?)", BOOTSTRAP_LOCK);
            }
        } catch (SQLException e) {
            throw Database.failure(e);
        }
    }

    private static void lock(Connection c, String sql, long key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, key);
            ps.executeQuery().close();
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
