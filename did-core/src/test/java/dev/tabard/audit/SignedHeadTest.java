package dev.tabard.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tabard.codec.Base64Url;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.jose.CompactJws;
import dev.tabard.vc.jose.JwsHeader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class SignedHeadTest {

    private final KeyPair key = KeyPair.generate(KeyType.ED25519, new SecureRandom());
    private final Instant time = Instant.parse("2026-12-03T12:00:00.123456Z");
    private final String hash = "ab".repeat(32);
    private final SignedHead head = SignedHead.sign(42, hash, time, new AuditKey("key-1", key));

    private static void assertProblem(ProblemType type, Executable e) {
        assertEquals(type, assertThrows(ProblemException.class, e).type());
    }

    @Test
    void parse_signedHead_roundTripsAndVerifies() {
        SignedHead parsed = SignedHead.parse(head.jws());
        assertEquals(head, parsed);
        parsed.verify(key.publicKey());
    }

    @Test
    void verify_eachSignatureByteFlipped_failsWithCryptographicSecurityError() {
        int dot = head.jws().lastIndexOf('.');
        byte[] signature = Base64Url.decode(head.jws().substring(dot + 1));
        for (int i = 0; i < signature.length; i++) {
            byte[] flipped = signature.clone();
            flipped[i] ^= 0x01;
            SignedHead altered = new SignedHead(42, hash, time, "key-1", head.jws().substring(0, dot + 1) + Base64Url.encode(flipped));
            assertProblem(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, () -> altered.verify(key.publicKey()));
        }
    }

    @Test
    void verify_eachFieldAltered_failsWithCryptographicSecurityError() {
        Random seeded = new Random(23);
        String otherHash = Long.toHexString(seeded.nextLong() | Long.MIN_VALUE).repeat(4);
        for (SignedHead altered : new SignedHead[] {
            new SignedHead(41, hash, time, "key-1", head.jws()),
            new SignedHead(42, otherHash, time, "key-1", head.jws()),
            new SignedHead(42, hash, time.plusNanos(1), "key-1", head.jws()),
            new SignedHead(42, hash, time, "key-2", head.jws())}) {
            assertProblem(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, () -> altered.verify(key.publicKey()));
        }
    }

    @Test
    void verify_anotherKey_failsWithCryptographicSecurityError() {
        assertProblem(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR,
                () -> head.verify(KeyPair.generate(KeyType.ED25519, new SecureRandom()).publicKey()));
    }

    @Test
    void verify_keyOfAnotherType_failsWithAlgorithmNotAllowed() {
        assertProblem(ProblemType.ALGORITHM_NOT_ALLOWED, () -> head.verify(KeyPair.generate(KeyType.P256, new SecureRandom()).publicKey()));
    }

    @Test
    void parseAndVerify_anotherTokenOfTheSameKey_failsAsNotAnAuditHead() {
        String other = CompactJws.sign(key, JwsHeader.of("key-1", "vc+jwt"),
                ("{\"seq\":42,\"hash\":\"" + hash + "\",\"time\":\"" + time + "\",\"keyId\":\"key-1\"}").getBytes(StandardCharsets.UTF_8));
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> SignedHead.parse(other));
        assertProblem(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, () -> new SignedHead(42, hash, time, "key-1", other).verify(key.publicKey()));
    }

    @Test
    void checkpoint_roundTripsThroughItsJson() {
        AuditCheckpoint cp = new AuditCheckpoint(head, key.publicKey());
        assertEquals(cp, AuditCheckpoint.parse(JsonCodec.write(cp.toJson())));
    }

    @Test
    void checkpointParse_badInput_failsWithItsProblemType() {
        assertProblem(ProblemType.INPUT_TOO_LARGE, () -> AuditCheckpoint.parse(new byte[AuditCheckpoint.MAX_BYTES + 1]));
        assertProblem(ProblemType.PARSING_ERROR, () -> AuditCheckpoint.parse("[1]".getBytes(StandardCharsets.UTF_8)));
        var json = new AuditCheckpoint(head, key.publicKey()).toJson();
        for (String member : new String[] {"seq", "hash", "time", "keyId", "publicKeyMultibase", "jws"}) {
            var missing = json.deepCopy();
            missing.remove(member);
            assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> AuditCheckpoint.parse(JsonCodec.write(missing)));
        }
        var notAKey = json.deepCopy().put("publicKeyMultibase", "z111");
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> AuditCheckpoint.parse(JsonCodec.write(notAKey)));
    }
}
