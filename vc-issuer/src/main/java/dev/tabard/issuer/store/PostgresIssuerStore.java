package dev.tabard.issuer.store;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;

/**
 * {@link IssuerStore} in a PostgreSQL database that several issuer processes share, for an issuer behind a load
 * balancer. Each instance keeps a connection pool and its own group-commit writer; what must be one across instances
 * is held by the database: the audit chain's end is read under an advisory lock every instance takes
 * ({@code pg_advisory_xact_lock}), status indexes are taken by inserting them under their primary key, single-use
 * values live in a shared table, and a first start's bootstrap runs under a session advisory lock. A killed instance
 * leaves no lock and no half-written transaction: both die with its connections.
 *
 * <p>The admin-token key and the key sealing secret stay files in each instance's data directory; every instance on
 * one database needs the same copies, and one that holds another admin-token key refuses to open, naming the file.
 */
public final class PostgresIssuerStore extends JdbcIssuerStore {

    private PostgresIssuerStore(PostgresDatabase db, Path dataDir, Clock clock, SecureRandom random) {
        super(db, dataDir, true, clock, random);
    }

    /**
     * Opens the store in the database {@code settings} name, bringing its schema up to date (instances starting at
     * once migrate one at a time, under Flyway's lock).
     *
     * @param dataDir this instance's data directory, which holds the admin-token key ({@code admin-token.key})
     * @throws IllegalStateException when the database cannot be reached, was migrated by a newer release, or the
     *     admin-token key in {@code dataDir} is missing or not the one the database's tokens were hashed with
     */
    public static PostgresIssuerStore open(DatabaseSettings settings, Path dataDir, Clock clock, SecureRandom random) {
        try {
            OwnerOnlyFiles.createDirectories(dataDir.toAbsolutePath());
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the data directory " + dataDir + ": " + e.getMessage(), e);
        }
        PostgresDatabase db;
        try {
            db = PostgresDatabase.open(settings);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot reach the issuer store at " + settings + ": " + e.getMessage(), e);
        }
        try {
            Schema.migratePostgres(db.dataSource(), settings.toString());
            return new PostgresIssuerStore(db, dataDir.toAbsolutePath(), clock, random);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }
}
