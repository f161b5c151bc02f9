package dev.vouch.verifier.replay;

import dev.vouch.problem.ProblemException;
import dev.vouch.problem.ProblemType;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Refuses a presentation seen before, keyed on what it binds, never on its bytes: the holder with its nonce
 * (challenge), and its {@code jti} when it has one. Entries live until the presentation expires; the guard
 * holds at most {@code maxEntries} and, when full of unexpired entries, refuses new ones rather than forget
 * old ones. Thread-safe.
 */
public final class ReplayGuard {

    private final ConcurrentHashMap<String, Instant> seen = new ConcurrentHashMap<>();
    private final int maxEntries;
    private final Clock clock;

    public ReplayGuard(int maxEntries, Clock clock) {
        if (maxEntries <= 0) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        this.maxEntries = maxEntries;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public static ReplayGuard inMemory(Clock clock) {
        return new ReplayGuard(1_000_000, clock);
    }

    /**
     * Records a presentation, or refuses it as a replay.
     *
     * @param expires until when the presentation would be accepted; it is remembered that long
     * @throws ProblemException {@code PRESENTATION_REPLAYED} when the holder's nonce or the jti was seen;
     *     {@code SERVICE_UNAVAILABLE} when the guard is full
     */
    public void check(String holder, String nonce, Optional<String> jti, Instant expires) {
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(nonce, "nonce");
        if (seen.size() >= maxEntries) {
            purge();
            if (seen.size() >= maxEntries) {
                throw new ProblemException(ProblemType.SERVICE_UNAVAILABLE, "replay guard is full; try again shortly");
            }
        }
        String bound = "nonce " + holder + " " + nonce;
        if (seen.putIfAbsent(bound, expires) != null) {
            throw new ProblemException(ProblemType.PRESENTATION_REPLAYED, "this holder already presented with this challenge");
        }
        if (jti.isPresent() && seen.putIfAbsent("jti " + holder + " " + jti.get(), expires) != null) {
            seen.remove(bound, expires);
            throw new ProblemException(ProblemType.PRESENTATION_REPLAYED, "presentation " + jti.get() + " was already used");
        }
    }

    /** Forgets presentations that have expired. */
    public void purge() {
        Instant now = clock.instant();
        for (Iterator<Map.Entry<String, Instant>> it = seen.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getValue().isBefore(now)) {
                it.remove();
            }
        }
    }

    public int size() {
        return seen.size();
    }
}
