package dev.tabard.issuer.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;

/**
 * {@link IssuerStore} in one SQLite file, for an issuer that runs as one process: WAL journal, a busy timeout, one
 * transaction per change, issuances committed in groups. The file and the admin-token key beside it are owner-only.
 */
public final class SqliteIssuerStore extends JdbcIssuerStore {

    /** The store's file in an issuer's data directory. */
    public static final String FILE_NAME = "issuer.db";

    /** Entries per status list: the spec's minimum, for group privacy. */
    public static final int LIST_LENGTH = StatusTables.LIST_LENGTH;

    private SqliteIssuerStore(SqliteDatabase db, Path dataDir, Clock clock, SecureRandom random) {
        super(db, dataDir, false, clock, random);
    }

    /**
     * Opens or creates the store in {@code file}, bringing its schema up to date (a store from any earlier release
     * opens, its data and audit chain as they were). The file, and the directory when it is created here, are
     * owner-only; SQLite gives its {@code -wal} and {@code -shm} files the database file's permissions.
     *
     * @throws IllegalStateException when the file cannot be opened, was written by a newer release, or the admin-token
     *     key beside it is missing or not the one its tokens were hashed with
     */
    public static SqliteIssuerStore open(Path file, Clock clock, SecureRandom random) {
        Path absolute = file.toAbsolutePath();
        SqliteDatabase db;
        try {
            OwnerOnlyFiles.createDirectories(absolute.getParent());
            OwnerOnlyFiles.createOrRestrict(absolute);
            for (String suffix : new String[] {"-wal", "-shm", "-journal"}) {
                Path companion = absolute.resolveSibling(absolute.getFileName() + suffix);
                if (Files.exists(companion)) {
                    OwnerOnlyFiles.createOrRestrict(companion);
                }
            }
            Schema.migrateSqlite(absolute);
            db = SqliteDatabase.open(absolute);
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("cannot open the issuer store " + file + ": " + e.getMessage(), e);
        }
        try {
            return new SqliteIssuerStore(db, absolute.getParent(), clock, random);
        } catch (RuntimeException e) {
            // a store that refuses to open (a missing admin-token key) leaves no connection behind
            db.close();
            throw e;
        }
    }
}
