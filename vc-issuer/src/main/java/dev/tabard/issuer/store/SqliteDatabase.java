package dev.tabard.issuer.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.sqlite.SQLiteConfig;

/**
 * One SQLite file: a writer connection behind a lock (SQLite serializes writers anyway) whose transactions begin
 * {@code IMMEDIATE}, so a transaction holds the file's write lock from its first statement and the audit chain's end
 * it reads cannot move under it; and a reader connection that, in WAL mode, sees the last commit without waiting.
 * The lock keys of {@link Database#write} all map to the one writer.
 */
final class SqliteDatabase implements Database {

    private final Connection writer;
    private final Connection reader;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock bootstrapLock;

    /** One bootstrap lock per file in this process, so two stores opened on one file exclude each other too. */
    private static final Map<Path, ReentrantLock> BOOTSTRAP_LOCKS = new ConcurrentHashMap<>();

    private SqliteDatabase(Connection writer, Connection reader, ReentrantLock bootstrapLock) {
        this.writer = writer;
        this.reader = reader;
        this.bootstrapLock = bootstrapLock;
    }

    static SqliteDatabase open(Path file) throws SQLException {
        String url = "jdbc:sqlite:" + file.toAbsolutePath();
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(5000);
        config.enforceForeignKeys(true);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        Connection w = config.createConnection(url);
        try {
            SQLiteConfig readConfig = new SQLiteConfig();
            readConfig.setBusyTimeout(5000);
            return new SqliteDatabase(w, readConfig.createConnection(url),
                    BOOTSTRAP_LOCKS.computeIfAbsent(file.toAbsolutePath().normalize(), f -> new ReentrantLock()));
        } catch (SQLException | RuntimeException e) {
            w.close();
            throw e;
        }
    }

    @Override
    public <T> T write(long lockKey, Sql<T> work) {
        writeLock.lock();
        try {
            writer.setAutoCommit(false);
            try {
                T result = work.run(writer);
                writer.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                writer.rollback();
                throw e;
            } finally {
                writer.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw Database.failure(e);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public <T> T read(Sql<T> work) {
        readLock.lock();
        try {
            return work.run(reader);
        } catch (SQLException e) {
            throw Database.failure(e);
        } finally {
            readLock.unlock();
        }
    }

    /** One process opens a SQLite store, so a lock in this process (per file) is enough. */
    @Override
    public <T> T exclusively(Supplier<T> work) {
        bootstrapLock.lock();
        try {
            return work.get();
        } finally {
            bootstrapLock.unlock();
        }
    }

    @Override
    public void close() {
        writeLock.lock();
        try {
            reader.close();
            writer.close();
        } catch (SQLException e) {
            throw Database.failure(e);
        } finally {
            writeLock.unlock();
        }
    }
}
