package dev.tabard.issuer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.audit.AuditEntry;
import dev.tabard.audit.AuditKey;
import dev.tabard.audit.SignedHead;
import dev.tabard.vc.status.StatusPurpose;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stores written by releases before Flyway, whose schema version is {@code PRAGMA user_version} (1 to 3): written
 * here with that release's statements, then opened by the store, which migrates them forward with their data and
 * audit chain intact.
 */
class SqliteSchemaUpgradeTest {

    /** The schema steps of the release before Flyway, as its Migrations class ran them. */
    private static final List<String> OLD_STEPS = List.of("""
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE org_keys (id TEXT PRIMARY KEY, public_multibase TEXT NOT NULL, sealed_private TEXT NOT NULL,
                state TEXT NOT NULL, created TEXT NOT NULL, retire_after TEXT);
            CREATE TABLE agents (did TEXT PRIMARY KEY, name TEXT NOT NULL, operator_name TEXT NOT NULL, operator_email TEXT,
                capabilities TEXT NOT NULL, constraints TEXT NOT NULL, delegation_allowed INTEGER NOT NULL,
                delegation_depth INTEGER NOT NULL, active INTEGER NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL);
            CREATE TABLE status_lists (id INTEGER PRIMARY KEY, purpose TEXT NOT NULL, length INTEGER NOT NULL,
                bits BLOB NOT NULL, version INTEGER NOT NULL, allocated INTEGER NOT NULL);
            CREATE TABLE status_allocations (list_id INTEGER NOT NULL, idx INTEGER NOT NULL, credential_id TEXT NOT NULL,
                PRIMARY KEY (list_id, idx));
            CREATE TABLE credentials (id TEXT PRIMARY KEY, agent_did TEXT NOT NULL, issued TEXT NOT NULL, valid_until TEXT NOT NULL,
                revocation_list INTEGER NOT NULL, revocation_index INTEGER NOT NULL, suspension_list INTEGER NOT NULL,
                suspension_index INTEGER NOT NULL, key_id TEXT NOT NULL);
            CREATE INDEX credentials_agent ON credentials (agent_did);
            CREATE TABLE audit (seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
                subject TEXT NOT NULL, details TEXT NOT NULL, previous_hash TEXT NOT NULL, hash TEXT NOT NULL);
            CREATE TABLE admin_tokens (name TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, role TEXT NOT NULL)
            """, """
            CREATE TABLE audit_heads (seq INTEGER PRIMARY KEY, jws TEXT NOT NULL)
            """, """
            CREATE TABLE delegations (id TEXT PRIMARY KEY REFERENCES credentials (id), delegator TEXT NOT NULL,
                delegate TEXT NOT NULL, root_credential TEXT NOT NULL, root_agent TEXT NOT NULL, parent TEXT NOT NULL,
                capabilities TEXT NOT NULL, task TEXT, valid_until TEXT NOT NULL, registered TEXT NOT NULL);
            CREATE INDEX delegations_delegator ON delegations (delegator);
            CREATE INDEX delegations_root_agent ON delegations (root_agent)
            """);

    @TempDir
    Path dir;

    private Connection raw() throws Exception {
        return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("issuer.db"));
    }

    /** A store at schema {@code version} with an org key, one credential (revoked) and three audit entries. */
    private void writeOldStore(int version, boolean signedHead) throws Exception {
        try (Connection c = raw(); Statement s = c.createStatement()) {
            for (int v = 0; v < version; v++) {
                for (String sql : OLD_STEPS.get(v).split(";")) {
                    s.executeUpdate(sql);
                }
            }
            s.executeUpdate("PRAGMA user_version = " + version);
            s.executeUpdate("INSERT INTO meta VALUES ('did', 'did:web:old.example')");
            s.executeUpdate("INSERT INTO org_keys VALUES ('key-1', '" + StoreFixtures.ORG_KEY.publicKey().toMultibase()
                    + "', 'sealed', 'ACTIVE', '2026-01-01T00:00:00Z', NULL)");
            byte[] bits = new byte[StatusTables.LIST_LENGTH / 8];
            bits[5] = (byte) 0x80; // index 40 revoked
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO status_lists VALUES (?, ?, ?, ?, 2, 1)")) {
                ps.setInt(1, 1);
                ps.setString(2, "revocation");
                ps.setInt(3, StatusTables.LIST_LENGTH);
                ps.setBytes(4, bits);
                ps.executeUpdate();
                ps.setInt(1, 2);
                ps.setString(2, "suspension");
                ps.setBytes(4, new byte[StatusTables.LIST_LENGTH / 8]);
                ps.executeUpdate();
            }
            s.executeUpdate("INSERT INTO status_allocations VALUES (1, 40, 'urn:uuid:old'), (2, 7, 'urn:uuid:old')");
            s.executeUpdate("INSERT INTO credentials VALUES ('urn:uuid:old', 'did:example:agent', '2026-01-01T00:00:00Z', "
                    + "'2026-01-01T01:00:00Z', 1, 40, 2, 7, 'key-1')");
            String head = AuditEntry.GENESIS;
            for (int seq = 1; seq <= 3; seq++) {
                AuditEntry e = AuditEntry.next(seq, Instant.parse("2026-01-01T00:00:0" + seq + "Z"), "admin", "step", "urn:uuid:old", "{}", head);
                AuditTables.append(c, e);
                head = e.hash();
            }
            if (signedHead) {
                SignedHead h = SignedHead.sign(3, head, Instant.parse("2026-01-01T00:00:04Z"), new AuditKey("key-1", StoreFixtures.ORG_KEY));
                AuditTables.insertHead(c, h);
            }
        }
    }

    private int userVersion() throws Exception {
        try (Connection c = raw(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            return rs.getInt(1);
        }
    }

    @Test
    void open_storeAtSchema3_migratesForwardWithDataAndChainIntact() throws Exception {
        writeOldStore(3, true);
        try (IssuerStore store = SqliteIssuerStore.open(dir.resolve("issuer.db"), Clock.systemUTC(), new SecureRandom())) {
            assertEquals(Optional.of("did:web:old.example"), store.meta("did"));
            IssuedCredential old = store.credential("urn:uuid:old").orElseThrow();
            assertEquals(1, store.statusList(old.revocationList()).orElseThrow().bits().get(old.revocationIndex()));
            StoreFixtures.assertChainIntact(store, 3);
            StoreFixtures.keyAndSign(store);
            IssuedCredential next = StoreFixtures.issue(store);
            assertTrue(next.revocationList() == 1 && next.revocationIndex() != 40, "the old list goes on, its index stays taken");
            store.setStatus(next.id(), StatusPurpose.SUSPENSION, true, new IssuerStore.Audit("test", "suspend", next.id(), "{}"));
            StoreFixtures.assertChainIntact(store, 5);
            store.oneUse(new OneUseValues.Kind("nonce", java.time.Duration.ofMinutes(1), 1, 10)).put("a", "k", "v");
        }
        assertEquals(5, userVersion(), "the file's user_version follows its schema");
        try (Connection c = raw(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version, type FROM flyway_schema_history ORDER BY installed_rank")) {
            assertTrue(rs.next());
            assertEquals("3", rs.getString(1));
            assertEquals("BASELINE", rs.getString(2));
            assertTrue(rs.next());
            assertEquals("4", rs.getString(1));
            assertTrue(rs.next());
            assertEquals("5", rs.getString(1));
        }
    }

    @Test
    void open_storeAtSchema1_addsTheLaterTablesAndSignsItsChainOnce() throws Exception {
        writeOldStore(1, false);
        try (IssuerStore store = SqliteIssuerStore.open(dir.resolve("issuer.db"), Clock.systemUTC(), new SecureRandom())) {
            StoreFixtures.keyAndSign(store); // a store from before signed heads gets its first one now
            StoreFixtures.assertChainIntact(store, 3);
            assertEquals(List.of(), store.delegations(StoreFixtures.AGENT, 10));
        }
        assertEquals(5, userVersion());
    }

    @Test
    void open_storeFromANewerRelease_refuses() throws Exception {
        SqliteIssuerStore.open(dir.resolve("issuer.db"), Clock.systemUTC(), new SecureRandom()).close();
        try (Connection c = raw(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, "
                    + "installed_by, installed_on, execution_time, success) VALUES (99, '99', 'future', 'SQL', 'V99__future.sql', 0, "
                    + "'test', '2030-01-01 00:00:00', 1, 1)");
            s.executeUpdate("PRAGMA user_version = 99"); // as the newer release's migration sets it
        }
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SqliteIssuerStore.open(dir.resolve("issuer.db"), Clock.systemUTC(), new SecureRandom()));
        assertTrue(e.getMessage().contains("newer release"), e.getMessage());
        try (Connection c = raw(); Statement s = c.createStatement()) {
            s.executeUpdate("DROP TABLE flyway_schema_history");
        }
        e = assertThrows(IllegalStateException.class, () -> SqliteIssuerStore.open(dir.resolve("issuer.db"), Clock.systemUTC(), new SecureRandom()));
        assertTrue(e.getMessage().contains("newer release"), e.getMessage());
    }
}
