package dev.tabard.problem;

import java.util.List;
import java.util.Objects;

/**
 * The one exception for bad input to a parser, resolver or signer. The kind of failure lives in
 * {@link ProblemType}, not in a class hierarchy; it is unchecked because the HTTP edge maps it centrally
 * and verification never throws it (verdicts are results).
 */
public final class ProblemException extends RuntimeException {

    private final List<Problem> problems;

    public ProblemException(Problem problem) {
        this(List.of(problem), null);
    }

    public ProblemException(ProblemType type, String detail) {
        this(Problem.of(type, detail));
    }

    public ProblemException(ProblemType type, String detail, Throwable cause) {
        this(List.of(Problem.of(type, detail)), cause);
    }

    public ProblemException(List<Problem> problems) {
        this(problems, null);
    }

    private ProblemException(List<Problem> problems, Throwable cause) {
        super(message(problems), cause, false, cause != null);
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("at least one problem is required");
        }
        this.problems = List.copyOf(problems);
    }

    private static String message(List<Problem> problems) {
        Objects.requireNonNull(problems, "problems");
        return problems.isEmpty() ? "" : problems.get(0).toString();
    }

    /** The first (principal) problem. */
    public Problem problem() {
        return problems.get(0);
    }

    /** The principal problem's type. */
    public ProblemType type() {
        return problems.get(0).type();
    }

    public List<Problem> problems() {
        return problems;
    }
}
