package dev.tabard.problem;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;

/**
 * An unexpected failure (a bug, or a fault nobody planned for), reported the one way Tabard reports them: logged once
 * at ERROR with its stack trace under a fresh random id, and answered with an {@code INTERNAL_ERROR} problem that
 * carries the id and nothing of the exception. The client quotes the id; the operator finds the trace by it.
 *
 * <pre>{@code
 * } catch (RuntimeException e) {
 *     return VerificationResult.failed(List.of(Incident.report(log, "verifying a credential", e).problem()), ...);
 * }
 * }</pre>
 *
 * @param id {@link #ID_BYTES} random bytes as lower-case hex; never reused, never derived from the request
 */
public record Incident(String id) {

    /** 64 bits: ids of incidents logged in a service's lifetime do not collide. */
    public static final int ID_BYTES = 8;
    /** The SLF4J key the id is logged under. */
    public static final String LOG_KEY = "incident";

    private static final Pattern ID = Pattern.compile("[0-9a-f]{" + 2 * ID_BYTES + "}");
    private static final SecureRandom RANDOM = new SecureRandom();

    public Incident {
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("an incident id is " + 2 * ID_BYTES + " lower-case hex digits");
        }
    }

    /**
     * Logs {@code cause} at ERROR on {@code log}, with its stack trace and a fresh incident id.
     *
     * @param what what was being done, in a few words ("handling GET /admin/keys"); it goes to the log only
     */
    public static Incident report(Logger log, String what, Throwable cause) {
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(cause, "cause");
        byte[] bytes = new byte[ID_BYTES];
        RANDOM.nextBytes(bytes);
        Incident incident = new Incident(HexFormat.of().formatHex(bytes));
        log.atError().setMessage("unexpected failure " + what).addKeyValue(LOG_KEY, incident.id).setCause(cause).log();
        return incident;
    }

    /** The {@code INTERNAL_ERROR} problem to answer with: the id, and what to do with it. */
    public Problem problem() {
        return new Problem(ProblemType.INTERNAL_ERROR, "an unexpected error stopped this request; try again, "
                + "and if it persists give the operator incident " + id + ", under which the log holds the details", Optional.empty(), Optional.of(id));
    }

    /** {@link #problem()} as an exception, for code whose contract is to throw. */
    public ProblemException exception() {
        return new ProblemException(problem());
    }
}
