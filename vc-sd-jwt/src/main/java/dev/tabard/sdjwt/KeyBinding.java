package dev.tabard.sdjwt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.Signer;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.jose.CompactJws;
import dev.tabard.vc.jose.JwsHeader;
import dev.tabard.vc.jose.VerifiedJws;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The key-binding JWT (RFC 9901 §4.3): the holder's proof, for one verifier and one challenge, that it holds the key
 * the issuer bound the SD-JWT to.
 *
 * <p><b>Security:</b> verification checks, in this order, {@code typ} {@code kb+jwt}; the signature with the
 * {@code cnf} key under an algorithm that key's type allows (never the token's choice); {@code iat} within the window;
 * {@code nonce} against the challenge in constant time; {@code aud}; and {@code sd_hash} over exactly what was
 * presented, so no disclosure can be added, dropped or reordered after the holder signed.
 */
public final class KeyBinding {

    public static final String TYP = "kb+jwt";

    private KeyBinding() {
    }

    /**
     * What a verifier expects of a key-binding JWT.
     *
     * @param audience the verifier's identifier, which {@code aud} must equal
     * @param nonce the challenge the verifier issued
     * @param clock the verifier's clock
     * @param maxAge how long before now {@code iat} may be
     * @param skew how far after now {@code iat} may be, and the slack on {@code maxAge}
     */
    public record Expectation(String audience, String nonce, Clock clock, Duration maxAge, Duration skew) {

        public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(5);
        public static final Duration DEFAULT_SKEW = Duration.ofSeconds(60);

        public Expectation {
            Objects.requireNonNull(audience, "audience");
            Objects.requireNonNull(nonce, "nonce");
            Objects.requireNonNull(clock, "clock");
            if (maxAge.isNegative() || skew.isNegative() || skew.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("maxAge >= 0 and skew 0..10 minutes");
            }
        }

        /** A 5-minute window and 60 s of skew. */
        public static Expectation of(String audience, String nonce, Clock clock) {
            return new Expectation(audience, nonce, clock, DEFAULT_MAX_AGE, DEFAULT_SKEW);
        }
    }

    /** Adds a key-binding JWT for {@code audience} and {@code nonce}, signed by {@code holder}, to {@code presentation}. */
    public static SdJwt sign(Signer holder, SdJwt presentation, String audience, String nonce, Instant iat) {
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(iat, "iat");
        SdJwt bare = presentation.withoutKeyBinding();
        ObjectNode payload = JsonCodec.objectNode();
        payload.put("iat", iat.getEpochSecond());
        payload.put("aud", audience);
        payload.put("nonce", nonce);
        payload.put("sd_hash", bare.sdHash());
        String kb = CompactJws.sign(holder, new JwsHeader(Optional.empty(), Optional.of(TYP), Optional.empty()),
                JsonCodec.write(payload));
        return new SdJwt(bare.issuerJwt(), bare.disclosures(), Optional.of(kb));
    }

    /**
     * Checks the key-binding JWT of {@code presented}, whose issuer part verified as {@code processed}.
     *
     * @throws ProblemException {@code KEY_BINDING_MISSING} when there is none; {@code KEY_BINDING_INVALID} for a
     *     malformed one, a wrong {@code typ}, no {@code cnf} key, a bad signature, an {@code iat} outside the window or
     *     a wrong {@code sd_hash}; {@code ALGORITHM_NOT_ALLOWED} for an algorithm the {@code cnf} key's type does not
     *     allow; {@code INVALID_CHALLENGE_ERROR} for a wrong {@code nonce}; {@code INVALID_DOMAIN_ERROR} for a wrong
     *     {@code aud}
     */
    public static void verify(SdJwt presented, ProcessedSdJwt processed, Expectation expected) {
        Objects.requireNonNull(presented, "presented");
        Objects.requireNonNull(processed, "processed");
        Objects.requireNonNull(expected, "expected");
        String kb = presented.keyBindingJwt().orElseThrow(() -> new ProblemException(ProblemType.KEY_BINDING_MISSING,
                "the presentation carries no key-binding JWT"));
        CompactJws jws;
        try {
            jws = CompactJws.parse(kb);
        } catch (ProblemException e) {
            throw invalid("the key-binding JWT is malformed: " + e.problem().detail());
        }
        if (!jws.typ().map(TYP::equals).orElse(false)) {
            throw invalid("the key-binding JWT's typ must be '" + TYP + "'");
        }
        var key = processed.holderKey().orElseThrow(() -> invalid("the SD-JWT binds no holder key (cnf.jwk)"));
        VerifiedJws verified;
        try {
            verified = jws.verify(key);
        } catch (ProblemException e) {
            if (e.type() == ProblemType.ALGORITHM_NOT_ALLOWED) {
                throw e;
            }
            throw invalid("the key-binding JWT is not signed by the holder's key (cnf)");
        }
        ObjectNode claims;
        try {
            claims = verified.payloadJson();
        } catch (ProblemException e) {
            throw invalid("the key-binding JWT's payload is not a JSON object");
        }
        Instant iat = Instant.ofEpochSecond(seconds(claims.get("iat")));
        Instant now = expected.clock().instant();
        if (iat.isAfter(now.plus(expected.skew())) || iat.isBefore(now.minus(expected.maxAge()).minus(expected.skew()))) {
            throw invalid("the key-binding JWT's iat " + iat + " is outside the accepted window");
        }
        JsonNode nonce = claims.get("nonce");
        if (nonce == null || !nonce.isTextual() || !constantTimeEquals(nonce.asText(), expected.nonce())) {
            throw new ProblemException(ProblemType.INVALID_CHALLENGE_ERROR, "the key-binding JWT's nonce is not the challenge");
        }
        JsonNode aud = claims.get("aud");
        if (aud == null || !aud.isTextual() || !aud.asText().equals(expected.audience())) {
            throw new ProblemException(ProblemType.INVALID_DOMAIN_ERROR, "the key-binding JWT's aud is not this verifier");
        }
        JsonNode sdHash = claims.get("sd_hash");
        if (sdHash == null || !sdHash.isTextual() || !constantTimeEquals(sdHash.asText(), presented.sdHash())) {
            throw invalid("the key-binding JWT's sd_hash does not match the presented SD-JWT");
        }
    }

    private static long seconds(JsonNode n) {
        // SECURITY-NOTES: numeric dates are checked here, not left to a library (finite, integral, sane range)
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0 || n.asLong() > 253_402_300_799L) {
            throw invalid("the key-binding JWT's iat must be an integral NumericDate");
        }
        return n.asLong();
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(ProblemType.KEY_BINDING_INVALID, detail);
    }
}
