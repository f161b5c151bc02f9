package dev.tabard.verifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.Timestamps;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How long a verified presentation is valid, capped at {@link Verifier#MAX_PRESENTATION_LIFETIME}, and so how long
 * the replay guard must remember it.
 *
 * <p>The window opens at the earliest of the presentation's declared starts ({@code iat} and {@code nbf} of a vp+jwt,
 * {@code validFrom}, each proof's {@code created}) and the time of verification, and closes at the earliest declared
 * end ({@code exp}, {@code validUntil}, each proof's {@code expires}). A window longer than the cap is refused with
 * {@code LIFETIME_TOO_LONG}. A presentation that declares no end is remembered for the cap from verification.
 *
 * @param end when the presentation stops being accepted, before clock skew
 */
record PresentationLifetime(Instant end) {

    PresentationLifetime {
        Objects.requireNonNull(end, "end");
    }

    /**
     * Checks a presentation's declared window against the cap.
     *
     * @throws ProblemException {@code LIFETIME_TOO_LONG} when the window is longer than the cap
     */
    static PresentationLifetime of(Collection<Instant> starts, Collection<Instant> ends, Instant now) {
        Instant start = starts.stream().min(Comparator.naturalOrder()).filter(s -> s.isBefore(now)).orElse(now);
        Optional<Instant> end = ends.stream().min(Comparator.naturalOrder());
        if (end.isEmpty()) {
            return new PresentationLifetime(now.plus(Verifier.MAX_PRESENTATION_LIFETIME));
        }
        Duration lifetime = Duration.between(start, end.get());
        if (lifetime.compareTo(Verifier.MAX_PRESENTATION_LIFETIME) > 0) {
            throw new ProblemException(ProblemType.LIFETIME_TOO_LONG, "the presentation is valid from " + start + " until "
                    + end.get() + "; this verifier accepts presentations valid for at most "
                    + Verifier.MAX_PRESENTATION_LIFETIME.toMinutes() + " minutes: sign one with an earlier exp or expires");
        }
        return new PresentationLifetime(end.get());
    }

    /** Until when the replay guard remembers the presentation: its end plus the clock skew it may be accepted with. */
    Instant rememberUntil(Duration skew) {
        return end.plus(skew);
    }

    /** The declared starts of a vp+jwt: {@code iat} and {@code nbf}, NumericDates that the JOSE checks already passed. */
    static List<Instant> jwtStarts(ObjectNode payload) {
        List<Instant> out = new ArrayList<>();
        for (String claim : List.of("iat", "nbf")) {
            Timestamps.numericDate(payload, claim).ifPresent(out::add);
        }
        return out;
    }

    /** {@code name} on a presentation document and on each of its proofs, as dates. */
    static List<Instant> documentTimes(ObjectNode presentation, String documentMember, String proofMember) {
        List<Instant> out = new ArrayList<>();
        dateTime(presentation.get(documentMember), "/" + documentMember).ifPresent(out::add);
        JsonNode proofs = presentation.get("proof");
        if (proofs != null && proofs.isArray()) {
            for (int i = 0; i < proofs.size(); i++) {
                dateTime(proofs.get(i).get(proofMember), "/proof/" + i + "/" + proofMember).ifPresent(out::add);
            }
        } else if (proofs != null) {
            dateTime(proofs.get(proofMember), "/proof/" + proofMember).ifPresent(out::add);
        }
        return out;
    }

    /** A date read by the one parser every other date goes through. */
    private static Optional<Instant> dateTime(JsonNode n, String pointer) {
        if (n == null) {
            return Optional.empty();
        }
        if (!n.isTextual()) {
            throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, pointer, "a date is an XSD dateTimeStamp string"));
        }
        return Optional.of(Timestamps.parseDateTimeStamp(n.asText(), pointer));
    }
}
