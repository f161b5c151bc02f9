package dev.tabard.http;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Token buckets per client address for one route. The table of clients is bounded: past
 * {@link #MAX_TRACKED_CLIENTS} the client seen least recently is forgotten, so a flood from many addresses costs
 * bounded memory. A forgotten client starts again with a full bucket, which gives an attacker with that many
 * addresses at most one burst per address, never more than the addresses it already has.
 *
 * <p>Thread-safe: one lock guards the table; each decision is a few arithmetic operations.
 */
public final class RateLimiter {

    /** Clients remembered per route: 10,000 buckets of about 100 bytes each, about 1 MB. */
    public static final int MAX_TRACKED_CLIENTS = 10_000;

    private final RateLimit limit;
    private final Clock clock;
    private final Map<String, Bucket> buckets = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > MAX_TRACKED_CLIENTS;
        }
    };

    public RateLimiter(RateLimit limit, Clock clock) {
        this.limit = Objects.requireNonNull(limit, "limit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Takes one request from {@code client}'s bucket.
     *
     * @return empty when the request may proceed; otherwise how long the client must wait for its next request
     */
    public Optional<Duration> take(String client) {
        Objects.requireNonNull(client, "client");
        long now = clock.millis();
        long refillNanos = limit.refillEvery().toNanos();
        synchronized (buckets) {
            Bucket b = buckets.computeIfAbsent(client, k -> new Bucket(limit.burst(), now));
            long elapsedNanos = Math.max(0, now - b.updatedMillis) * 1_000_000L;
            long earned = elapsedNanos / refillNanos;
            if (earned > 0) {
                b.tokens = (int) Math.min(limit.burst(), b.tokens + earned);
                b.updatedMillis = b.tokens == limit.burst() ? now : b.updatedMillis + (earned * refillNanos) / 1_000_000L;
            }
            if (b.tokens > 0) {
                b.tokens--;
                return Optional.empty();
            }
            long waitNanos = refillNanos - Math.max(0, now - b.updatedMillis) * 1_000_000L;
            return Optional.of(Duration.ofNanos(Math.max(waitNanos, 1_000_000L)));
        }
    }

    /** Clients currently remembered (for tests and metrics). */
    public int trackedClients() {
        synchronized (buckets) {
            return buckets.size();
        }
    }

    private static final class Bucket {
        int tokens;
        long updatedMillis;

        Bucket(int tokens, long updatedMillis) {
            this.tokens = tokens;
            this.updatedMillis = updatedMillis;
        }
    }
}
