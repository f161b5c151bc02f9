package dev.tabard.vc.jose;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tabard.codec.Base64Url;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CompactJwsTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] PAYLOAD = "{\"sub\":\"did:example:agent\"}".getBytes(StandardCharsets.UTF_8);
    private final KeyPair ed = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final KeyPair p256 = KeyPair.generate(KeyType.P256, RANDOM);

    private static String b64(String json) {
        return Base64Url.encode(json.getBytes(StandardCharsets.UTF_8));
    }

    /** A token with the given header, correctly signed by {@code key} over exactly what it carries. */
    private static String signedWithHeader(KeyPair key, String headerJson) {
        String input = b64(headerJson) + "." + Base64Url.encode(PAYLOAD);
        return input + "." + Base64Url.encode(key.sign(input.getBytes(StandardCharsets.US_ASCII)));
    }

    private static ProblemType failure(Runnable r) {
        return assertThrows(ProblemException.class, r::run).type();
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void signAndVerifyWithTheKeysAlgorithm(KeyType type) {
        KeyPair key = KeyPair.generate(type, RANDOM);
        String token = CompactJws.sign(key, JwsHeader.of("did:example:1#k", "vc+jwt", "vc"), PAYLOAD);
        VerifiedJws jws = CompactJws.parse(token).verify(key.publicKey());
        assertEquals(key.publicKey(), jws.key());
        assertEquals(type.jwsAlgorithm(), jws.alg());
        assertEquals(Optional.of("did:example:1#k"), jws.kid());
        assertEquals(Optional.of("vc+jwt"), jws.typ());
        assertEquals(Optional.of("vc"), jws.cty());
        assertArrayEquals(PAYLOAD, jws.payload());
    }

    @Test
    void ed25519AcceptsItsRfc9864Name() {
        CompactJws.parse(signedWithHeader(ed, "{\"alg\":\"Ed25519\"}")).verify(ed.publicKey());
    }

    @Test
    void algorithmComesFromTheKeyNotTheToken() {
        String es = signedWithHeader(p256, "{\"alg\":\"ES256\"}");
        assertEquals(ProblemType.ALGORITHM_NOT_ALLOWED, failure(() -> CompactJws.parse(es).verify(ed.publicKey())));
        String edToken = signedWithHeader(ed, "{\"alg\":\"EdDSA\"}");
        assertEquals(ProblemType.ALGORITHM_NOT_ALLOWED, failure(() -> CompactJws.parse(edToken).verify(p256.publicKey())));
        String hs = signedWithHeader(ed, "{\"alg\":\"HS256\"}");
        assertEquals(ProblemType.ALGORITHM_NOT_ALLOWED, failure(() -> CompactJws.parse(hs).verify(ed.publicKey())));
        String es384 = signedWithHeader(p256, "{\"alg\":\"ES384\"}");
        assertEquals(ProblemType.ALGORITHM_NOT_ALLOWED, failure(() -> CompactJws.parse(es384).verify(p256.publicKey())));
    }

    /** ES384 only with a P-384 key and ES256 only with a P-256 key, whatever the token says. */
    @Test
    void es384IsAllowedOnlyForP384Keys() {
        KeyPair p384 = KeyPair.generate(KeyType.P384, RANDOM);
        String es384 = signedWithHeader(p384, "{\"alg\":\"ES384\"}");
        assertEquals("ES384", CompactJws.parse(es384).verify(p384.publicKey()).alg());
        // the same P-384 signature under an ES256 label: refused by name before any crypto
        String mislabelled = signedWithHeader(p384, "{\"alg\":\"ES256\"}");
        assertEquals(ProblemType.ALGORITHM_NOT_ALLOWED, failure(() -> CompactJws.parse(mislabelled).verify(p384.publicKey())));
        for (String alg : new String[] {"EdDSA", "Ed25519", "ES512", "ES384K", "es384"}) {
            String t = signedWithHeader(p384, "{\"alg\":\"" + alg + "\"}");
            assertEquals(ProblemType.ALGORITHM_NOT_ALLOWED, failure(() -> CompactJws.parse(t).verify(p384.publicKey())), alg);
        }
        // a P-256 signature labelled ES384 does not pass under a P-384 key
        String p256AsEs384 = signedWithHeader(p256, "{\"alg\":\"ES384\"}");
        assertEquals(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR,
                failure(() -> CompactJws.parse(p256AsEs384).verify(p384.publicKey())));
        // a P-384 ES384 token verifies with no other key
        String other = signedWithHeader(KeyPair.generate(KeyType.P384, RANDOM), "{\"alg\":\"ES384\"}");
        assertEquals(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, failure(() -> CompactJws.parse(other).verify(p384.publicKey())));
    }

    /** Only verification makes a {@link VerifiedJws}: it has no public constructor and is not a record. */
    @Test
    void aVerifiedJwsCannotBeMadeWithoutVerifying() {
        for (java.lang.reflect.Constructor<?> c : VerifiedJws.class.getDeclaredConstructors()) {
            assertEquals(false, java.lang.reflect.Modifier.isPublic(c.getModifiers()), c.toString());
            assertEquals(false, java.lang.reflect.Modifier.isProtected(c.getModifiers()), c.toString());
        }
        assertEquals(false, VerifiedJws.class.isRecord());
        assertEquals(true, java.lang.reflect.Modifier.isFinal(VerifiedJws.class.getModifiers()));
    }

    @Test
    void unsecuredTokensAreRefused() {
        assertEquals(ProblemType.ALGORITHM_NOT_ALLOWED,
                failure(() -> CompactJws.parse(b64("{\"alg\":\"none\"}") + "." + Base64Url.encode(PAYLOAD) + ".")));
        assertEquals(ProblemType.ALGORITHM_NOT_ALLOWED,
                failure(() -> CompactJws.parse(b64("{\"alg\":\"None\"}") + "." + Base64Url.encode(PAYLOAD) + ".AAAA")));
        assertEquals(ProblemType.ALGORITHM_NOT_ALLOWED, failure(() -> CompactJws.parse(signedWithHeader(ed, "{\"typ\":\"JWT\"}"))));
    }

    @Test
    void keysInTheHeaderAreRefused() {
        String jwk = "{\"alg\":\"EdDSA\",\"jwk\":{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + ed.publicKey().toJwk().get("x") + "\"}}";
        for (String header : new String[] {jwk, "{\"alg\":\"EdDSA\",\"jku\":\"https://evil.example/k\"}",
            "{\"alg\":\"EdDSA\",\"x5u\":\"https://evil.example/c\"}", "{\"alg\":\"EdDSA\",\"x5c\":[\"MIIB\"]}"}) {
            assertEquals(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, failure(() -> CompactJws.parse(signedWithHeader(ed, header))),
                    header);
        }
    }

    @Test
    void critAndUnencodedPayloadsAreRefused() {
        for (String header : new String[] {"{\"alg\":\"EdDSA\",\"crit\":[\"exp\"],\"exp\":1}",
            "{\"alg\":\"EdDSA\",\"crit\":[]}", "{\"alg\":\"EdDSA\",\"crit\":[\"alg\"]}",
            "{\"alg\":\"EdDSA\",\"crit\":[\"b64\"],\"b64\":false}", "{\"alg\":\"EdDSA\",\"b64\":false}"}) {
            assertEquals(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, failure(() -> CompactJws.parse(signedWithHeader(ed, header))),
                    header);
        }
    }

    @Test
    void malleatedEncodingsAreRefusedBeforeVerification() {
        String token = CompactJws.sign(p256, JwsHeader.of("k", "vc+jwt"), PAYLOAD);
        int dot = token.lastIndexOf('.');
        for (String bad : new String[] {token + "==", token.substring(0, dot + 1) + "!!" + token.substring(dot + 1),
            token.substring(0, dot + 5) + "\n" + token.substring(dot + 5), token + ".", "a.b", token.replace('.', ' ')}) {
            assertEquals(ProblemType.PARSING_ERROR, failure(() -> CompactJws.parse(bad).verify(p256.publicKey())), bad);
        }
    }

    @Test
    void nonCanonicalAndTamperedSignaturesFail() {
        String token = CompactJws.sign(ed, JwsHeader.of("k", "vc+jwt"), PAYLOAD);
        int dot = token.lastIndexOf('.');
        byte[] sig = Base64Url.decode(token.substring(dot + 1));
        // S + L: the same signature with a non-reduced scalar
        byte[] l = java.util.HexFormat.of().parseHex("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
        int carry = 0;
        byte[] malleated = sig.clone();
        for (int i = 0; i < 32; i++) {
            int v = (sig[32 + i] & 0xff) + (l[i] & 0xff) + carry;
            malleated[32 + i] = (byte) v;
            carry = v >> 8;
        }
        String twin = token.substring(0, dot + 1) + Base64Url.encode(malleated);
        assertEquals(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, failure(() -> CompactJws.parse(twin).verify(ed.publicKey())));
        String tampered = token.substring(0, token.indexOf('.') + 1) + Base64Url.encode("{}".getBytes(StandardCharsets.UTF_8))
                + token.substring(dot);
        assertEquals(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, failure(() -> CompactJws.parse(tampered).verify(ed.publicKey())));
        String derP256 = signedWithHeader(p256, "{\"alg\":\"ES256\"}");
        int d = derP256.lastIndexOf('.');
        String truncated = derP256.substring(0, d + 1) + Base64Url.encode(java.util.Arrays.copyOf(
                Base64Url.decode(derP256.substring(d + 1)), 63));
        assertEquals(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, failure(() -> CompactJws.parse(truncated).verify(p256.publicKey())));
        assertEquals(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR,
                failure(() -> CompactJws.parse(token).verify(KeyPair.generate(KeyType.ED25519, RANDOM).publicKey())));
    }

    @Test
    void malformedHeadersAndOversizedTokensAreRefused() {
        assertEquals(ProblemType.PARSING_ERROR, failure(() -> CompactJws.parse(signedWithHeader(ed, "{\"alg\":\"EdDSA\",\"alg\":\"EdDSA\"}"))));
        assertEquals(ProblemType.PARSING_ERROR, failure(() -> CompactJws.parse(signedWithHeader(ed, "[\"alg\"]"))));
        assertEquals(ProblemType.PARSING_ERROR, failure(() -> CompactJws.parse(signedWithHeader(ed, "{\"alg\":\"EdDSA\",\"kid\":7}"))));
        assertEquals(ProblemType.INPUT_TOO_LARGE, failure(() -> CompactJws.parse("a".repeat(CompactJws.MAX_TOKEN_CHARS + 1))));
        String bigHeader = "{\"alg\":\"EdDSA\",\"x\":\"" + "a".repeat(CompactJws.MAX_HEADER_CHARS) + "\"}";
        assertEquals(ProblemType.INPUT_TOO_LARGE, failure(() -> CompactJws.parse(signedWithHeader(ed, bigHeader))));
    }
}
