package dev.tabard.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CodecTest {

    @ParameterizedTest
    @ValueSource(strings = {"Zm9v==", "Zm9v=", "Zm 9v", "Zm9v\n", "Zm+v", "Zm/v", "Zm9!", "Zh", "Zm9", "A"}) // "Zh" and "Zm9" set unused low bits ("Zg", "Zm8" are canonical)
    void base64UrlRefusesPaddingWhitespaceOtherAlphabetsAndNonCanonicalBits(String s) {
        assertFalse(Base64Url.isStrict(s), s);
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR,
                assertThrows(ProblemException.class, () -> Base64Url.decode(s)).type());
    }

    @Test
    void base64UrlRoundTrips() {
        assertTrue(Base64Url.isStrict("Zm8"));
        byte[] data = {(byte) 0xfb, (byte) 0xff, 0x00, 0x01};
        assertEquals("-_8AAQ", Base64Url.encode(data));
        assertArrayEquals(data, Base64Url.decode("-_8AAQ"));
    }

    @Test
    void base64UrlAgreesWithTheJdkOnEveryLengthAndRefusesEveryStrayCharacter() {
        java.util.Random random = new java.util.Random(42);
        for (int length = 0; length < 200; length++) {
            byte[] data = new byte[length];
            random.nextBytes(data);
            String encoded = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(data);
            assertArrayEquals(data, Base64Url.decode(encoded), encoded);
            if (!encoded.isEmpty()) {
                for (char stray : new char[] {'=', '+', '/', ' ', '.', '\u00e9', '\u0100'}) {
                    int at = random.nextInt(encoded.length());
                    String bad = encoded.substring(0, at) + stray + encoded.substring(at + 1);
                    assertFalse(Base64Url.isStrict(bad), bad);
                }
            }
        }
    }

    @Test
    void base58AndMultibase() {
        byte[] data = "hello world".getBytes(StandardCharsets.UTF_8);
        assertEquals("StV1DL6CwTryKyV", Base58Btc.encode(data));
        assertArrayEquals(data, Multibase.decode("zStV1DL6CwTryKyV"));
        assertArrayEquals(data, Multibase.decode(Multibase.encodeBase64Url(data)));
        assertArrayEquals(new byte[] {0, 0, 1}, Base58Btc.decode(Base58Btc.encode(new byte[] {0, 0, 1})));
        assertThrows(ProblemException.class, () -> Multibase.decode("fABCD")); // base16 is not accepted
        assertThrows(ProblemException.class, () -> Base58Btc.decode("0OIl"));
    }

    @Test
    void multicodecRefusesUnknownCodesAndWrongLengths() {
        byte[] ed = new byte[34];
        ed[0] = (byte) 0xed;
        ed[1] = 0x01;
        assertEquals(Multicodec.ED25519_PUB, Multicodec.decode(ed).codec());
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR,
                assertThrows(ProblemException.class, () -> Multicodec.decode(new byte[] {(byte) 0xed, 0x01, 1})).type());
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR,
                assertThrows(ProblemException.class, () -> Multicodec.decode(new byte[] {0x55, 1, 2})).type());
    }

    /** The duplicate is recognised by its exception type, at any depth, and told apart from a syntax error. */
    @Test
    void parse_duplicateMemberAtAnyDepth_parsingErrorSayingDuplicate_syntaxErrorsSayMalformed() {
        for (String dup : List.of("{\"a\":1,\"a\":1}", "{\"x\":{\"b\":[1,{\"c\":1,\"c\":2}]}}", "[{\"a\":{},\"a\":[]}]",
                "{\"credentialSubject\":{\"id\":\"did:example:1\"},\"credentialSubject\":{\"id\":\"did:example:2\"}}")) {
            ProblemException e = assertThrows(ProblemException.class, () -> JsonCodec.parse(dup), dup);
            assertEquals(ProblemType.PARSING_ERROR, e.type(), dup);
            assertTrue(e.problem().detail().startsWith("duplicate member name"), e.getMessage());
        }
        for (String bad : List.of("{\"a\":1,}", "{\"Duplicate field\": x}", "{a:1}", "[1,,2]")) {
            ProblemException e = assertThrows(ProblemException.class, () -> JsonCodec.parse(bad), bad);
            assertEquals(ProblemType.PARSING_ERROR, e.type(), bad);
            assertTrue(e.problem().detail().startsWith("malformed JSON"), e.getMessage());
        }
        // what is not a duplicate still parses, including the same name in sibling objects
        assertEquals(2, JsonCodec.parse("[{\"a\":1},{\"a\":2}]").size());
    }

    @Test
    void jsonCodecRefusesDuplicatesDepthAndSize() {
        assertEquals(ProblemType.PARSING_ERROR,
                assertThrows(ProblemException.class, () -> JsonCodec.parse("{\"a\":1,\"a\":2}")).type());
        assertEquals(ProblemType.PARSING_ERROR,
                assertThrows(ProblemException.class, () -> JsonCodec.parse("{\"a\":1} x")).type());
        String deep = "[".repeat(JsonCodec.MAX_DEPTH + 1) + "]".repeat(JsonCodec.MAX_DEPTH + 1);
        assertEquals(ProblemType.LIMIT_EXCEEDED, assertThrows(ProblemException.class, () -> JsonCodec.parse(deep)).type());
        byte[] big = new byte[JsonCodec.MAX_DOCUMENT_BYTES + 1];
        assertEquals(ProblemType.INPUT_TOO_LARGE, assertThrows(ProblemException.class, () -> JsonCodec.parse(big)).type());
        assertEquals(ProblemType.PARSING_ERROR, assertThrows(ProblemException.class, () -> JsonCodec.parse("")).type());
    }
}
