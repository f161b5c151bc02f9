package dev.tabard.sdjwt.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.Signer;
import dev.tabard.crypto.VerificationKey;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.jose.CompactJws;
import dev.tabard.vc.jose.JwsHeader;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A Status List Token in JWT form (draft-ietf-oauth-status-list §5.1): {@code typ} {@code statuslist+jwt}, claims
 * {@code sub} (the list's URI), {@code iat}, optional {@code exp} and {@code ttl}, and {@code status_list}
 * {@code {bits, lst}}. An issuer builds one and {@link #sign}s it; a verifier gets one only from {@link #verify}.
 *
 * @param uri the list's URI ({@code sub})
 * @param issuedAt {@code iat}
 * @param expiresAt {@code exp}
 * @param ttl {@code ttl}: how long a relying party may cache the token
 * @param list the statuses
 */
public record StatusListToken(URI uri, Instant issuedAt, Optional<Instant> expiresAt, Optional<Duration> ttl, StatusList list) {

    public static final String TYP = "statuslist+jwt";
    /** The media type a Status List Token is served as. */
    public static final String MEDIA_TYPE = "application/statuslist+jwt";

    public StatusListToken {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(list, "list");
    }

    /** The signed token; {@code kid} is the DID URL of the issuer's key. */
    public String sign(Signer signer, String kid) {
        return signed(signer, kid, null);
    }

    /** The signed token, with {@code iss} naming the issuer (its DID). */
    public String sign(Signer signer, String kid, String iss) {
        Objects.requireNonNull(iss, "iss");
        return signed(signer, kid, iss);
    }

    private String signed(Signer signer, String kid, String iss) {
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(kid, "kid");
        ObjectNode claims = JsonCodec.objectNode();
        if (iss != null) {
            claims.put("iss", iss);
        }
        claims.put("sub", uri.toString());
        claims.put("iat", issuedAt.getEpochSecond());
        expiresAt.ifPresent(e -> claims.put("exp", e.getEpochSecond()));
        ttl.ifPresent(t -> claims.put("ttl", t.getSeconds()));
        claims.putObject("status_list").put("bits", list.bits()).put("lst", list.encode());
        return CompactJws.sign(signer, JwsHeader.of(kid, TYP), JsonCodec.write(claims));
    }

    /** The {@code kid} of an unverified token, to find the key to verify it with. */
    public static Optional<String> kid(String jwt) {
        return CompactJws.parse(Objects.requireNonNull(jwt, "jwt")).kid();
    }

    /**
     * Verifies a Status List Token fetched from {@code expectedUri}: its signature with {@code key}, {@code typ},
     * {@code sub} equal to {@code expectedUri} (§8.3: a token served for another list is refused), {@code iat} not in
     * the future and {@code exp} not passed (both with {@code skew}).
     *
     * @throws ProblemException {@code STATUS_VERIFICATION_ERROR} for a malformed token, a bad signature, a wrong
     *     {@code typ} or {@code sub}, or bad times; the {@link StatusList#decode} problems
     */
    public static StatusListToken verify(String jwt, VerificationKey key, URI expectedUri, Clock clock, Duration skew) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(expectedUri, "expectedUri");
        Objects.requireNonNull(clock, "clock");
        ObjectNode claims;
        try {
            CompactJws jws = CompactJws.parse(Objects.requireNonNull(jwt, "jwt"));
            if (!jws.typ().map(TYP::equals).orElse(false)) {
                throw invalid("a Status List Token's typ must be '" + TYP + "'");
            }
            claims = jws.verify(key).payloadJson();
        } catch (ProblemException e) {
            if (e.type() == ProblemType.STATUS_VERIFICATION_ERROR) {
                throw e;
            }
            throw invalid("the Status List Token does not verify: " + e.problem().detail());
        }
        JsonNode sub = claims.get("sub");
        if (sub == null || !sub.isTextual() || !sub.asText().equals(expectedUri.toString())) {
            throw invalid("the Status List Token's sub is not " + expectedUri);
        }
        Instant now = clock.instant();
        Instant iat = seconds(claims.get("iat"), "iat").orElseThrow(() -> invalid("the Status List Token has no iat"));
        if (iat.isAfter(now.plus(skew))) {
            throw invalid("the Status List Token is issued in the future");
        }
        Optional<Instant> exp = seconds(claims.get("exp"), "exp");
        if (exp.isPresent() && !now.minus(skew).isBefore(exp.get())) {
            throw invalid("the Status List Token expired at " + exp.get());
        }
        Optional<Duration> ttl = seconds(claims.get("ttl"), "ttl").map(t -> Duration.ofSeconds(t.getEpochSecond()));
        JsonNode sl = claims.get("status_list");
        if (sl == null || !sl.isObject() || !sl.path("bits").isIntegralNumber() || !sl.path("lst").isTextual()) {
            throw invalid("the Status List Token has no status_list {bits, lst}");
        }
        StatusList list = StatusList.decode(sl.get("bits").intValue(), sl.get("lst").asText());
        return new StatusListToken(expectedUri, iat, exp, ttl, list);
    }

    /** The status of entry {@code idx}. */
    public TokenStatus status(long idx) {
        return TokenStatus.of(list.get(idx));
    }

    private static Optional<Instant> seconds(JsonNode n, String name) {
        if (n == null) {
            return Optional.empty();
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0 || n.asLong() > 253_402_300_799L) {
            throw invalid("the Status List Token's " + name + " must be a non-negative integer");
        }
        return Optional.of(Instant.ofEpochSecond(n.asLong()));
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(ProblemType.STATUS_VERIFICATION_ERROR, detail);
    }
}
