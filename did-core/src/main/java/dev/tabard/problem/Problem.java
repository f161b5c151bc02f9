package dev.tabard.problem;

import java.util.Objects;
import java.util.Optional;

/**
 * One failure: its type, a detail written by Tabard (never a third-party message), and where it applies
 * a JSON Pointer (RFC 6901) to the offending value.
 */
public record Problem(ProblemType type, String detail, Optional<String> pointer) {

    public Problem {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(pointer, "pointer");
    }

    public static Problem of(ProblemType type, String detail) {
        return new Problem(type, detail, Optional.empty());
    }

    public static Problem at(ProblemType type, String pointer, String detail) {
        return new Problem(type, detail, Optional.of(pointer));
    }

    /** Shorthand for throwing this problem. */
    public ProblemException exception() {
        return new ProblemException(this);
    }

    @Override
    public String toString() {
        return type.code() + pointer.map(p -> " at " + p).orElse("") + ": " + detail;
    }
}
