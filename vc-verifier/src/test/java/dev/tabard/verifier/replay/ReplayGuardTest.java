package dev.tabard.verifier.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The replay guard's bounds: lifetime, per-holder share, and a full table that evicts instead of refusing everyone. */
class ReplayGuardTest {

    private final Instant start = Instant.parse("2026-12-03T12:00:00Z");
    private final AtomicReference<Instant> time = new AtomicReference<>(start);
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return time.get();
        }
    };

    private static ProblemType refusal(Runnable check) {
        return assertThrows(ProblemException.class, check::run).type();
    }

    @Test
    void check_sameNonceOrJti_failsWithPresentationReplayed() {
        ReplayGuard g = new ReplayGuard(10, clock);
        g.check("h", "n", "j", start.plusSeconds(60));
        assertEquals(ProblemType.PRESENTATION_REPLAYED, refusal(() -> g.check("h", "n", start.plusSeconds(60))));
        assertEquals(ProblemType.PRESENTATION_REPLAYED, refusal(() -> g.check("h", "other", "j", start.plusSeconds(60))));
        g.check("another holder", "n", "j", start.plusSeconds(60));
        assertEquals(4, g.size());
    }

    @Test
    void check_expiryBeyondMaxRemembered_failsWithLifetimeTooLongAndTakesNoRoom() {
        ReplayGuard g = new ReplayGuard(10, clock);
        assertEquals(ProblemType.LIFETIME_TOO_LONG, refusal(() -> g.check("h", "n",
                Instant.parse("9999-12-31T23:59:59Z"))));
        assertEquals(ProblemType.LIFETIME_TOO_LONG, refusal(() -> g.check("h", "n",
                start.plus(ReplayGuard.MAX_REMEMBERED).plusSeconds(1))));
        assertEquals(0, g.size());
        g.check("h", "n", start.plus(ReplayGuard.MAX_REMEMBERED));
        assertEquals(1, g.size());
    }

    @Test
    void check_afterExpiry_forgetsTheEntry() {
        ReplayGuard g = new ReplayGuard(10, clock);
        g.check("h", "n", "j", start.plusSeconds(60));
        time.set(start.plusSeconds(61));
        g.check("h", "fresh", start.plusSeconds(120));
        assertEquals(1, g.size());
    }

    @Test
    void check_fullGuard_evictsWhatExpiresFirstAndRefusesNoOne() {
        ReplayGuard g = new ReplayGuard(4, 4, clock);
        g.check("h1", "n", start.plusSeconds(600));
        g.check("h2", "n", start.plusSeconds(60));
        g.check("h3", "n", start.plusSeconds(300));
        g.check("h4", "n", start.plusSeconds(400));
        g.check("h5", "n", start.plusSeconds(500));
        assertEquals(4, g.size());
        // h2's entry expired first, so it went; the others are still remembered
        g.check("h2", "n", start.plusSeconds(60));
        for (String kept : new String[] {"h1", "h4", "h5"}) {
            assertEquals(ProblemType.PRESENTATION_REPLAYED, refusal(() -> g.check(kept, "n", start.plusSeconds(60))));
        }
        assertEquals(4, g.size());
    }

    @Test
    void check_holderOverItsShare_failsWithClientLimitExceededWhileOthersAreServed() {
        ReplayGuard g = new ReplayGuard(100, 10, clock);
        for (int i = 0; i < 5; i++) {
            g.check("abuser", "n" + i, "j" + i, start.plusSeconds(600));
        }
        assertEquals(ProblemType.CLIENT_LIMIT_EXCEEDED, refusal(() -> g.check("abuser", "n5", start.plusSeconds(600))));
        // a replay is still reported as one, whatever the holder's share
        assertEquals(ProblemType.PRESENTATION_REPLAYED, refusal(() -> g.check("abuser", "n0", start.plusSeconds(600))));
        g.check("honest", "n0", "j0", start.plusSeconds(600));
        time.set(start.plusSeconds(601));
        g.check("abuser", "n5", start.plusSeconds(900));
    }

    @Test
    void check_floodFromManyHolders_staysWithinCapacityAndServesTheHonest() {
        ReplayGuard g = new ReplayGuard(10_000, 64, clock);
        Instant farthest = start.plus(ReplayGuard.MAX_REMEMBERED);
        for (int i = 0; i < 100_000; i++) {
            g.check("flooder-" + (i % 5_000), "n" + i, "j" + i, farthest);
            assertTrue(g.size() <= 10_000);
        }
        g.check("honest", "n", "j", start.plusSeconds(120));
        assertEquals(ProblemType.PRESENTATION_REPLAYED, refusal(() -> g.check("honest", "n", "j", start.plusSeconds(120))));
    }

    @Test
    void inMemory_holdsEachHolderToItsShareUnlessThatBoundIsGivenUpByName() {
        ReplayGuard bounded = ReplayGuard.inMemory(clock);
        ReplayGuard unbounded = ReplayGuard.inMemoryWithoutPerHolderBound(clock);
        for (int i = 0; i < ReplayGuard.MAX_ENTRIES_PER_HOLDER; i++) {
            bounded.check("load", "n" + i, start.plusSeconds(60));
            unbounded.check("load", "n" + i, start.plusSeconds(60));
        }
        assertEquals(ProblemType.CLIENT_LIMIT_EXCEEDED, refusal(() -> bounded.check("load", "over", start.plusSeconds(60))));
        unbounded.check("load", "over", start.plusSeconds(60));
        assertEquals(ReplayGuard.MAX_ENTRIES_PER_HOLDER + 1, unbounded.size());
    }

    @Test
    void constructor_shareLargerThanTheGuard_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ReplayGuard(10, 11, clock));
        assertThrows(IllegalArgumentException.class, () -> new ReplayGuard(1, clock));
    }
}
