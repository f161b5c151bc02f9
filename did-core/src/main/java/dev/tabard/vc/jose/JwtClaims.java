package dev.tabard.vc.jose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.codec.Timestamps;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.Credential;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The JWT claims of VC-JOSE-COSE and VC 1.1 tokens, read from a payload whose signature verified. */
final class JwtClaims {

    /** Registered JWT claims a VC 2.0 token may carry beside the credential's own members. */
    private static final Set<String> JWT_CLAIMS = Set.of("iss", "sub", "aud", "exp", "nbf", "iat", "jti", "nonce", "cnf");

    private JwtClaims() {
    }

    static List<JsonNode> asList(JsonNode n) {
        List<JsonNode> out = new ArrayList<>();
        if (n.isArray()) {
            n.forEach(out::add);
        } else {
            out.add(n);
        }
        return out;
    }

    static boolean audienceMatches(JsonNode aud, String expected) {
        if (aud == null) {
            return false;
        }
        if (aud.isTextual()) {
            return aud.asText().equals(expected);
        }
        if (aud.isArray()) {
            for (JsonNode a : aud) {
                if (a.asText().equals(expected)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** iat, nbf and exp, when present: integral seconds in a sane range, and consistent with now. */
    static void checkTimes(ObjectNode payload, JoseOptions options) {
        checkTimes(Timestamps.numericDate(payload, "iat"), Timestamps.numericDate(payload, "nbf"),
                Timestamps.numericDate(payload, "exp"), options);
    }

    static void checkTimes(Optional<Instant> iat, Optional<Instant> nbf, Optional<Instant> exp, JoseOptions options) {
        Instant now = options.clock().instant();
        if (exp.isPresent() && now.minus(options.skew()).isAfter(exp.get())) {
            throw new ProblemException(ProblemType.CREDENTIAL_EXPIRED, "the token expired at " + exp.get());
        }
        if (nbf.isPresent() && now.plus(options.skew()).isBefore(nbf.get())) {
            throw new ProblemException(ProblemType.CREDENTIAL_NOT_YET_VALID, "the token is not valid before " + nbf.get());
        }
        if (iat.isPresent() && now.plus(options.skew()).isBefore(iat.get())) {
            throw VcJose.malformed("/iat", "the token was issued in the future (" + iat.get() + ")");
        }
        if (iat.isPresent() && exp.isPresent() && exp.get().isBefore(iat.get())) {
            throw VcJose.malformed("/exp", "exp is before iat");
        }
    }

    static void claimMatches(ObjectNode payload, String claim, String expected) {
        JsonNode v = payload.get(claim);
        if (v != null && !v.asText().equals(expected)) {
            throw VcJose.malformed("/" + claim, claim + " '" + v.asText() + "' contradicts the credential ('" + expected + "')");
        }
    }

    /** The payload without its JWT claims; shares the members' trees with the payload (the data model copies them). */
    static ObjectNode stripJwtClaims(ObjectNode payload) {
        ObjectNode doc = JsonCodec.objectNode();
        for (Map.Entry<String, JsonNode> e : payload.properties()) {
            if (!JWT_CLAIMS.contains(e.getKey())) {
                doc.set(e.getKey(), e.getValue());
            }
        }
        return doc;
    }

    /** VC 1.1 JWT decoding (VCDM 1.1 §6.3.1): the JWT claims go back into the credential. */
    static Credential vc11Credential(ObjectNode payload) {
        JsonNode vc = payload.get("vc");
        if (!vc.isObject()) {
            throw VcJose.malformed("/vc", "vc must be an object");
        }
        ObjectNode doc = ((ObjectNode) vc).deepCopy();
        if (payload.hasNonNull("iss")) {
            doc.put("issuer", payload.get("iss").asText());
        }
        if (payload.hasNonNull("jti")) {
            doc.put("id", payload.get("jti").asText());
        }
        Timestamps.numericDate(payload, "nbf").ifPresent(nbf -> doc.put("issuanceDate", Timestamps.format(nbf)));
        Timestamps.numericDate(payload, "exp").ifPresent(exp -> doc.put("expirationDate", Timestamps.format(exp)));
        if (payload.hasNonNull("sub") && doc.path("credentialSubject").isObject()) {
            ((ObjectNode) doc.get("credentialSubject")).put("id", payload.get("sub").asText());
        }
        Credential c = Credential.of(doc);
        if (c.version() != Credential.Version.V1_1) {
            throw VcJose.malformed("/vc/@context", "a vc claim holds a VC 1.1 credential");
        }
        return c;
    }
}
