package dev.tabard.vectors.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.problem.ProblemType;
import dev.tabard.verifier.VerificationResult;

/** What the interop tests read from the vector files and expect of a verification. */
final class Outcomes {

    private Outcomes() {
    }

    /** A token as its text, a JSON document as its serialization. */
    static String text(JsonNode n) {
        return n.isTextual() ? n.asText() : n.toString();
    }

    static void assertVerified(VerificationResult r) {
        assertTrue(r.verified(), () -> r.errors().toString());
    }

    static void assertFails(ProblemType expected, VerificationResult r) {
        assertFalse(r.verified());
        assertEquals(expected, r.errors().get(0).type(), () -> r.errors().toString());
    }
}
