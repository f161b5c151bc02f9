package dev.tabard.issuer.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.sqlite.SQLiteDataSource;

/**
 * Brings a store's schema up to date with Flyway, from the SQL files under {@code db/sqlite} and {@code db/postgresql}
 * (the same versions, in each engine's SQL). Applied migrations that this release does not know (a store written by
 * a newer release) are an error, not ignored.
 *
 * <p>SQLite stores from before Flyway carry their version in {@code PRAGMA user_version} (1 to 3) and have no history
 * table: Flyway baselines them at that version and applies the rest. Every SQLite migration also sets
 * {@code user_version}, which stays the file's own record of its schema: when it is lower than the history claims (the
 * tables were put back to an older state), the history rows above it are dropped so those steps run again.
 */
final class Schema {

    private static final String HISTORY = "flyway_schema_history";
    /** The newest {@code user_version} a store made before Flyway can have. */
    private static final int LAST_BEFORE_FLYWAY = 3;

    private Schema() {
    }

    static void migrateSqlite(Path file) {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        int userVersion;
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
                userVersion = rs.getInt(1);
            }
            boolean history;
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '" + HISTORY + "'")) {
                history = rs.getInt(1) == 1;
            }
            if (!history && userVersion > LAST_BEFORE_FLYWAY) {
                throw new IllegalStateException("the issuer store " + file + " has schema " + userVersion + " and no migration "
                        + "history: it was written by a newer release, which this one cannot open");
            }
            if (history && userVersion > 0) {
                s.executeUpdate("DELETE FROM " + HISTORY + " WHERE CAST(version AS INTEGER) > " + userVersion);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the schema version of " + file + ": " + e.getMessage(), e);
        }
        migrate(ds, "db/sqlite", Math.max(userVersion, 1), file.toString());
    }

    static void migratePostgres(DataSource ds, String where) {
        migrate(ds, "db/postgresql", 1, where);
    }

    private static void migrate(DataSource ds, String location, int baselineVersion, String where) {
        try {
            Flyway.configure(Schema.class.getClassLoader())
                    .dataSource(ds)
                    .locations("classpath:" + location)
                    .baselineOnMigrate(true)
                    .baselineVersion(String.valueOf(baselineVersion))
                    .baselineDescription("schema from before Flyway")
                    .ignoreMigrationPatterns(new String[0])
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new IllegalStateException("cannot bring the issuer store's schema up to date (" + where + "); a store written by a "
                    + "newer release cannot be opened by this one: " + e.getMessage(), e);
        }
    }
}
