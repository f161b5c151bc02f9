package dev.tabard.verifier.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tabard.fetch.CacheControl;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The freshness rule: the server's {@code Cache-Control} within the cache's bounds, never past the list's validUntil. */
class FreshnessTest {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    private static final Duration MIN = Duration.ofSeconds(10);
    private static final Duration MAX = Duration.ofHours(1);
    private static final Optional<Instant> IN_A_DAY = Optional.of(NOW.plus(Duration.ofDays(1)));

    private static Instant expires(Optional<Instant> validUntil, String cacheControl, Optional<Duration> headerFreshness) {
        return Freshness.expires(NOW, validUntil, Optional.ofNullable(cacheControl).map(CacheControl::parse), headerFreshness, MIN, MAX);
    }

    @Test
    void maxAge_isHonoured() {
        assertEquals(NOW.plusSeconds(300), expires(IN_A_DAY, "public, max-age=300", Optional.of(Duration.ofSeconds(300))));
    }

    @Test
    void maxAge_neverOutlivesTheListsValidUntil() {
        assertEquals(NOW.plusSeconds(50), expires(Optional.of(NOW.plusSeconds(50)), "max-age=600", Optional.empty()));
    }

    @Test
    void maxAge_isRaisedToTheMinimumAndLoweredToTheMaximum() {
        assertEquals(NOW.plus(MIN), expires(IN_A_DAY, "max-age=0", Optional.empty()));
        assertEquals(NOW.plus(MAX), expires(IN_A_DAY, "max-age=86400", Optional.empty()));
        assertEquals(NOW.plusSeconds(5), expires(Optional.of(NOW.plusSeconds(5)), "max-age=0", Optional.empty()),
                "the minimum does not outlive validUntil either");
    }

    @Test
    void noCacheAndNoStore_areStaleAtOnceWhateverTheMinimum() {
        assertEquals(NOW, expires(IN_A_DAY, "no-cache", Optional.empty()));
        assertEquals(NOW, expires(IN_A_DAY, "no-cache, max-age=600", Optional.empty()));
        assertEquals(NOW, expires(IN_A_DAY, "no-store", Optional.empty()));
    }

    @Test
    void withoutALifetimeInTheHeader_theRuleBeforeCachingHeadersHolds() {
        assertEquals(NOW.plus(MAX), expires(IN_A_DAY, null, Optional.empty()), "validUntil, lowered to the maximum");
        assertEquals(NOW.plusSeconds(90), expires(Optional.of(NOW.plusSeconds(90)), null, Optional.empty()));
        assertEquals(NOW.plusSeconds(20), expires(IN_A_DAY, null, Optional.of(Duration.ofSeconds(20))), "an Expires header shortens it");
        assertEquals(NOW.plus(Freshness.WITHOUT_VALID_UNTIL), expires(Optional.empty(), null, Optional.empty()));
        assertEquals(NOW.plus(MAX), expires(IN_A_DAY, "public", Optional.empty()), "a header without a lifetime says nothing");
        assertEquals(NOW.plusSeconds(3), expires(Optional.of(NOW.plusSeconds(90)), null, Optional.of(Duration.ofSeconds(3))),
                "no minimum here: the header gave no max-age");
    }
}
