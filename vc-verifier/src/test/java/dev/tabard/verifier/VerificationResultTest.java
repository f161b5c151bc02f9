package dev.tabard.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemType;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The invariants a result holds, and that code outside the verifier can only fail one. */
class VerificationResultTest {

    private final Problem altered = Problem.of(ProblemType.MALFORMED_VALUE_ERROR, "the row was altered");

    @Test
    void refutedBy_verifiedResult_failsWithTheErrorsAndDropsTheAgent() {
        VerificationResult ok = VerificationResult.verified(Optional.empty(), List.of(), Set.of(Check.PROOF));
        VerificationResult refuted = ok.refutedBy(List.of(altered));
        assertFalse(refuted.verified());
        assertEquals(List.of(altered), refuted.errors());
        assertTrue(refuted.agent().isEmpty());
        assertEquals(Set.of(Check.PROOF), refuted.checked());
    }

    @Test
    void refutedBy_noErrors_isRefused() {
        VerificationResult ok = VerificationResult.verified(Optional.empty(), List.of(), Set.of());
        assertThrows(IllegalArgumentException.class, () -> ok.refutedBy(List.of()));
    }

    @Test
    void failed_withoutErrors_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> VerificationResult.failed(List.of(), List.of(), Set.of()));
    }
}
