package dev.tabard.issuer;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.codec.Base64Url;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class AdminTokenStrengthTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"x", "demo-admin-token", "wallet-test-admin-token", "load-test-admin-token",
            "0123456789abcdef0123456789abcde", // 31 hex characters: 124 bits
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "abababababababababababababababababababab",
            "12345678901234567890123456789012345678", // 38 digits: 126 bits
            "correct horse battery staple and more words", // a space
            "tökentökentökentökentökentökentökentöken"})
    void check_weakOrUnprintableToken_isRefusedSayingHowToMakeOne(String weak) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AdminTokenStrength.check(weak));
        assertTrue(e.getMessage().contains(AdminTokenStrength.HOW_TO_MAKE_ONE), e.getMessage());
        assertFalse(e.getMessage().contains(weak), "the token is never echoed");
    }

    @Test
    void check_tooLongToken_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> AdminTokenStrength.check(randomBase64(200) + randomBase64(200)));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"openssl rand -base64 32", "openssl rand -hex 16", "openssl rand -hex 32", "issuer-generated"})
    void check_randomTokensOfEachCommonShape_passEveryTime(String shape) {
        long seed = new SecureRandom().nextLong();
        Random random = new Random(seed);
        for (int i = 0; i < 2_000; i++) {
            byte[] b = new byte[shape.endsWith("16") ? 16 : 32];
            random.nextBytes(b);
            String token = switch (shape) {
                case "openssl rand -base64 32" -> java.util.Base64.getEncoder().encodeToString(b);
                case "issuer-generated" -> "tabard_" + Base64Url.encode(b);
                default -> HexFormat.of().formatHex(b);
            };
            assertDoesNotThrow(() -> AdminTokenStrength.check(token), "seed " + seed + ": " + token);
        }
    }

    @Test
    void check_strongLookingHumanToken_passes() {
        assertDoesNotThrow(() -> AdminTokenStrength.check("admin-token-must-never-be-logged-7f3a"));
    }

    @Test
    void alphabetSize_picksTheSmallestAlphabetHoldingTheToken() {
        assertEquals(10, AdminTokenStrength.alphabetSize("0123"));
        assertEquals(16, AdminTokenStrength.alphabetSize("00ff"));
        assertEquals(26, AdminTokenStrength.alphabetSize("abcz"));
        assertEquals(62, AdminTokenStrength.alphabetSize("aB3"));
        assertEquals(64, AdminTokenStrength.alphabetSize("aB3+/="));
        assertEquals(94, AdminTokenStrength.alphabetSize("aB3!"));
    }

    @Test
    void issuerConfig_weakAdminToken_isRefusedWhereverTheConfigIsBuilt() {
        assertThrows(IllegalArgumentException.class, () -> new IssuerConfig(Path.of("data"), URI.create("http://localhost:1"), "key",
                "ACME", "s".toCharArray(), Duration.ofHours(1), Optional.of("demo-admin-token"), 0));
    }

    private static String randomBase64(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return Base64Url.encode(b);
    }
}
