package dev.tabard.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class NonceStoreTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-03T10:00:00Z"));

    @Test
    void aNonceIsRefusedWhileRememberedAndPerKey() {
        NonceStore s = new NonceStore(clock, 1000);
        Instant until = clock.instant().plusSeconds(90);
        s.remember("did:key:a#a", "nonce-0123456789ab", until);
        ProblemException e = assertThrows(ProblemException.class, () -> s.remember("did:key:a#a", "nonce-0123456789ab", until.plusSeconds(60)));
        assertEquals(ProblemType.NONCE_REPLAYED, e.problems().get(0).type());
        s.remember("did:key:b#b", "nonce-0123456789ab", until);
        assertEquals(2, s.size());
    }

    @Test
    void aNonceIsForgottenOnlyAfterItsSignatureCouldNoLongerBeAccepted() {
        NonceStore s = new NonceStore(clock, 1000);
        Instant until = clock.instant().plusSeconds(95);
        s.remember("k", "n-0123456789abcdef", until);
        clock.advance(Duration.ofSeconds(95));
        assertEquals(ProblemType.NONCE_REPLAYED, assertThrows(ProblemException.class,
                () -> s.remember("k", "n-0123456789abcdef", until)).problems().get(0).type());
        clock.advance(Duration.ofSeconds(NonceStore.SLOT_SECONDS + 1));
        s.remember("k", "n-0123456789abcdef", clock.instant().plusSeconds(30));
        assertEquals(1, s.size());
    }

    @Test
    void whenFullOfUnexpiredNoncesNewCallsAreRefusedNotOldNoncesForgotten() {
        NonceStore s = new NonceStore(clock, 3);
        Instant until = clock.instant().plusSeconds(60);
        for (int i = 0; i < 3; i++) {
            s.remember("k", "nonce-number-" + i + "-xxxx", until);
        }
        ProblemException full = assertThrows(ProblemException.class, () -> s.remember("k", "nonce-number-9-xxxx", until));
        assertEquals(ProblemType.SERVICE_UNAVAILABLE, full.problems().get(0).type());
        // the oldest is still refused as a replay: nothing was evicted to make room
        assertEquals(ProblemType.NONCE_REPLAYED, assertThrows(ProblemException.class,
                () -> s.remember("k", "nonce-number-0-xxxx", until)).problems().get(0).type());
        clock.advance(Duration.ofSeconds(60 + NonceStore.SLOT_SECONDS + 1));
        s.remember("k", "nonce-number-9-xxxx", clock.instant().plusSeconds(30));
    }

    @Test
    void manyNoncesGrowTheTablesAndAreAllRemembered() {
        NonceStore s = new NonceStore(clock, 200_000);
        for (int i = 0; i < 100_000; i++) {
            s.remember("k", "nonce-" + i + "-padding", clock.instant().plusSeconds(i % 300));
        }
        assertEquals(100_000, s.size());
        for (int i = 0; i < 100_000; i += 997) {
            int n = i;
            assertEquals(ProblemType.NONCE_REPLAYED, assertThrows(ProblemException.class,
                    () -> s.remember("k", "nonce-" + n + "-padding", clock.instant().plusSeconds(10))).problems().get(0).type());
        }
    }
}
