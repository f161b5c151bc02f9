package dev.tabard.issuer.oid4vci;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.crypto.VerificationKey;
import dev.tabard.did.Did;
import dev.tabard.did.DidResolver;
import dev.tabard.did.DidResolvers;
import dev.tabard.did.DidUrl;
import dev.tabard.did.Relationship;
import dev.tabard.did.VerificationMethod;
import dev.tabard.did.jwk.JwkDidResolver;
import dev.tabard.did.key.KeyDidResolver;
import dev.tabard.codec.Timestamps;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.jose.CompactJws;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The OpenID4VCI {@code jwt} key proof (OpenID4VCI 1.0 Appendix F.1): typed {@code openid4vci-proof+jwt}, signed by an
 * authentication key of the agent's did:key or did:jwk, addressed to this issuer, and issued within
 * {@link #FRESHNESS}. The {@code c_nonce} it carries is checked by the caller, after the signature, so that only a
 * signed proof can use up a nonce.
 */
final class KeyProof {

    /** How old a proof's {@code iat} may be: the nonce it binds lives as long. */
    static final Duration FRESHNESS = Duration.ofMinutes(5);
    /** How far ahead of our clock a proof's {@code iat} may be: the clock skew SECURITY-NOTES allows. */
    static final Duration FUTURE_SKEW = Duration.ofSeconds(60);
    /** The last second of year 9999: the upper bound did-core's JOSE code puts on a numeric date. */
    static final long MAX_NUMERIC_DATE = 253_402_300_799L;

    private final URI issuerId;
    private final Clock clock;
    private final DidResolver agentKeys = DidResolvers.of(new KeyDidResolver(), new JwkDidResolver());

    KeyProof(URI issuerId, Clock clock) {
        this.issuerId = issuerId;
        this.clock = clock;
    }

    /** A checked proof: its {@code nonce} (empty when absent) for the caller to redeem, and the key that signed it. */
    record Checked(String nonce, VerificationKey key) {
    }

    /**
     * Checks the proof and returns its {@code nonce} claim and its key.
     *
     * @throws ProblemException {@link ProblemType#CRYPTOGRAPHIC_SECURITY_ERROR} for a bad type, key, signature or
     *     audience; {@link ProblemType#MALFORMED_VALUE_ERROR} (pointer {@code /iat}) for an {@code iat} that is not a
     *     numeric date or not fresh
     */
    Checked check(String jwt, Did agent) {
        CompactJws jws = CompactJws.parse(jwt);
        if (!"openid4vci-proof+jwt".equals(jws.typ().orElse(""))) {
            throw bad("the proof's typ must be openid4vci-proof+jwt");
        }
        DidUrl kid = jws.kid().flatMap(DidUrl::tryParse).orElseThrow(() -> bad("the proof's kid must be a DID URL of the agent's key"));
        if (!kid.did().equals(agent)) {
            throw bad("the proof was signed by " + kid.did() + ", not by the registered agent " + agent);
        }
        VerificationMethod vm = agentKeys.resolve(agent).document().authorize(kid, Relationship.AUTHENTICATION);
        jws.verify(vm.key());
        ObjectNode p = jws.payloadJson();
        if (!issuerId.toString().equals(p.path("aud").asText())) {
            throw bad("the proof's aud must be " + issuerId);
        }
        Instant iat = Timestamps.numericDate(p, "iat").orElseThrow(() -> Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/iat",
                "the proof has no iat: sign it with the current time as iat").exception());
        Instant now = clock.instant();
        if (iat.isBefore(now.minus(FRESHNESS)) || iat.isAfter(now.plus(FUTURE_SKEW))) {
            throw Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/iat", "the proof's iat (" + iat + ") is not within "
                    + FRESHNESS.toMinutes() + " minutes of now: sign a new proof with the current time").exception();
        }
        return new Checked(p.path("nonce").asText(""), vm.key());
    }

    private static ProblemException bad(String detail) {
        return new ProblemException(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, detail);
    }
}
