package dev.tabard.gate;

import dev.tabard.did.Did;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pauses a caller after {@link GateLimits.Breaker#refusals()} refused or failed calls within
 * {@link GateLimits.Breaker#within()}: a runaway agent stops costing the service, and its operator sees 503s with
 * {@code Retry-After} instead of a stream of refusals. Only authenticated callers are counted, so no one can pause
 * another agent by sending calls in its name.
 */
final class Breaker {

    static final int MAX_TRACKED = 100_000;

    private final GateLimits.Breaker policy;
    private final Clock clock;
    private final Map<Did, State> states = new ConcurrentHashMap<>();

    private static final class State {
        final ArrayDeque<Instant> refusals = new ArrayDeque<>();
        Instant pausedUntil = Instant.MIN;
    }

    Breaker(GateLimits.Breaker policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
    }

    /** How long {@code agent} stays paused, when it is. */
    Optional<Duration> paused(Did agent) {
        State s = states.get(agent);
        if (s == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        synchronized (s) {
            return now.isBefore(s.pausedUntil) ? Optional.of(Duration.between(now, s.pausedUntil)) : Optional.empty();
        }
    }

    /** Counts a refused or failed call; returns the pause it started, when it tripped the breaker. */
    Optional<Duration> refused(Did agent) {
        if (states.size() >= MAX_TRACKED && !states.containsKey(agent)) {
            Instant now = clock.instant();
            states.entrySet().removeIf(e -> !now.isBefore(e.getValue().pausedUntil) && e.getValue().refusals.isEmpty());
        }
        State s = states.computeIfAbsent(agent, a -> new State());
        Instant now = clock.instant();
        synchronized (s) {
            while (!s.refusals.isEmpty() && !s.refusals.peekFirst().isAfter(now.minus(policy.within()))) {
                s.refusals.pollFirst();
            }
            s.refusals.addLast(now);
            if (s.refusals.size() >= policy.refusals()) {
                s.refusals.clear();
                s.pausedUntil = now.plus(policy.pause());
                return Optional.of(policy.pause());
            }
            return Optional.empty();
        }
    }
}
