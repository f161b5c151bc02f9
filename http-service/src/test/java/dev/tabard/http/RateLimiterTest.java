package dev.tabard.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.testing.ManualClock;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RateLimiterTest {


    @Test
    void take_burstSpent_waitsOneRefillPeriod_thenOneMore() {
        ManualClock clock = new ManualClock();
        RateLimiter limiter = new RateLimiter(new RateLimit(2, Duration.ofSeconds(10)), clock);
        assertEquals(Optional.empty(), limiter.take("a"));
        assertEquals(Optional.empty(), limiter.take("a"));
        assertEquals(Optional.of(Duration.ofSeconds(10)), limiter.take("a"));
        assertEquals(Optional.empty(), limiter.take("b"), "buckets are per client");
        clock.advance(Duration.ofSeconds(4));
        assertEquals(Optional.of(Duration.ofSeconds(6)), limiter.take("a"));
        clock.advance(Duration.ofSeconds(6));
        assertEquals(Optional.empty(), limiter.take("a"));
        assertTrue(limiter.take("a").isPresent());
        clock.advance(Duration.ofHours(1));
        assertEquals(Optional.empty(), limiter.take("a"));
        assertEquals(Optional.empty(), limiter.take("a"), "refills up to the burst, no further");
        assertTrue(limiter.take("a").isPresent());
    }

    @Test
    void take_manyClients_tableStaysBounded() {
        RateLimiter limiter = new RateLimiter(RateLimit.perSecond(1, 1), Clock.systemUTC());
        for (int i = 0; i < RateLimiter.MAX_TRACKED_CLIENTS + 5_000; i++) {
            limiter.take("10.0." + (i >> 8) + "." + (i & 0xff));
        }
        assertEquals(RateLimiter.MAX_TRACKED_CLIENTS, limiter.trackedClients());
    }
}
