package dev.tabard.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.codec.Base64Url;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.SCrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeySealerTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] SECRET = "correct horse".toCharArray();

    @Test
    void create_sealsAtTheOwaspFloor_andOpenReadsItBack() {
        KeySealer sealer = KeySealer.create(SECRET, RANDOM);
        assertTrue(sealer.parameters().startsWith("v2.argon2id.19456.2.1."), sealer.parameters());
        String sealed = sealer.seal("key bytes".getBytes(StandardCharsets.UTF_8), "wallet-key");
        KeySealer again = KeySealer.open(SECRET, sealer.parameters(), RANDOM);
        assertArrayEquals("key bytes".getBytes(StandardCharsets.UTF_8), again.open(sealed, "wallet-key"));
        assertEquals(ProblemType.UNAUTHORIZED, assertThrows(ProblemException.class, () -> again.open(sealed, "other-label")).type());
        assertEquals(ProblemType.UNAUTHORIZED, assertThrows(ProblemException.class,
                () -> KeySealer.open("wrong".toCharArray(), sealer.parameters(), RANDOM).open(sealed, "wallet-key")).type());
    }

    /** Parameters an attacker with write access could store; each is refused before any derivation runs. */
    @ParameterizedTest(name = "{0}")
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    @CsvSource(delimiter = '|', value = {
        "4 GiB of memory (out of memory after 20 s before)|4194304|2|1|LIMIT_EXCEEDED",
        "one KiB over the memory ceiling|262145|2|1|LIMIT_EXCEEDED",
        "a million passes (71 s of spinning before)|19456|1000000|1|LIMIT_EXCEEDED",
        "11 passes|19456|11|1|LIMIT_EXCEEDED",
        "16 lanes|19456|2|16|LIMIT_EXCEEDED",
        "below the memory floor|8192|2|1|LIMIT_EXCEEDED",
        "one pass|19456|1|1|LIMIT_EXCEEDED",
        "zero lanes|19456|2|0|LIMIT_EXCEEDED",
        "beyond an int|99999999999|2|1|LIMIT_EXCEEDED",
        "negative|-1|2|1|MALFORMED_VALUE_ERROR",
        "not a number|lots|2|1|MALFORMED_VALUE_ERROR",
    })
    void open_storedParametersOutOfBounds_isRefusedBeforeDeriving(String name, String memory, String iterations, String lanes,
                                                                  ProblemType expected) {
        String salt = KeySealer.create(SECRET, RANDOM).parameters().split("\\.")[5];
        long start = System.nanoTime();
        ProblemException e = assertThrows(ProblemException.class,
                () -> KeySealer.open(SECRET, "v2.argon2id." + memory + "." + iterations + "." + lanes + "." + salt, RANDOM));
        assertEquals(expected, e.type(), e.getMessage());
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        // deriving 4 GiB or a million passes takes minutes or runs out of memory; a refusal is a string check
        assertTrue(millis < 1_000, "refused in " + millis + " ms, without deriving");
    }

    @Test
    void open_malformedParameters_isMalformedValue() {
        for (String p : new String[] {"", "v1.15.8.1", "v1.15.8.1.AAAA", "v1.15.8.1.AAAAAAAAAAAAAAAAAAAAAA.extra", "v1.fifteen.8.1.AAAAAAAAAAAAAAAAAAAAAA",
            "v0.15.8.1.AAAAAAAAAAAAAAAAAAAAAA", "v2.scrypt.19456.2.1.AAAAAAAAAAAAAAAAAAAAAA",
            "v2.argon2id.19456.2.1.AAAA", "v2.argon2id.19456.2.1.AAAAAAAAAAAAAAAAAAAAAA.extra", "v2.argon2id.19456.2.1.!!",
            "v2.argon2id.19456.2.1." + "A".repeat(1000)}) {
            assertEquals(ProblemType.MALFORMED_VALUE_ERROR, assertThrows(ProblemException.class,
                    () -> KeySealer.open(SECRET, p, RANDOM)).type(), p);
        }
    }

    @Test
    void open_sealedKeyWithAnOddNonce_isMalformedValue() {
        KeySealer sealer = KeySealer.create(SECRET, RANDOM);
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, assertThrows(ProblemException.class,
                () -> sealer.open("v1.AAAA.AAAAAAAAAAAAAAAAAAAAAA", "wallet-key")).type());
    }

    /**
     * Seals as the scrypt sealer did before Argon2id (commit ff28552), written out here with Bouncy Castle's SCrypt so
     * that the test does not depend on the code it checks: parameters {@code v1.15.8.1.<salt>}, sealed key
     * {@code v1.<nonce>.<AES-256-GCM ciphertext+tag>} with the label as associated data.
     */
    private record OldScryptSealing(String parameters, String sealed) {
        static OldScryptSealing of(char[] secret, byte[] plaintext, String label) throws Exception {
            byte[] salt = new byte[16];
            RANDOM.nextBytes(salt);
            byte[] key = SCrypt.generate(new String(secret).getBytes(StandardCharsets.UTF_8), salt, 1 << 15, 8, 1, 32);
            byte[] nonce = new byte[12];
            RANDOM.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            c.updateAAD(label.getBytes(StandardCharsets.UTF_8));
            return new OldScryptSealing("v1.15.8.1." + Base64Url.encode(salt),
                    "v1." + Base64Url.encode(nonce) + "." + Base64Url.encode(c.doFinal(plaintext)));
        }
    }

    @Test
    void open_parametersTheScryptSealerWrote_opensItsKeys_andNeedsUpgrade() throws Exception {
        byte[] plaintext = "an org key".getBytes(StandardCharsets.UTF_8);
        OldScryptSealing old = OldScryptSealing.of(SECRET, plaintext, "org-key key-1");
        KeySealer sealer = KeySealer.open(SECRET, old.parameters(), RANDOM);
        assertTrue(sealer.needsUpgrade(), sealer.toString());
        assertEquals(old.parameters(), sealer.parameters());
        assertArrayEquals(plaintext, sealer.open(old.sealed(), "org-key key-1"));
        assertEquals(ProblemType.UNAUTHORIZED, assertThrows(ProblemException.class, () -> sealer.open(old.sealed(), "org-key key-2")).type());
        assertEquals(ProblemType.UNAUTHORIZED, assertThrows(ProblemException.class,
                () -> KeySealer.open("wrong".toCharArray(), old.parameters(), RANDOM).open(old.sealed(), "org-key key-1")).type());
        assertFalse(KeySealer.create(SECRET, RANDOM).needsUpgrade());
    }

    @Test
    void resealUnder_aFreshArgon2idSealer_opensAfterReopeningFromTheNewParametersOnly() throws Exception {
        byte[] plaintext = "wallet key bytes".getBytes(StandardCharsets.UTF_8);
        OldScryptSealing old = OldScryptSealing.of(SECRET, plaintext, "wallet-key");
        KeySealer legacy = KeySealer.open(SECRET, old.parameters(), RANDOM);
        KeySealer upgraded = KeySealer.create(SECRET, RANDOM);
        String resealed = legacy.resealUnder(upgraded, old.sealed(), "wallet-key");

        KeySealer reopened = KeySealer.open(SECRET, upgraded.parameters(), RANDOM);
        assertFalse(reopened.needsUpgrade());
        assertTrue(reopened.parameters().startsWith("v2.argon2id."), reopened.parameters());
        assertArrayEquals(plaintext, reopened.open(resealed, "wallet-key"));
        // the sealed form did not change with the KDF: only the key under it did
        assertTrue(resealed.matches("v1\\.[A-Za-z0-9_-]{16}\\.[A-Za-z0-9_-]+"), resealed);
        assertEquals(ProblemType.UNAUTHORIZED, assertThrows(ProblemException.class, () -> legacy.open(resealed, "wallet-key")).type());
        assertEquals(ProblemType.UNAUTHORIZED, assertThrows(ProblemException.class, () -> reopened.open(old.sealed(), "wallet-key")).type());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void open_scryptAtTheCeiling_stillOpens() {
        String salt = KeySealer.create(SECRET, RANDOM).parameters().split("\\.")[5];
        KeySealer sealer = KeySealer.open(SECRET, "v1." + KeySealer.MAX_SCRYPT_LOG2_N + ".8.1." + salt, RANDOM);
        assertTrue(sealer.needsUpgrade());
        assertArrayEquals(new byte[] {1, 2, 3}, sealer.open(sealer.seal(new byte[] {1, 2, 3}, "k"), "k"));
    }

    /**
     * Scrypt parameters the old code would have run (log2 N up to 22, r up to 32, p up to 16: up to 16 GiB) or never
     * wrote; each is refused before any derivation runs.
     */
    @ParameterizedTest(name = "{0}")
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    @CsvSource(delimiter = '|', value = {
        "N = 2^22 (4 GiB)|22|8|1",
        "N = 2^22, r = 32 (16 GiB)|22|32|1",
        "one step over the ceiling (256 MiB)|18|8|1",
        "below what was ever written|14|8|1",
        "N = 2^10|10|8|1",
        "r = 32|15|32|1",
        "r = 1|15|1|1",
        "p = 16|15|8|16",
        "p = 2|15|8|2",
        "beyond an int|99999999999|8|1",
    })
    void open_scryptParametersOutOfBounds_isRefusedBeforeDeriving(String name, String log2N, String r, String p) {
        String salt = KeySealer.create(SECRET, RANDOM).parameters().split("\\.")[5];
        long start = System.nanoTime();
        ProblemException e = assertThrows(ProblemException.class,
                () -> KeySealer.open(SECRET, "v1." + log2N + "." + r + "." + p + "." + salt, RANDOM));
        assertEquals(ProblemType.LIMIT_EXCEEDED, e.type(), e.getMessage());
        assertTrue(e.getMessage().contains("scrypt"), e.getMessage());
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        // N = 2^22 with r = 32 needs 16 GiB; a refusal is a string check
        assertTrue(millis < 1_000, "refused in " + millis + " ms, without deriving");
    }

    private static String flipBit(String base64url, int index) {
        byte[] b = Base64Url.decode(base64url);
        b[index] ^= 0x01;
        return Base64Url.encode(b);
    }

    /** Every part of a sealed key and of its parameters, altered: each is refused with its type, nothing opens. */
    @Test
    void open_alteredSealedKeyOrParameters_isRefusedForEachPart() {
        KeySealer sealer = KeySealer.create(SECRET, RANDOM);
        String sealed = sealer.seal("key bytes".getBytes(StandardCharsets.UTF_8), "wallet-key");
        String[] k = sealed.split("\\.");
        String[] p = sealer.parameters().split("\\.");
        assertEquals(3, k.length, sealed);
        assertEquals(6, p.length, sealer.parameters());
        java.util.function.Function<String, ProblemType> openSealed = s -> assertThrows(ProblemException.class,
                () -> sealer.open(s, "wallet-key")).type();
        // the sealed key's version, nonce, ciphertext and tag
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, openSealed.apply("v2." + k[1] + "." + k[2]));
        assertEquals(ProblemType.UNAUTHORIZED, openSealed.apply(k[0] + "." + flipBit(k[1], 0) + "." + k[2]));
        assertEquals(ProblemType.UNAUTHORIZED, openSealed.apply(k[0] + "." + k[1] + "." + flipBit(k[2], 0)));
        int tagByte = Base64Url.decode(k[2]).length - 1;
        assertEquals(ProblemType.UNAUTHORIZED, openSealed.apply(k[0] + "." + k[1] + "." + flipBit(k[2], tagByte)));
        byte[] truncated = java.util.Arrays.copyOf(Base64Url.decode(k[2]), tagByte);
        assertEquals(ProblemType.UNAUTHORIZED, openSealed.apply(k[0] + "." + k[1] + "." + Base64Url.encode(truncated)));
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, openSealed.apply(k[0] + "." + k[1]));
        // the parameters: another salt, memory, pass count or lane count derives another key
        String[] alteredParameters = {
            String.join(".", p[0], p[1], p[2], p[3], p[4], flipBit(p[5], 0)),
            String.join(".", p[0], p[1], String.valueOf(KeySealer.MIN_MEMORY_KIB + 1), p[3], p[4], p[5]),
            String.join(".", p[0], p[1], p[2], String.valueOf(KeySealer.MIN_ITERATIONS + 1), p[4], p[5]),
            String.join(".", p[0], p[1], p[2], p[3], String.valueOf(KeySealer.MIN_PARALLELISM + 1), p[5]),
        };
        for (String altered : alteredParameters) {
            KeySealer other = KeySealer.open(SECRET, altered, RANDOM);
            assertEquals(ProblemType.UNAUTHORIZED, assertThrows(ProblemException.class,
                    () -> other.open(sealed, "wallet-key")).type(), altered);
        }
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, assertThrows(ProblemException.class,
                () -> KeySealer.open(SECRET, String.join(".", "v3", p[1], p[2], p[3], p[4], p[5]), RANDOM)).type());
    }

    /**
     * The secret is encoded from the char[] without a String, to the same bytes as before: a store sealed under a
     * non-ASCII secret, and under one holding a lone surrogate (which String.getBytes turned into '?'), still opens.
     */
    @Test
    void open_nonAsciiAndLoneSurrogateSecrets_deriveTheKeysTheyDidWithAString() throws Exception {
        for (String text : new String[] {"pässwörd €", "secret \uD800 tail", "\uD83D\uDE02 emoji"}) {
            char[] secret = text.toCharArray();
            byte[] plaintext = "an org key".getBytes(StandardCharsets.UTF_8);
            OldScryptSealing old = OldScryptSealing.of(secret, plaintext, "org-key key-1");
            assertArrayEquals(plaintext, KeySealer.open(secret, old.parameters(), RANDOM).open(old.sealed(), "org-key key-1"), text);
        }
        char[] replaced = "secret ? tail".toCharArray(); // what the lone surrogate became: the same bytes, kept so old stores open
        OldScryptSealing old = OldScryptSealing.of("secret \uD800 tail".toCharArray(), new byte[] {1}, "l");
        assertArrayEquals(new byte[] {1}, KeySealer.open(replaced, old.parameters(), RANDOM).open(old.sealed(), "l"));
    }
}
