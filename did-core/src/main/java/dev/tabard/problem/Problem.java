package dev.tabard.problem;

import java.util.Objects;
import java.util.Optional;

/**
 * One failure: its type, a detail written by Tabard (never a third-party message), where it applies a JSON Pointer
 * (RFC 6901) to the offending value, and for an unexpected failure the {@link Incident} id under which the stack
 * trace was logged, so an operator can find it from what the client was told.
 */
public record Problem(ProblemType type, String detail, Optional<String> pointer, Optional<String> incident) {

    public Problem {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(pointer, "pointer");
        Objects.requireNonNull(incident, "incident");
    }

    /** A problem the input caused: no incident. */
    public Problem(ProblemType type, String detail, Optional<String> pointer) {
        this(type, detail, pointer, Optional.empty());
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
        return type.code() + pointer.map(p -> " at " + p).orElse("") + ": " + detail + incident.map(i -> " (incident " + i + ")").orElse("");
    }
}
