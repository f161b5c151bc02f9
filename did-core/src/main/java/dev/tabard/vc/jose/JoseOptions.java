package dev.tabard.vc.jose;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How JOSE-secured credentials are checked.
 *
 * @param clock the time to check {@code exp}, {@code nbf} and {@code iat} against
 * @param skew tolerated clock difference, at most 10 minutes
 * @param acceptVc11 whether the VC 1.1 JWT encoding ({@code vc}/{@code vp} claims) is accepted
 * @param verifiedTokens credential tokens already verified, checked again only in what can change
 */
public record JoseOptions(Clock clock, Duration skew, boolean acceptVc11, VerifiedTokens verifiedTokens) {

    public static final Duration MAX_SKEW = Duration.ofMinutes(10);

    public JoseOptions {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(skew, "skew");
        if (skew.isNegative() || skew.compareTo(MAX_SKEW) > 0) {
            throw new IllegalArgumentException("clock skew must be 0..10 minutes");
        }
        Objects.requireNonNull(verifiedTokens, "verifiedTokens");
    }

    /** Every token checked in full. */
    public JoseOptions(Clock clock, Duration skew, boolean acceptVc11) {
        this(clock, skew, acceptVc11, VerifiedTokens.none());
    }

    /** System clock, 60 s skew, VC 1.1 JWTs accepted. */
    public static JoseOptions defaults() {
        return new JoseOptions(Clock.systemUTC(), Duration.ofSeconds(60), true);
    }
}
