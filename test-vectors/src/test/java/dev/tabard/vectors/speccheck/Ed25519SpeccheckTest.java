package dev.tabard.vectors.speccheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.crypto.KeyType;
import dev.tabard.crypto.VerificationKey;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vectors.Vectors;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The 12 ed25519-speccheck vectors ("Taming the many EdDSAs") through key import and verify.
 *
 * <p>Policy: a public key must be a canonical point of prime order, because an honest key always is and
 * a small- or mixed-order key lets one signature verify for many messages or keys. So cases 0–5 and
 * 8–11 are refused at import ({@code INVALID_VERIFICATION_METHOD}: their keys are of small or mixed order,
 * or not canonical), and 6–7, the only ones with a prime-order key, by the signature check
 * ({@code CRYPTOGRAPHIC_SECURITY_ERROR}: S ≥ L). Case 3, which a plain RFC 8032 verifier accepts, is
 * refused here for its mixed-order key.
 */
class Ed25519SpeccheckTest {

    private static final ProblemType KEY = ProblemType.INVALID_VERIFICATION_METHOD;
    private static final ProblemType SIG = ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR;
    private static final ProblemType[] EXPECTED = {KEY, KEY, KEY, KEY, KEY, KEY, SIG, SIG, KEY, KEY, KEY, KEY};

    @Test
    void everyCaseEndsAsThePolicySays() {
        JsonNode cases = Vectors.json("ed25519-speccheck/cases.json");
        assertEquals(12, cases.size());
        List<String> mismatches = new ArrayList<>();
        int asExpected = 0;
        for (int i = 0; i < cases.size(); i++) {
            JsonNode c = cases.get(i);
            ProblemType got = null;
            try {
                VerificationKey key = VerificationKey.of(KeyType.ED25519, Vectors.hex(c.get("pub_key").asText()));
                key.verifier().verify(Vectors.hex(c.get("message").asText()), Vectors.hex(c.get("signature").asText()));
            } catch (ProblemException e) {
                got = e.type();
            }
            if (got == EXPECTED[i]) {
                asExpected++;
            } else {
                mismatches.add("case " + i + ": expected " + EXPECTED[i] + ", got " + (got == null ? "accepted" : got));
            }
        }
        Vectors.report("ed25519-speccheck", cases.size(), asExpected);
        assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
    }
}
