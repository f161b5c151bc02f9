package dev.tabard.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
    void open_malformedOrOldParameters_isMalformedValue() {
        for (String p : new String[] {"", "v1.15.8.1.AAAAAAAAAAAAAAAAAAAAAA", "v2.scrypt.19456.2.1.AAAAAAAAAAAAAAAAAAAAAA",
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
}
