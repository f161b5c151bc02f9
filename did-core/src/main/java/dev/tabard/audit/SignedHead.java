package dev.tabard.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.VerificationKey;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.jose.CompactJws;
import dev.tabard.vc.jose.JwsHeader;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A key's signature over the audit chain's head: entry {@code seq} has hash {@code hash}. Since each hash commits to
 * every entry before it, one signed head covers the whole chain up to {@code seq}. The issuer writes one in the same
 * transaction as every change it audits; {@link AuditFile} signs one at least every {@link HeadPolicy#every()}.
 *
 * <p>{@code jws} is a compact JWS ({@code typ} {@value #TYP}, {@code kid} the signing key's id) over
 * {@code {"seq", "hash", "time", "keyId"}}. The other components repeat what it signs, for reading and indexing;
 * {@link #verify} checks that they agree with it.
 *
 * <p><b>Security:</b> the algorithm follows the key type of the key the caller looked up by {@code keyId}, never
 * the token's header.
 */
public record SignedHead(long seq, String hash, Instant time, String keyId, String jws) {

    /** The JWS {@code typ} of an audit head, so no other token the signing key signs can pass for one. */
    public static final String TYP = "tabard-audit-head";

    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

    public SignedHead {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(jws, "jws");
    }

    /** Signs the head at {@code seq} with {@code key}. */
    public static SignedHead sign(long seq, String hash, Instant time, AuditKey key) {
        ObjectNode payload = payload(seq, hash, time, key.keyId());
        String jws = CompactJws.sign(key.signer(), JwsHeader.of(key.keyId(), TYP), JsonCodec.write(payload));
        return new SignedHead(seq, hash, time, key.keyId(), jws);
    }

    /**
     * Reads a stored head from its JWS alone, without checking the signature.
     *
     * @throws ProblemException {@code PARSING_ERROR} or {@code MALFORMED_VALUE_ERROR} for a token that is not an
     *     audit head
     */
    public static SignedHead parse(String jws) {
        CompactJws token = CompactJws.parse(jws);
        if (!token.typ().orElse("").equals(TYP)) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "the token is not an audit head (typ " + TYP + ")");
        }
        return fromPayload(token.payloadJson(), jws);
    }

    private static SignedHead fromPayload(ObjectNode p, String jws) {
        return new SignedHead(positiveLong(p, "seq"), hash(text(p, "hash")), instant(text(p, "time")), text(p, "keyId"), jws);
    }

    /**
     * Checks the signature with {@code key} and that the signed payload is exactly this head.
     *
     * @throws ProblemException {@code CRYPTOGRAPHIC_SECURITY_ERROR} when the signature does not verify or the head
     *     differs from what was signed; {@code PARSING_ERROR}, {@code ALGORITHM_NOT_ALLOWED} for a malformed token
     */
    public void verify(VerificationKey key) {
        Objects.requireNonNull(key, "key");
        CompactJws token = CompactJws.parse(jws);
        if (!token.typ().orElse("").equals(TYP) || !token.kid().orElse("").equals(keyId)) {
            throw new ProblemException(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, "the head's token is not an audit head by " + keyId);
        }
        token.verify(key);
        SignedHead signed = fromPayload(token.payloadJson(), jws);
        if (signed.seq != seq || !signed.hash.equals(hash) || !signed.time.equals(time) || !signed.keyId.equals(keyId)) {
            throw new ProblemException(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR,
                    "the head's seq, hash, time or key id differ from what was signed");
        }
    }

    private static ObjectNode payload(long seq, String hash, Instant time, String keyId) {
        return JsonCodec.objectNode().put("seq", seq).put("hash", hash).put("time", time.toString())
                .put("keyId", keyId);
    }

    static String text(ObjectNode o, String name) {
        JsonNode v = o.get(name);
        if (v == null || !v.isTextual()) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "'" + name + "' must be a string");
        }
        return v.asText();
    }

    static long positiveLong(ObjectNode o, String name) {
        JsonNode v = o.get(name);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 1) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "'" + name + "' must be a positive integer");
        }
        return v.asLong();
    }

    static String hash(String s) {
        if (!HASH.matcher(s).matches()) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "'hash' must be 64 lower-case hex digits");
        }
        return s;
    }

    static Instant instant(String s) {
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "'time' must be an RFC 3339 UTC time");
        }
    }
}
