package dev.tabard.gate;

import dev.tabard.did.Did;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The token buckets of {@link GateLimits}: one per agent, one per organization, one per agent and limited capability.
 * A call takes a token from each that applies; the first empty one refuses it, and says when to come back.
 */
final class Throttle {

    /** Buckets kept at once per kind; past that the map is cleared, which forgives at most one burst per caller. */
    static final int MAX_BUCKETS = 100_000;

    private final GateLimits limits;
    private final TimeMeter time;
    private final Map<String, Bucket> agents = new ConcurrentHashMap<>();
    private final Map<String, Bucket> organizations = new ConcurrentHashMap<>();
    private final Map<String, Bucket> capabilities = new ConcurrentHashMap<>();

    Throttle(GateLimits limits, Clock clock) {
        this.limits = limits;
        this.time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                java.time.Instant now = clock.instant();
                return now.getEpochSecond() * 1_000_000_000L + now.getNano();
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
    }

    /** Takes a token for {@code agent} of {@code organization} exercising {@code capability}; empty when allowed. */
    Optional<Refusal> take(Did agent, Did organization, String capability) {
        Optional<Refusal> r = take(agents, agent.toString(), limits.perAgent(), "this agent");
        if (r.isPresent()) {
            return r;
        }
        r = take(organizations, organization.toString(), limits.perOrganization(), "the agents of " + organization);
        if (r.isPresent()) {
            return r;
        }
        GateLimits.Rate capRate = limits.perCapability().get(capability);
        return capRate == null ? Optional.empty()
                : take(capabilities, agent + " " + capability, capRate, "this agent's calls exercising " + capability);
    }

    /** Who hit which limit, and when a token is back. */
    record Refusal(String who, GateLimits.Rate rate, Duration retryAfter) {
    }

    private Optional<Refusal> take(Map<String, Bucket> buckets, String key, GateLimits.Rate rate, String who) {
        if (buckets.size() >= MAX_BUCKETS && !buckets.containsKey(key)) {
            buckets.clear();
        }
        Bucket b = buckets.computeIfAbsent(key, k -> Bucket.builder().withCustomTimePrecision(time)
                .addLimit(l -> l.capacity(rate.requests()).refillGreedy(rate.requests(), rate.per())).build());
        ConsumptionProbe p = b.tryConsumeAndReturnRemaining(1);
        return p.isConsumed() ? Optional.empty() : Optional.of(new Refusal(who, rate, Duration.ofNanos(p.getNanosToWaitForRefill())));
    }
}
