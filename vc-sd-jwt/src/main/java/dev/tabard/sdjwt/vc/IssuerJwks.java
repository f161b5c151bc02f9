package dev.tabard.sdjwt.vc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyType;
import dev.tabard.crypto.VerificationKey;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An issuer's JWK Set (RFC 7517 §5) as JWT VC Issuer Metadata carries it: the signing keys Tabard can verify with, each
 * with its {@code kid}. Keys of types Tabard does not verify (RSA, X25519…) and keys not for signatures are skipped, so
 * an issuer may publish them for other uses; a set carrying a private key member is refused whole, since that key can
 * no longer be trusted to be the issuer's alone.
 */
public record IssuerJwks(List<Entry> keys) {

    /** The most keys a set may hold: a rotation keeps a handful; more is not an issuer's key set. */
    public static final int MAX_KEYS = 64;

    /** One key of the set; {@code kid} is absent when the JWK has none. */
    public record Entry(Optional<String> kid, VerificationKey key) {
        public Entry {
            Objects.requireNonNull(kid, "kid");
            Objects.requireNonNull(key, "key");
        }
    }

    public IssuerJwks {
        keys = List.copyOf(keys);
    }

    /**
     * Reads a JWK Set object ({@code {"keys":[…]}}).
     *
     * @throws ProblemException {@code MALFORMED_VALUE_ERROR} for a set that is not one, or holds more than
     *     {@value #MAX_KEYS} keys; {@code INVALID_VERIFICATION_METHOD} for a key with a private member or a malformed key
     *     of a supported type
     */
    public static IssuerJwks parse(JsonNode set) {
        if (set == null || !set.isObject() || !set.path("keys").isArray()) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "a JWK Set is an object with a 'keys' array");
        }
        JsonNode keys = set.get("keys");
        if (keys.size() > MAX_KEYS) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "the JWK Set holds " + keys.size() + " keys; at most "
                    + MAX_KEYS + " are read");
        }
        List<Entry> out = new ArrayList<>();
        for (JsonNode jwk : keys) {
            if (!jwk.isObject()) {
                throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "a JWK Set's keys are JSON objects");
            }
            JsonNode kid = jwk.get("kid");
            if (kid != null && !kid.isTextual()) {
                throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "a JWK's 'kid' is a string");
            }
            if (!signing(jwk)) {
                continue;
            }
            out.add(new Entry(Optional.ofNullable(kid).map(JsonNode::asText), VerificationKey.fromJwk(jwk)));
        }
        return new IssuerJwks(out);
    }

    /** Reads a JWK Set document fetched from a {@code jwks_uri}. @see #parse(JsonNode) */
    public static IssuerJwks parse(byte[] json) {
        return parse(JsonCodec.parseObject(json));
    }

    /**
     * The key a JWT's {@code kid} names, or with no {@code kid} the set's only key.
     *
     * @throws ProblemException {@code INVALID_VERIFICATION_METHOD_URL} when no key, or more than one, answers
     */
    public VerificationKey select(Optional<String> kid) {
        List<Entry> matching = kid.isEmpty() ? keys
                : keys.stream().filter(e -> e.kid().equals(kid)).toList();
        if (matching.size() == 1) {
            return matching.get(0).key();
        }
        String which = kid.map(k -> "kid '" + k + "'").orElse("a JWT without a kid");
        throw new ProblemException(ProblemType.INVALID_VERIFICATION_METHOD_URL, matching.isEmpty()
                ? "the issuer's JWK Set has no signing key for " + which
                : "the issuer's JWK Set has " + matching.size() + " signing keys for " + which + "; it must name one");
    }

    /** Whether {@code jwk} is a key this verifier uses: a supported signing type, not marked for encryption only. */
    private static boolean signing(JsonNode jwk) {
        VerificationKey.privateMember(jwk).ifPresent(secret -> {
            throw new ProblemException(ProblemType.INVALID_VERIFICATION_METHOD,
                    "the issuer's JWK Set publishes a private key member '" + secret + "'; none of its keys is used");
        });
        if (KeyType.fromJwk(jwk.path("kty").asText(), jwk.path("crv").asText()).isEmpty()) {
            return false;
        }
        JsonNode use = jwk.get("use");
        if (use != null && !"sig".equals(use.asText())) {
            return false;
        }
        JsonNode ops = jwk.get("key_ops");
        if (ops != null && ops.isArray()) {
            boolean verify = false;
            for (JsonNode op : ops) {
                verify |= "verify".equals(op.asText());
            }
            return verify;
        }
        return true;
    }
}
