package dev.tabard.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.codec.Base64Url;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeySealer;
import dev.tabard.crypto.KeyType;
import dev.tabard.crypto.VerificationKey;
import dev.tabard.did.Did;
import dev.tabard.did.key.KeyDidResolver;
import dev.tabard.fetch.FetchPolicy;
import dev.tabard.fetch.SafeFetcher;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.Verifier;
import dev.tabard.wallet.oid4vci.IssuanceClient;
import dev.tabard.wallet.store.WalletStore;
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
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A wallet file sealed with scrypt, as every one was before Argon2id, still opens with the same key; on open the key
 * moves to Argon2id in one transaction, and a re-seal that fails half-way leaves the file as it was.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WalletSealingUpgradeTest {

    private static final String SECRET = "wallet secret";
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dir;

    private Wallet open(Path file, String secret) {
        SafeFetcher fetcher = new SafeFetcher(FetchPolicy.builder().build());
        KeyDidResolver resolver = new KeyDidResolver();
        Verifier verifier = Verifier.builder().resolver(resolver).trustPolicy(TrustPolicy.builder().trustAnyIssuer().build())
                .fetchPolicy(fetcher.policy()).build();
        return Wallet.open(file, secret.toCharArray(), verifier, new IssuanceClient(fetcher, Clock.systemUTC()), Clock.systemUTC());
    }

    /**
     * Makes a wallet file the way the scrypt sealer left it: a wallet whose key is then sealed under
     * {@code v1.15.8.1.<salt>} (the only parameters it wrote) and that string stored as meta {@code sealing}, with
     * plain JDBC. Returns the wallet's DID.
     */
    private Did scryptSealedWallet(Path file) throws Exception {
        Did did;
        try (Wallet w = open(file, SECRET)) {
            did = w.did();
        }
        byte[] salt = new byte[KeySealer.SALT_BYTES];
        RANDOM.nextBytes(salt);
        KeySealer scrypt = KeySealer.open(SECRET.toCharArray(), "v1.15.8.1." + Base64Url.encode(salt), RANDOM);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            Map<String, String> meta = meta(c);
            KeySealer argon2id = KeySealer.open(SECRET.toCharArray(), meta.get("sealing"), RANDOM);
            put(c, "key.sealed", argon2id.resealUnder(scrypt, meta.get("key.sealed"), "wallet-key"));
            put(c, "sealing", scrypt.parameters());
        }
        return did;
    }

    private static void put(Connection c, String key, String value) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("UPDATE meta SET value = ? WHERE key = ?")) {
            ps.setString(1, value);
            ps.setString(2, key);
            assertEquals(1, ps.executeUpdate());
        }
    }

    private static Map<String, String> meta(Connection c) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT key, value FROM meta")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }

    /** The file's meta rows, read with a connection of its own. */
    private static Map<String, String> readBack(Path file) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            return meta(c);
        }
    }

    private static void signsAs(Wallet w, Did did) {
        assertEquals(did, w.did());
        byte[] message = "presentation".getBytes(StandardCharsets.UTF_8);
        w.signer().publicKey().verifier().verify(message, w.signer().sign(message));
    }

    @Test
    void open_fileSealedWithScrypt_keepsItsKey_andStoresItUnderArgon2id() throws Exception {
        Path file = dir.resolve("agent.wallet");
        Did did = scryptSealedWallet(file);
        Map<String, String> before = readBack(file);
        assertTrue(before.get("sealing").startsWith("v1.15.8.1."), before.get("sealing"));

        try (Wallet w = open(file, SECRET)) {
            signsAs(w, did);
        }
        Map<String, String> after = readBack(file);
        assertTrue(after.get("sealing").startsWith("v2.argon2id."), after.get("sealing"));
        assertNotEquals(before.get("key.sealed"), after.get("key.sealed"));
        // the stored key opens under the stored parameters, to the private key of the public key on record
        KeySealer reopened = KeySealer.open(SECRET.toCharArray(), after.get("sealing"), RANDOM);
        KeyPair.fromPrivateKey(KeyType.valueOf(after.get("key.type")), reopened.open(after.get("key.sealed"), "wallet-key"),
                VerificationKey.fromMultibase(after.get("key.public")));

        // a second open has nothing to upgrade
        try (Wallet w = open(file, SECRET)) {
            signsAs(w, did);
        }
        assertEquals(after, readBack(file));
    }

    @Test
    void open_fileSealedWithScrypt_wrongSecret_isUnauthorized_andChangesNothing() throws Exception {
        Path file = dir.resolve("agent.wallet");
        scryptSealedWallet(file);
        Map<String, String> before = readBack(file);
        ProblemException e = assertThrows(ProblemException.class, () -> open(file, "not the secret"));
        assertEquals(ProblemType.UNAUTHORIZED, e.type(), e.getMessage());
        assertEquals(before, readBack(file));
    }

    @Test
    void resealKey_failingHalfWay_changesNothing_andTheFileStillOpensAndUpgrades() throws Exception {
        Path file = dir.resolve("agent.wallet");
        Did did = scryptSealedWallet(file);
        Map<String, String> before = readBack(file);
        KeySealer legacy = KeySealer.open(SECRET.toCharArray(), before.get("sealing"), RANDOM);
        KeySealer upgraded = KeySealer.create(SECRET.toCharArray(), RANDOM);
        String resealed = legacy.resealUnder(upgraded, before.get("key.sealed"), "wallet-key");
        try (WalletStore store = WalletStore.open(file)) {
            // the sealed key is written inside the transaction; the parameters no longer match, so it is rolled back
            assertFalse(store.resealKey(upgraded.parameters(), upgraded.parameters(), resealed));
        }
        assertEquals(before, readBack(file));

        try (Wallet w = open(file, SECRET)) {
            signsAs(w, did);
        }
        assertTrue(readBack(file).get("sealing").startsWith("v2.argon2id."));
    }

    /** Defect 8 for the older format: scrypt parameters the old code would have run, up to 16 GiB. */
    @Test
    void open_scryptParametersEditedBeyondTheBounds_isRefusedBeforeDeriving_andChangesNothing() throws Exception {
        Path file = dir.resolve("agent.wallet");
        scryptSealedWallet(file);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE meta SET value = 'v1.22.32.1.' || substr(value, 11) WHERE key = 'sealing'");
        }
        Map<String, String> before = readBack(file);
        long start = System.nanoTime();
        ProblemException e = assertThrows(ProblemException.class, () -> open(file, SECRET));
        assertEquals(ProblemType.LIMIT_EXCEEDED, e.type(), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 1_000, "16 GiB of scrypt were not attempted");
        assertEquals(before, readBack(file));
    }
}
