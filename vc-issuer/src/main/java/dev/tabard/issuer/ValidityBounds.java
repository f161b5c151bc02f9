package dev.tabard.issuer;

import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.Credential;
import java.time.Duration;
import java.time.Instant;

/**
 * The dates every credential this issuer signs keeps to ({@link IssuanceMode#BOUNDED}): it starts now and ends within
 * a named lifetime. A request beyond them is refused, never trimmed: the VC-API issue operation returns the credential
 * the request describes or an error, and a silently shortened credential would surprise its holder only when it stops
 * verifying. A request that leaves a date out gets the issuer's: {@code validFrom} now, {@code validUntil} one
 * {@link IssuerConfig#credentialValidity} later (VC 1.1: {@code issuanceDate}, {@code expirationDate}).
 */
public final class ValidityBounds {

    /**
     * The longest any credential other than an AgentCredential may be valid: one year, the longest renewal interval in
     * common use (the CA/Browser Forum caps TLS certificates at 398 days and is lowering that). An AgentCredential is
     * bounded tighter, by {@link IssuerConfig#credentialValidity} (at most 30 days).
     */
    public static final Duration MAX_LIFETIME = Duration.ofDays(365);

    /**
     * How far {@code validFrom} may be from the issuer's clock: the verifiers' default clock skew. A back-dated credential
     * claims the issuer attested to something before it did; a post-dated one is signed by today's key for a time no one
     * can check yet.
     */
    public static final Duration MAX_VALID_FROM_SKEW = Duration.ofSeconds(60);

    private ValidityBounds() {
    }

    /**
     * Refuses a credential whose dates leave the bounds.
     *
     * @param maxLifetime {@link #MAX_LIFETIME}, or the issuer's credential validity for an AgentCredential
     * @param pointer where the credential is in the request, such as {@code /credential}
     * @throws ProblemException {@code RANGE_ERROR} at the start date when it is more than {@link #MAX_VALID_FROM_SKEW}
     *     from {@code now}; {@code LIFETIME_TOO_LONG} at the end date when the credential would be valid longer than
     *     {@code maxLifetime}
     */
    static void check(Credential credential, Instant now, Duration maxLifetime, String pointer) {
        boolean v11 = credential.version() == Credential.Version.V1_1;
        String from = pointer + (v11 ? "/issuanceDate" : "/validFrom");
        String until = pointer + (v11 ? "/expirationDate" : "/validUntil");
        Instant start = credential.validFrom().orElseThrow(() -> new IllegalStateException("the issuer sets the start date"));
        if (Duration.between(now, start).abs().compareTo(MAX_VALID_FROM_SKEW) > 0) {
            throw new ProblemException(Problem.at(ProblemType.RANGE_ERROR, from, "this issuer signs credentials valid from the time "
                    + "of issuance, within " + MAX_VALID_FROM_SKEW.toSeconds() + " s of " + now + ", not " + start
                    + "; leave the date out and the issuer sets it"));
        }
        Instant end = credential.validUntil().orElseThrow(() -> new IllegalStateException("the issuer sets the end date"));
        if (Duration.between(start, end).compareTo(maxLifetime) > 0) {
            throw new ProblemException(Problem.at(ProblemType.LIFETIME_TOO_LONG, until, "this credential would be valid for "
                    + Duration.between(start, end) + "; this issuer signs it for at most " + maxLifetime + ", so ask for an end no later "
                    + "than " + start.plus(maxLifetime) + " and renew it after"));
        }
    }
}
