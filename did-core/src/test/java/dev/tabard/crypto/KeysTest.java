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
        assertEquals(key, VerificationKey.fromJwk(JsonCodec.mapper().valueToTree(key.toJwk())));
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
        byte[] offCurve = dev.tabard.crypto.internal.P256.decompress(
                KeyPair.generate(KeyType.P256, RANDOM).publicKey().publicKey().toByteArray());
        offCurve[64] ^= 1; // y no longer matches x
        assertEquals(ProblemType.INVALID_VERIFICATION_METHOD,
                assertThrows(ProblemException.class, () -> VerificationKey.of(KeyType.P256, offCurve)).type());
        assertThrows(ProblemException.class, () -> VerificationKey.of(KeyType.ED25519, new byte[31]));
    }

    @Test
    void jwkImportRefusesPrivateMembersWrongAlgAndForbiddenUse() {
        VerificationKey key = KeyPair.generate(KeyType.ED25519, RANDOM).publicKey();
        for (String extra : new String[] {"\"d\":\"AAAA\"", "\"alg\":\"ES256\"", "\"use\":\"enc\"",
            "\"key_ops\":[\"encrypt\"]", "\"y\":\"AAAA\""}) {
            ObjectNode jwk = JsonCodec.mapper().valueToTree(key.toJwk());
            ObjectNode bad = JsonCodec.parseObject(("{" + extra + "," + JsonCodec.writeString(jwk).substring(1))
                    .getBytes(StandardCharsets.UTF_8));
            assertEquals(ProblemType.INVALID_VERIFICATION_METHOD,
                    assertThrows(ProblemException.class, () -> VerificationKey.fromJwk(bad)).type(), extra);
        }
        ObjectNode ok = JsonCodec.mapper().valueToTree(key.toJwk());
        ok.put("alg", "Ed25519");
        ok.put("use", "sig");
        ok.putArray("key_ops").add("verify");
        assertDoesNotThrow(() -> VerificationKey.fromJwk(ok));
        ObjectNode rsa = JsonCodec.mapper().createObjectNode().put("kty", "RSA").put("n", "AQAB").put("e", "AQAB");
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
