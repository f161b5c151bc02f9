package dev.tabard.vc.jose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class JoseOptionsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void defaultsAndStrict_refuseVc11_likeTheTrustPolicyDefault() {
        assertFalse(JoseOptions.defaults().acceptVc11());
        assertEquals(Duration.ofSeconds(60), JoseOptions.defaults().skew());
        assertFalse(JoseOptions.strict(CLOCK, Duration.ZERO).acceptVc11());
    }

    @Test
    void acceptingVc11_loosensOnlyThat() {
        VerifiedTokens tokens = VerifiedTokens.bounded(4);
        JoseOptions strict = JoseOptions.strict(CLOCK, Duration.ofSeconds(30)).withVerifiedTokens(tokens);
        JoseOptions loose = strict.acceptingVc11();
        assertTrue(loose.acceptVc11());
        assertFalse(strict.acceptVc11());
        assertSame(CLOCK, loose.clock());
        assertEquals(Duration.ofSeconds(30), loose.skew());
        assertSame(tokens, loose.verifiedTokens());
        assertTrue(loose.withVerifiedTokens(VerifiedTokens.none()).acceptVc11());
    }

    @Test
    void strict_skewPastTenMinutes_isAProgrammerError() {
        assertThrows(IllegalArgumentException.class, () -> JoseOptions.strict(CLOCK, Duration.ofMinutes(11)));
        assertThrows(IllegalArgumentException.class, () -> JoseOptions.strict(CLOCK, Duration.ofSeconds(-1)));
    }
}
