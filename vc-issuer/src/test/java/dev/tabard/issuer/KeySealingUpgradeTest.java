package dev.tabard.issuer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.audit.AuditEntry;
import dev.tabard.audit.AuditLog;
import dev.tabard.codec.Base64Url;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeySealer;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.key.KeyDids;
import dev.tabard.issuer.agents.Agent;
import dev.tabard.issuer.keys.OrgKey;
import dev.tabard.issuer.store.IssuerStore;
import dev.tabard.issuer.store.SqliteIssuerStore;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.AgentClaims;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An issuer data directory sealed with scrypt, as every one was before Argon2id, still opens and signs; on open its keys
 * move to Argon2id in one audited transaction, and a re-seal that fails half-way leaves the store as it was.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KeySealingUpgradeTest {

    private static final char[] SECRET = "upgrade secret".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dir;

    private IssuerConfig config() {
        return new IssuerConfig(dir, URI.create("https://issuer.acme.example"), "web", "ACME", SECRET, Duration.ofHours(1), Optional.empty(),
                8443, true);
    }

    private Path db() {
        return dir.resolve("issuer.db");
    }

    private SqliteIssuerStore openStore() {
        return SqliteIssuerStore.open(db(), Clock.systemUTC(), RANDOM);
    }

    /**
     * Makes a store the way the scrypt sealer left it: an issuer with an active Ed25519 and P-256 key and a published
     * Ed25519 key, whose keys are then
     * sealed under {@code v1.15.8.1.<salt>} (the only parameters it wrote) and that string stored as meta {@code sealing},
     * with plain JDBC, as an older version wrote rows. Returns the scrypt parameters.
     */
    private String scryptSealedStore() throws Exception {
        try (SqliteIssuerStore store = openStore()) {
            IssuerService service = Issuers.open(store, config(), Clock.systemUTC(), RANDOM);
            service.addKey(KeyType.ED25519, "test");
        }
        byte[] salt = new byte[KeySealer.SALT_BYTES];
        RANDOM.nextBytes(salt);
        KeySealer scrypt = KeySealer.open(SECRET, "v1.15.8.1." + Base64Url.encode(salt), RANDOM);
        assertTrue(scrypt.needsUpgrade());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db())) {
            KeySealer argon2id = KeySealer.open(SECRET, meta(c), RANDOM);
            for (Map.Entry<String, String> row : sealedKeys(c).entrySet()) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE org_keys SET sealed_private = ? WHERE id = ?")) {
                    ps.setString(1, argon2id.resealUnder(scrypt, row.getValue(), "org-key " + row.getKey()));
                    ps.setString(2, row.getKey());
                    assertEquals(1, ps.executeUpdate());
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE meta SET value = ? WHERE key = 'sealing'")) {
                ps.setString(1, scrypt.parameters());
                assertEquals(1, ps.executeUpdate());
            }
        }
        return scrypt.parameters();
    }

    private static String meta(Connection c) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT value FROM meta WHERE key = 'sealing'")) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }

    private static Map<String, String> sealedKeys(Connection c) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id, sealed_private FROM org_keys")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }

    /** Reads the store as a backup tool would: the stored parameters and sealed keys, with its own connection. */
    private Map<String, String> readBack() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db())) {
            Map<String, String> out = new TreeMap<>(sealedKeys(c));
            out.put("sealing", meta(c));
            return out;
        }
    }

    private static long resealEntries(IssuerStore store) {
        return store.audit(0, 10_000).stream().map(AuditEntry::action).filter("keys.reseal"::equals).count();
    }

    /** Issues an AgentCredential as vc+jwt and checks its signature against the active key's public key. */
    private static void signs(IssuerService service) {
        KeyPair agentKey = KeyPair.generate(KeyType.ED25519, RANDOM);
        Did agent = KeyDids.of(agentKey.publicKey());
        Instant now = Instant.now();
        service.putAgent(new Agent(agent, "buyer", new AgentClaims.Operator("ops", Optional.empty()), Set.of("orders:read"),
                AgentClaims.Constraints.none(), AgentClaims.Delegation.none(), true, now, now), "test");
        String jwt = service.issue(agent, IssuanceFormat.VC_JWT, "test").vcJwt();
        String[] parts = jwt.split("\\.");
        OrgKey active = service.keys().stream().filter(k -> k.state() == OrgKey.State.ACTIVE && k.publicKey().type() == KeyType.ED25519)
                .findFirst().orElseThrow();
        active.publicKey().verifier().verify((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII), Base64Url.decode(parts[2]));
    }

    @Test
    void open_storeSealedWithScrypt_signs_andStoresEveryKeyUnderArgon2idInOneAuditedChange() throws Exception {
        String scrypt = scryptSealedStore();
        Map<String, String> before = readBack();
        assertEquals(scrypt, before.get("sealing"));

        try (SqliteIssuerStore store = openStore()) {
            IssuerService service = Issuers.open(store, config(), Clock.systemUTC(), RANDOM);
            signs(service);

            Map<String, String> after = readBack();
            String argon2id = after.get("sealing");
            assertTrue(argon2id.startsWith("v2.argon2id."), argon2id);
            KeySealer reopened = KeySealer.open(SECRET, argon2id, RANDOM);
            List<OrgKey> keys = store.keys();
            assertEquals(3, keys.size(), "the active Ed25519 and P-256 keys and the published one");
            for (OrgKey k : keys) {
                assertFalse(before.get(k.id()).equals(k.sealedPrivateKey()), k.id() + " was re-sealed");
                // opens under the stored parameters, to the private key of the public key on record
                KeyPair.fromPrivateKey(k.publicKey().type(), reopened.open(k.sealedPrivateKey(), "org-key " + k.id()), k.publicKey());
            }
            assertEquals(1, resealEntries(store));
            AuditEntry reseal = store.audit(0, 10_000).stream().filter(e -> e.action().equals("keys.reseal")).findFirst().orElseThrow();
            for (String id : List.of("key-1", "key-2", "p256-1")) {
                assertTrue(reseal.detailsJson().contains("\"" + id + "\""), reseal.detailsJson());
            }
            assertTrue(AuditLog.verify(store, Optional.empty()).intact(), "the re-seal entry is chained and signed like every other");
        }

        // a second start has nothing to upgrade
        try (SqliteIssuerStore store = openStore()) {
            IssuerService service = Issuers.open(store, config(), Clock.systemUTC(), RANDOM);
            signs(service);
            assertEquals(1, resealEntries(store));
            assertTrue(AuditLog.verify(store, Optional.empty()).intact());
        }
    }

    @Test
    void resealKeys_failingHalfWay_changesNothing_andTheStoreStillOpensAndUpgrades() throws Exception {
        String scrypt = scryptSealedStore();
        Map<String, String> before = readBack();
        KeySealer legacy = KeySealer.open(SECRET, scrypt, RANDOM);
        KeySealer upgraded = KeySealer.create(SECRET, RANDOM);
        String key1 = legacy.resealUnder(upgraded, before.get("key-1"), "org-key key-1");
        String key2 = legacy.resealUnder(upgraded, before.get("key-2"), "org-key key-2");
        String p256 = legacy.resealUnder(upgraded, before.get("p256-1"), "org-key p256-1");
        IssuerStore.Audit audit = new IssuerStore.Audit("test", "keys.reseal", "sealing", "{}");

        try (SqliteIssuerStore store = openStore()) {
            // the parameters row and key-1 are written inside the transaction before the unknown key stops it
            Map<String, String> withUnknown = new LinkedHashMap<>();
            withUnknown.put("key-1", key1);
            withUnknown.put("key-2", key2);
            withUnknown.put("p256-1", p256);
            withUnknown.put("key-99", key2);
            assertThrows(IllegalStateException.class, () -> store.resealKeys(scrypt, upgraded.parameters(), withUnknown, audit));
            assertEquals(before, readBack());
            // a key left out would stay sealed under parameters no longer stored
            assertThrows(IllegalStateException.class, () -> store.resealKeys(scrypt, upgraded.parameters(), Map.of("key-1", key1), audit));
            assertEquals(before, readBack());
            // parameters other than the stored ones: another process re-sealed first
            assertThrows(IllegalStateException.class, () -> store.resealKeys(upgraded.parameters(), upgraded.parameters(),
                    Map.of("key-1", key1, "key-2", key2, "p256-1", p256), audit));
            assertEquals(before, readBack());
            assertEquals(0, resealEntries(store));
        }

        try (SqliteIssuerStore store = openStore()) {
            IssuerService service = Issuers.open(store, config(), Clock.systemUTC(), RANDOM);
            signs(service);
            assertTrue(readBack().get("sealing").startsWith("v2.argon2id."));
            assertEquals(1, resealEntries(store));
            assertTrue(AuditLog.verify(store, Optional.empty()).intact());
        }
    }

    @Test
    void open_scryptParametersEditedBeyondTheBounds_isRefusedBeforeDeriving_andChangesNothing() throws Exception {
        scryptSealedStore();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db()); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE meta SET value = 'v1.22.32.1.' || substr(value, 11) WHERE key = 'sealing'");
        }
        Map<String, String> before = readBack();
        try (SqliteIssuerStore store = openStore()) {
            long start = System.nanoTime();
            ProblemException e = assertThrows(ProblemException.class,
                    () -> Issuers.open(store, config(), Clock.systemUTC(), RANDOM));
            assertEquals(ProblemType.LIMIT_EXCEEDED, e.type(), e.getMessage());
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 1_000, "16 GiB of scrypt were not attempted");
        }
        assertEquals(before, readBack());
    }
}
