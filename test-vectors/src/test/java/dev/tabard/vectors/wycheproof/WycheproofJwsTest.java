package dev.tabard.vectors.wycheproof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.crypto.VerificationKey;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.jose.CompactJws;
import dev.tabard.vectors.Vectors;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Wycheproof's JWS file through {@link CompactJws}. The P-256 groups (41 cases) must end exactly as
 * Wycheproof says, including the {@code use: enc} and {@code key_ops} keys nimbus alone accepts. Every
 * other case names an RSA or HMAC key, which Tabard does not accept: those must all be rejected, and the
 * four {@code alg: none} tokens must be rejected as such before any key is consulted.
 */
class WycheproofJwsTest {

    private static final Set<String> P256_GROUPS = Set.of("es256", "SpecialCaseEs256", "ec_key_for_encryption");

    @Test
    void jsonWebSignature() {
        JsonNode file = Vectors.json("wycheproof/testvectors_v1/json_web_signature_test.json");
        int all = 0;
        int p256 = 0;
        int p256AsExpected = 0;
        int none = 0;
        int otherRejected = 0;
        List<String> mismatches = new ArrayList<>();
        for (JsonNode group : file.get("testGroups")) {
            boolean ecGroup = P256_GROUPS.contains(group.get("comment").asText());
            Optional<VerificationKey> key = importKey(group);
            for (JsonNode test : group.get("tests")) {
                all++;
                String id = "tcId " + test.get("tcId").asInt() + " (" + test.get("comment").asText() + ")";
                boolean valid = test.get("result").asText().equals("valid");
                boolean isNone = test.get("flags").toString().contains("AlgIsNone");
                Outcome outcome = verify(test.get("jws"), key);
                if (isNone) {
                    none++;
                    if (outcome.problem != ProblemType.ALGORITHM_NOT_ALLOWED) {
                        mismatches.add(id + ": alg none ended as " + outcome);
                    }
                }
                if (ecGroup) {
                    p256++;
                    if (outcome.accepted == valid) {
                        p256AsExpected++;
                    } else {
                        mismatches.add(id + ": expected " + (valid ? "valid" : "invalid") + ", got " + outcome);
                    }
                } else if (outcome.accepted) {
                    mismatches.add(id + ": a non-P-256 JWS was accepted");
                } else {
                    otherRejected++;
                }
            }
        }
        Vectors.report("wycheproof jws p256", p256, p256AsExpected);
        Vectors.report("wycheproof jws alg none (rejected as ALGORITHM_NOT_ALLOWED)", none, none - (int) mismatches
                .stream().filter(m -> m.contains("alg none")).count());
        Vectors.report("wycheproof jws rsa/hmac (rejected by policy)", all - p256, otherRejected);
        assertEquals(401, all);
        assertEquals(41, p256);
        assertEquals(4, none);
        assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
    }

    private static Optional<VerificationKey> importKey(JsonNode group) {
        JsonNode jwk = group.has("public") ? group.get("public") : group.get("private");
        try {
            return Optional.of(VerificationKey.fromJwk(jwk));
        } catch (ProblemException e) {
            assertEquals(ProblemType.INVALID_VERIFICATION_METHOD, e.type(), e.getMessage());
            return Optional.empty();
        }
    }

    private record Outcome(boolean accepted, ProblemType problem) {
        @Override
        public String toString() {
            return accepted ? "accepted" : "rejected (" + problem + ")";
        }
    }

    private static Outcome verify(JsonNode jws, Optional<VerificationKey> key) {
        if (!jws.isTextual()) {
            return new Outcome(false, ProblemType.PARSING_ERROR); // JSON serialization: not a compact JWS
        }
        try {
            CompactJws parsed = CompactJws.parse(jws.asText());
            if (key.isEmpty()) {
                return new Outcome(false, ProblemType.INVALID_VERIFICATION_METHOD);
            }
            parsed.verify(key.get());
            return new Outcome(true, null);
        } catch (ProblemException e) {
            return new Outcome(false, e.type());
        }
    }
}
