package dev.tabard.http;

import java.time.Duration;
import java.util.Objects;

/**
 * A token bucket's shape: a client may make {@code burst} requests at once, and earns one more every
 * {@code refillEvery}. Each server names its own limits as constants.
 *
 * @param burst requests a client may make at once
 * @param refillEvery how long a client waits for one more request once the burst is spent
 */
public record RateLimit(int burst, Duration refillEvery) {

    public RateLimit {
        Objects.requireNonNull(refillEvery, "refillEvery");
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be at least 1");
        }
        if (refillEvery.isNegative() || refillEvery.isZero()) {
            throw new IllegalArgumentException("refillEvery must be positive");
        }
    }

    /** {@code perSecond} requests a second on average, up to {@code burst} at once. */
    public static RateLimit perSecond(int perSecond, int burst) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("perSecond must be at least 1");
        }
        return new RateLimit(burst, Duration.ofNanos(1_000_000_000L / perSecond));
    }
}
