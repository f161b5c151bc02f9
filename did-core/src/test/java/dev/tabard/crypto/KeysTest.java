package dev.tabard.crypto;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class KeysTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void signVerifyAndExportRoundTrip(KeyType type) {
        KeyPair pair = KeyPair.generate(type, RANDOM);
        byte[] msg = "message".getBytes(StandardCharsets.UTF_8);
        byte[] sig = pair.sign(msg);
        assertEquals(type.signatureLength(), sig.length);
        pair.publicKey().verifier().verify(msg, sig);
        sig[5] ^= 1;
        assertEquals(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR,
                assertThrows(ProblemException.class, () -> pair.publicKey().verifier().verify(msg, sig)).type());
        VerificationKey key = pair.publicKey();
        assertEquals(key, VerificationKey.fromMultibase(key.toMultibase()));
        assertEquals(key, VerificationKey.fromJwk(JsonCodec.tree(key.toJwk())));
        assertEquals(key, KeyPair.fromPrivateKey(type, pair.unsafePrivateKeyBytes(), key).publicKey());
        assertFalse(pair.toString().contains(HexFormat.of().formatHex(pair.unsafePrivateKeyBytes())));
    }

    @Test
    void rfc8032Test1() {
        KeyPair pair = KeyPair.fromPrivateKey(KeyType.ED25519,
                HexFormat.of().parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        assertEquals("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
                HexFormat.of().formatHex(pair.publicKey().publicKey().toByteArray()));
        assertEquals("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
                HexFormat.of().formatHex(pair.sign(new byte[0])));
    }

    @Test
    void p256SignaturesAreDeterministic() {
        KeyPair pair = KeyPair.generate(KeyType.P256, RANDOM);
        byte[] msg = {1, 2, 3};
        assertEquals(HexFormat.of().formatHex(pair.sign(msg)), HexFormat.of().formatHex(pair.sign(msg)));
    }

    @Test
    void weakAndMalformedKeysAreRefusedOnImport() {
        byte[] smallOrder = new byte[32];
        smallOrder[0] = 1; // the identity point
        assertEquals(ProblemType.INVALID_VERIFICATION_METHOD,
                assertThrows(ProblemException.class, () -> VerificationKey.of(KeyType.ED25519, smallOrder)).type());
        byte[] offCurve = uncompressed(KeyPair.generate(KeyType.P256, RANDOM).publicKey());
        offCurve[64] ^= 1; // y no longer matches x
        assertEquals(ProblemType.INVALID_VERIFICATION_METHOD,
                assertThrows(ProblemException.class, () -> VerificationKey.of(KeyType.P256, offCurve)).type());
        assertThrows(ProblemException.class, () -> VerificationKey.of(KeyType.ED25519, new byte[31]));
    }

    /** Every malformed EC encoding the one factory must refuse, on both curves (the other paths all end there). */
    @ParameterizedTest
    @EnumSource(value = KeyType.class, names = {"P256", "P384"})
    void ecPointsOffTheCurveAtInfinityOfTheWrongLengthOrNonCanonicalAreRefused(KeyType type) {
        VerificationKey good = KeyPair.generate(type, RANDOM).publicKey();
        byte[] u = uncompressed(good);
        int l = (u.length - 1) / 2;
        byte[] offCurve = u.clone();
        offCurve[u.length - 1] ^= 1;
        byte[] infinity = {0x00};
        byte[] zeros = new byte[u.length];
        zeros[0] = 0x04; // (0, 0) is not on either curve
        byte[] tooShort = java.util.Arrays.copyOf(u, u.length - 1);
        byte[] tooLong = java.util.Arrays.copyOf(u, u.length + 1);
        byte[] compressedTooLong = java.util.Arrays.copyOf(good.publicKey().toByteArray(), l + 2);
        byte[] hybrid = u.clone();
        hybrid[0] = (byte) (0x06 | (u[u.length - 1] & 1)); // X9.62 hybrid form: a valid point, but not SEC1 as JOSE and Multikey use
        java.math.BigInteger p = type == KeyType.P256
                ? new java.math.BigInteger("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff", 16)
                : new java.math.BigInteger("fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff", 16);
        for (byte[] bad : new byte[][] {offCurve, infinity, zeros, tooShort, tooLong, compressedTooLong, hybrid, new byte[0]}) {
            assertEquals(ProblemType.INVALID_VERIFICATION_METHOD,
                    assertThrows(ProblemException.class, () -> VerificationKey.of(type, bad)).type(), HexFormat.of().formatHex(bad));
        }
        // a coordinate at or above p, whatever the point: p itself as x
        byte[] xIsP = u.clone();
        System.arraycopy(org.bouncycastle.util.BigIntegers.asUnsignedByteArray(l, p), 0, xIsP, 1, l);
        assertEquals(ProblemType.INVALID_VERIFICATION_METHOD,
                assertThrows(ProblemException.class, () -> VerificationKey.of(type, xIsP)).type());
        byte[] compressedXIsP = new byte[l + 1];
        compressedXIsP[0] = 0x02;
        System.arraycopy(org.bouncycastle.util.BigIntegers.asUnsignedByteArray(l, p), 0, compressedXIsP, 1, l);
        assertEquals(ProblemType.INVALID_VERIFICATION_METHOD,
                assertThrows(ProblemException.class, () -> VerificationKey.of(type, compressedXIsP)).type());
        // the same key through the JWK path: off the curve, and coordinates of the other curve's length
        ObjectNode jwk = JsonCodec.tree(good.toJwk());
        jwk.put("y", dev.tabard.codec.Base64Url.encode(java.util.Arrays.copyOfRange(offCurve, 1 + l, 1 + 2 * l)));
        assertEquals(ProblemType.INVALID_VERIFICATION_METHOD,
                assertThrows(ProblemException.class, () -> VerificationKey.fromJwk(jwk)).type());
        ObjectNode shortCoordinates = JsonCodec.tree(good.toJwk());
        shortCoordinates.put("x", dev.tabard.codec.Base64Url.encode(new byte[l - 1]));
        assertEquals(ProblemType.INVALID_VERIFICATION_METHOD,
                assertThrows(ProblemException.class, () -> VerificationKey.fromJwk(shortCoordinates)).type());
        // and through Multikey, which carries compressed points: x = p
        String multibase = dev.tabard.codec.Multibase.encodeBase58Btc(type.multicodec().wrap(compressedXIsP));
        assertEquals(ProblemType.INVALID_VERIFICATION_METHOD,
                assertThrows(ProblemException.class, () -> VerificationKey.fromMultibase(multibase)).type());
    }

    @Test
    void anEd25519KeyOfSmallOrderOrNonCanonicalIsRefusedOnEveryPath() {
        byte[] identity = new byte[32];
        identity[0] = 1;
        byte[] nonCanonical = HexFormat.of().parseHex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"); // y = p
        for (byte[] bad : new byte[][] {identity, nonCanonical}) {
            assertEquals(ProblemType.INVALID_VERIFICATION_METHOD,
                    assertThrows(ProblemException.class, () -> VerificationKey.of(KeyType.ED25519, bad)).type());
            String multibase = dev.tabard.codec.Multibase.encodeBase58Btc(KeyType.ED25519.multicodec().wrap(bad));
            assertEquals(ProblemType.INVALID_VERIFICATION_METHOD,
                    assertThrows(ProblemException.class, () -> VerificationKey.fromMultibase(multibase)).type());
            ObjectNode jwk = JsonCodec.objectNode().put("kty", "OKP").put("crv", "Ed25519")
                    .put("x", dev.tabard.codec.Base64Url.encode(bad));
            assertEquals(ProblemType.INVALID_VERIFICATION_METHOD,
                    assertThrows(ProblemException.class, () -> VerificationKey.fromJwk(jwk)).type());
        }
    }

    @Test
    void aVerificationKeyHasNoPublicConstructor() {
        for (java.lang.reflect.Constructor<?> c : VerificationKey.class.getDeclaredConstructors()) {
            assertFalse(java.lang.reflect.Modifier.isPublic(c.getModifiers()), c.toString());
        }
        assertFalse(VerificationKey.class.isRecord());
    }

    @Test
    void p384KeysReadFromJwkMultikeyAndSignAsEs384() {
        KeyPair pair = KeyPair.generate(KeyType.P384, RANDOM);
        VerificationKey key = pair.publicKey();
        assertEquals(49, key.publicKey().size());
        assertEquals("z82L", key.toMultibase().substring(0, 4));
        assertEquals("P-384", key.toJwk().get("crv"));
        assertEquals(64, key.toJwk().get("x").length()); // 48 bytes, base64url
        assertEquals(96, pair.sign(new byte[] {1}).length);
        assertEquals(KeyType.P384, VerificationKey.fromMultibase(
                "z82LkuBieyGShVBhvtE2zoiD6Kma4tJGFtkAhxR5pfkp5QPw4LutoYWhvQCnGjdVn14kujQ").type());
        // a P-384 signature does not verify under a P-256 key of the same message, nor the other way round
        KeyPair p256 = KeyPair.generate(KeyType.P256, RANDOM);
        byte[] msg = {1, 2, 3};
        assertEquals(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, assertThrows(ProblemException.class,
                () -> p256.publicKey().verifier().verify(msg, pair.sign(msg))).type());
        assertEquals(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, assertThrows(ProblemException.class,
                () -> key.verifier().verify(msg, p256.sign(msg))).type());
    }

    /** The SEC1 uncompressed form, from the key's public JWK. */
    private static byte[] uncompressed(VerificationKey key) {
        byte[] x = dev.tabard.codec.Base64Url.decode(key.toJwk().get("x"));
        byte[] y = dev.tabard.codec.Base64Url.decode(key.toJwk().get("y"));
        byte[] u = new byte[1 + x.length + y.length];
        u[0] = 0x04;
        System.arraycopy(x, 0, u, 1, x.length);
        System.arraycopy(y, 0, u, 1 + x.length, y.length);
        return u;
    }

    @Test
    void jwkImportRefusesPrivateMembersWrongAlgAndForbiddenUse() {
        VerificationKey key = KeyPair.generate(KeyType.ED25519, RANDOM).publicKey();
        for (String extra : new String[] {"\"d\":\"AAAA\"", "\"alg\":\"ES256\"", "\"use\":\"enc\"",
            "\"key_ops\":[\"encrypt\"]", "\"y\":\"AAAA\""}) {
            ObjectNode jwk = JsonCodec.tree(key.toJwk());
            ObjectNode bad = JsonCodec.parseObject(("{" + extra + "," + JsonCodec.writeString(jwk).substring(1))
                    .getBytes(StandardCharsets.UTF_8));
            assertEquals(ProblemType.INVALID_VERIFICATION_METHOD,
                    assertThrows(ProblemException.class, () -> VerificationKey.fromJwk(bad)).type(), extra);
        }
        ObjectNode ok = JsonCodec.tree(key.toJwk());
        ok.put("alg", "Ed25519");
        ok.put("use", "sig");
        ok.putArray("key_ops").add("verify");
        assertDoesNotThrow(() -> VerificationKey.fromJwk(ok));
        ObjectNode rsa = JsonCodec.objectNode().put("kty", "RSA").put("n", "AQAB").put("e", "AQAB");
        assertThrows(ProblemException.class, () -> VerificationKey.fromJwk(rsa));
    }

    @Test
    void jwkThumbprintFollowsRfc7638() {
        // RFC 8037 §A.3: the thumbprint of the RFC 8032 test 1 key
        VerificationKey key = VerificationKey.of(KeyType.ED25519,
                HexFormat.of().parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"));
        assertEquals("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k", key.jwkThumbprint());
    }
}
