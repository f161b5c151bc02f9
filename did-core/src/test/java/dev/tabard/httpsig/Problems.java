package dev.tabard.httpsig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import org.junit.jupiter.api.function.Executable;

/** Asserts the problem a call fails with. */
final class Problems {

    private Problems() {
    }

    static ProblemException assertProblem(ProblemType expected, Executable call) {
        ProblemException e = assertThrows(ProblemException.class, call);
        assertEquals(expected, e.type(), e::getMessage);
        return e;
    }
}
