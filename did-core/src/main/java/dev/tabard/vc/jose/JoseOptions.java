package dev.tabard.vc.jose;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How JOSE-secured credentials are checked. Strict by default: {@link #strict} and {@link #defaults()} accept only the
 * VC 2.0 encoding ({@code vc+jwt}, {@code vp+jwt}), as the trust policy's default does; {@link #acceptingVc11()}
 * loosens that by name.
 *
 * <pre>{@code
 * JoseOptions options = JoseOptions.strict(clock, Duration.ofSeconds(60));
 * JoseOptions legacy = options.acceptingVc11(); // only where the policy allows VC 1.1 JWTs
 * }</pre>
 *
 * @param clock the time to check {@code exp}, {@code nbf} and {@code iat} against
 * @param skew tolerated clock difference, at most 10 minutes
 * @param acceptVc11 whether the VC 1.1 JWT encoding ({@code vc}/{@code vp} claims) is accepted; set it with
 *     {@link #acceptingVc11()}
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

    /** VC 2.0 tokens only, every token checked in full. */
    public static JoseOptions strict(Clock clock, Duration skew) {
        return new JoseOptions(clock, skew, false, VerifiedTokens.none());
    }

    /** System clock, 60 s skew, VC 2.0 tokens only. */
    public static JoseOptions defaults() {
        return strict(Clock.systemUTC(), Duration.ofSeconds(60));
    }

    /**
     * These options, also accepting VC 1.1 JWTs. What that gives up: the credential is carried in a {@code vc} (or
     * {@code vp}) claim and its validity comes from the JWT's {@code nbf}/{@code exp}, an encoding VC 2.0 replaced;
     * accept it only where a trust policy names that format.
     */
    public JoseOptions acceptingVc11() {
        return new JoseOptions(clock, skew, true, verifiedTokens);
    }

    /** These options, with credential tokens already verified checked again only in what can change. */
    public JoseOptions withVerifiedTokens(VerifiedTokens tokens) {
        return new JoseOptions(clock, skew, acceptVc11, tokens);
    }
}
