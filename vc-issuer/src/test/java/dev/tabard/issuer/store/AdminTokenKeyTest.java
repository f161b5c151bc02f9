package dev.tabard.issuer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.issuer.IssuerService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Admin tokens in a real SQLite file: keyed hashes, the key file beside it, and stores made before the key. */
class AdminTokenKeyTest {

    private static final String TOKEN = "tabard_1wO7ZyS0m6Jc1xJk9o3W0d2Rr6L9t8QyVn5u4Xs3Ya0";
    private static final IssuerStore.Audit AUDIT = new IssuerStore.Audit("test", "admin.token.create", "ops", "{}");

    @TempDir
    Path dir;

    private SqliteIssuerStore open() {
        return SqliteIssuerStore.open(dir.resolve("issuer.db"), Clock.systemUTC(), new SecureRandom());
    }

    private String storedHash(String name) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("issuer.db"));
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT token_hash FROM admin_tokens WHERE name = '" + name + "'")) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }

    private void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("issuer.db")); Statement s = c.createStatement()) {
            s.executeUpdate(statement);
        }
    }

    @Test
    void putAdminToken_storesAKeyedHashAndKeepsTheKeyOwnerOnly() throws Exception {
        try (SqliteIssuerStore store = open()) {
            store.putAdminToken("ops", IssuerService.tokenHash(TOKEN), "issue", AUDIT);
            assertEquals(Optional.of(new IssuerStore.AdminToken("ops", "issue")), store.adminToken(IssuerService.tokenHash(TOKEN)));
            assertEquals(Optional.empty(), store.adminToken(IssuerService.tokenHash(TOKEN + "x")));
        }
        String stored = storedHash("ops");
        assertTrue(stored.startsWith(AdminTokenKey.PREFIX), stored);
        assertFalse(stored.contains(IssuerService.tokenHash(TOKEN)), "the bare SHA-256 is not in the database");
        Path key = dir.resolve(AdminTokenKey.FILE_NAME);
        assertEquals(32, Files.size(key));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    }

    @Test
    void keyedHash_differsBetweenInstallations() throws Exception {
        try (SqliteIssuerStore store = open()) {
            store.putAdminToken("ops", IssuerService.tokenHash(TOKEN), "issue", AUDIT);
        }
        String first = storedHash("ops");
        Files.delete(dir.resolve("issuer.db"));
        Files.delete(dir.resolve(AdminTokenKey.FILE_NAME));
        try (SqliteIssuerStore store = open()) {
            store.putAdminToken("ops", IssuerService.tokenHash(TOKEN), "issue", AUDIT);
        }
        assertFalse(first.equals(storedHash("ops")), "the same token hashes differently under another installation's key");
    }

    @Test
    void open_storeWithBareSha256Hashes_reKeysThemAndTheTokensKeepWorking() throws Exception {
        // a store as versions before the key wrote it: a bare SHA-256 per token and no key file
        open().close();
        Files.delete(dir.resolve(AdminTokenKey.FILE_NAME));
        sql("INSERT INTO admin_tokens VALUES ('legacy', '" + IssuerService.tokenHash("short") + "', 'admin')");

        try (SqliteIssuerStore store = open()) {
            assertEquals(Optional.of(new IssuerStore.AdminToken("legacy", "admin")), store.adminToken(IssuerService.tokenHash("short")));
        }
        String stored = storedHash("legacy");
        assertTrue(stored.startsWith(AdminTokenKey.PREFIX), stored);
        try (SqliteIssuerStore store = open()) {
            assertEquals("admin", store.adminToken(IssuerService.tokenHash("short")).orElseThrow().role(), "still works after re-keying");
        }
        assertEquals(stored, storedHash("legacy"), "re-keyed once");
    }

    @Test
    void open_keyFileMissingWhileHashesUseIt_refusesToStartSayingToRestoreIt() throws Exception {
        try (SqliteIssuerStore store = open()) {
            store.putAdminToken("ops", IssuerService.tokenHash(TOKEN), "issue", AUDIT);
        }
        Files.delete(dir.resolve(AdminTokenKey.FILE_NAME));
        IllegalStateException e = assertThrows(IllegalStateException.class, this::open);
        assertTrue(e.getMessage().contains("restore it"), e.getMessage());
        assertFalse(Files.exists(dir.resolve(AdminTokenKey.FILE_NAME)), "no new key replaces the lost one");
    }

    @Test
    void open_anotherKeyFileWhileHashesUseTheirs_refusesNamingTheFile() throws Exception {
        try (SqliteIssuerStore store = open()) {
            store.putAdminToken("ops", IssuerService.tokenHash(TOKEN), "issue", AUDIT);
        }
        Files.write(dir.resolve(AdminTokenKey.FILE_NAME), new byte[32]);
        IllegalStateException e = assertThrows(IllegalStateException.class, this::open);
        assertTrue(e.getMessage().contains("is not the key this store's admin tokens were hashed with"), e.getMessage());
    }

    @Test
    void open_keyFileReadableByOthers_isRefusedSayingChmod() throws Exception {
        open().close();
        Path key = dir.resolve(AdminTokenKey.FILE_NAME);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        IllegalStateException e = assertThrows(IllegalStateException.class, this::open);
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
    }
}
