package dev.tabard.wallet.store;

import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import org.sqlite.SQLiteConfig;

/**
 * Whether a path holds a wallet, found without changing it: SQLite turns an empty file into a database and a wallet
 * store adds its tables to any database it opens, so the check reads the header and then the key through a read-only
 * connection before {@link WalletStore#open(Path)} is allowed near the file.
 */
final class ExistingWalletFile {

    /** The first bytes of every SQLite database file. */
    private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    private ExistingWalletFile() {
    }

    /** @throws ProblemException as {@link WalletStore#openExisting(Path)} */
    static void check(Path file) {
        if (!Files.exists(file)) {
            throw new ProblemException(ProblemType.RESOURCE_NOT_FOUND, "there is no wallet at " + file);
        }
        if (!Files.isRegularFile(file)) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "the wallet " + file + " is not a file");
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(SQLITE_HEADER.length);
        } catch (IOException e) {
            throw new ProblemException(ProblemType.FORBIDDEN, "the wallet " + file + " cannot be read; check its permissions");
        }
        if (head.length == 0) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "the wallet file " + file + " is empty, not a wallet");
        }
        if (!Arrays.equals(head, SQLITE_HEADER) || !recordsAKey(file)) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, file + " is not a wallet file");
        }
    }

    /** Whether the database records a wallet key, read through a read-only connection that cannot change it. */
    private static boolean recordsAKey(Path file) {
        SQLiteConfig readOnly = new SQLiteConfig();
        readOnly.setReadOnly(true);
        try (Connection ro = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), readOnly.toProperties());
             Statement s = ro.createStatement()) {
            try (ResultSet tables = s.executeQuery("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'")) {
                if (!tables.next()) {
                    return false;
                }
            }
            try (ResultSet key = s.executeQuery("SELECT 1 FROM meta WHERE key = 'key.public'")) {
                return key.next();
            }
        } catch (SQLException e) {
            return false; // not a database SQLite can read
        }
    }
}
