package dev.tabard.vc.jose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.codec.Timestamps;
import dev.tabard.crypto.Signer;
import dev.tabard.did.Did;
import dev.tabard.did.DidDocument;
import dev.tabard.did.DidResolver;
import dev.tabard.did.DidUrl;
import dev.tabard.did.Relationship;
import dev.tabard.did.VerificationMethod;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.Credential;
import dev.tabard.vc.Presentation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * VC-JOSE-COSE: credentials as {@code application/vc+jwt} and presentations as {@code application/vp+jwt},
 * whose JWS payload is the credential or presentation itself; and, for verification only, the VC 1.1 JWT
 * encoding with {@code vc}/{@code vp} claims that deployed wallets still emit.
 *
 * <p>The key is found from {@code kid}, a DID URL, in the signer's DID document, and must be listed for the
 * role: {@code assertionMethod} for an issuer, {@code authentication} for a holder. The issuer (or holder)
 * must be the DID that {@code kid} belongs to.
 */
public final class VcJose {

    public static final String VC_JWT = "vc+jwt";
    public static final String VP_JWT = "vp+jwt";

    /** Registered JWT claims a VC 2.0 token may carry beside the credential's own members. */
    private static final Set<String> JWT_CLAIMS = Set.of("iss", "sub", "aud", "exp", "nbf", "iat", "jti", "nonce", "cnf");

    private VcJose() {
    }

    /** How a verified credential was secured. */
    public enum Format { VC_JWT, VC11_JWT }

    /** A credential whose signature, signer and JOSE claims checked out. */
    public record VerifiedCredential(Credential credential, VerificationMethod method, Format format, String token) {
        public VerifiedCredential {
            Objects.requireNonNull(credential, "credential");
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(token, "token");
        }
    }

    /**
     * A presentation whose signature, holder key, nonce and audience checked out, with its credentials.
     *
     * @param nonce the {@code nonce} claim, which equals the expected challenge
     * @param jti the {@code jti} claim, for replay protection
     * @param expires the {@code exp} claim
     */
    public record VerifiedPresentation(Presentation presentation, Did holder, VerificationMethod method,
                                       List<VerifiedCredential> credentials, String nonce, Optional<String> jti,
                                       Instant expires) {
        public VerifiedPresentation {
            Objects.requireNonNull(presentation, "presentation");
            Objects.requireNonNull(holder, "holder");
            Objects.requireNonNull(method, "method");
            credentials = List.copyOf(credentials);
            Objects.requireNonNull(nonce, "nonce");
            Objects.requireNonNull(jti, "jti");
            Objects.requireNonNull(expires, "expires");
        }
    }

    /**
     * Secures a credential as a vc+jwt. The document is checked against the data model first; {@code iat}
     * is {@code now} and {@code exp} is the credential's {@code validUntil}, so the signature does not
     * outlive the credential.
     */
    public static String secureCredential(ObjectNode credential, Signer signer, DidUrl kid, Instant now) {
        Credential c = Credential.of(credential);
        if (c.version() != Credential.Version.V2_0) {
            throw new IllegalArgumentException("only VC 2.0 credentials are issued as vc+jwt");
        }
        if (!c.issuer().id().toString().equals(kid.did().toString())) {
            throw new IllegalArgumentException("kid " + kid + " does not belong to the issuer " + c.issuer().id());
        }
        ObjectNode payload = credential.deepCopy();
        payload.put("iat", Timestamps.toNumericDate(now));
        c.validUntil().ifPresent(u -> payload.put("exp", Timestamps.toNumericDate(u)));
        return CompactJws.sign(signer, JwsHeader.of(kid.toString(), VC_JWT, "vc"), JsonCodec.write(payload));
    }

    /**
     * Secures a presentation as a vp+jwt bound to a verifier's {@code nonce} (challenge) and {@code aud}
     * (domain), with a short lifetime ending at {@code expires}.
     */
    public static String securePresentation(ObjectNode presentation, Signer signer, DidUrl kid, String nonce,
                                            String audience, String jti, Instant now, Instant expires) {
        Presentation.of(presentation);
        ObjectNode payload = presentation.deepCopy();
        payload.put("holder", kid.did().toString());
        payload.put("nonce", nonce);
        payload.put("aud", audience);
        payload.put("jti", jti);
        payload.put("iat", Timestamps.toNumericDate(now));
        payload.put("exp", Timestamps.toNumericDate(expires));
        return CompactJws.sign(signer, JwsHeader.of(kid.toString(), VP_JWT, "vp"), JsonCodec.write(payload));
    }

    /** A VC 2.0 presentation document carrying {@code vcJwts} as enveloped credentials. */
    public static ObjectNode presentationOf(List<String> vcJwts) {
        ObjectNode vp = JsonCodec.mapper().createObjectNode();
        vp.putArray("@context").add("https://www.w3.org/ns/credentials/v2");
        vp.put("type", Presentation.TYPE);
        ArrayNode vcs = vp.putArray("verifiableCredential");
        vcJwts.forEach(t -> vcs.add(EnvelopedCredential.of(t)));
        return vp;
    }

    /**
     * Verifies a vc+jwt (or, when {@code options} accept it, a VC 1.1 JWT).
     *
     * @throws ProblemException {@code PARSING_ERROR}, {@code MALFORMED_VALUE_ERROR}, {@code ALGORITHM_NOT_ALLOWED},
     *     {@code CRYPTOGRAPHIC_SECURITY_ERROR}, {@code INVALID_VERIFICATION_METHOD},
     *     {@code INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD}, {@code CREDENTIAL_EXPIRED},
     *     {@code CREDENTIAL_NOT_YET_VALID}, or a DID resolution problem
     */
    public static VerifiedCredential verifyCredential(String token, DidResolver resolver, JoseOptions options) {
        Objects.requireNonNull(resolver, "resolver");
        Objects.requireNonNull(options, "options");
        VerifiedTokens.Entry known = options.verifiedTokens().get(Objects.requireNonNull(token, "token"));
        if (known != null && (known.verified().format() == Format.VC_JWT || options.acceptVc11())
                && authorize(resolver, known.kid(), Relationship.ASSERTION_METHOD).equals(known.verified().method())) {
            checkTimes(known.iat(), known.nbf(), known.exp(), options);
            return known.verified();
        }
        CompactJws jws = CompactJws.parse(token);
        ObjectNode payload = jws.payloadJson();
        boolean vc11 = payload.has("vc");
        String typ = jws.typ().orElse("");
        if (vc11) {
            if (!options.acceptVc11()) {
                throw malformed("/vc", "VC 1.1 JWTs are not accepted by this verifier");
            }
            if (!typ.isEmpty() && !typ.equals("JWT")) {
                throw malformed("/vc", "a '" + typ + "' token must not carry a 'vc' claim");
            }
        } else if (!typ.equals(VC_JWT) && !typ.equals("application/" + VC_JWT)) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "JWS typ must be vc+jwt, not '" + typ + "'");
        } else if (payload.has("vp")) {
            throw malformed("/vp", "a vc+jwt must not carry a 'vp' claim");
        } else {
            requireCty(jws, "vc");
        }
        DidUrl kid = kid(jws);
        VerificationMethod vm = authorize(resolver, kid, Relationship.ASSERTION_METHOD);
        jws.verify(vm.key());
        checkTimes(payload, options);
        Credential credential = vc11 ? vc11Credential(payload) : Credential.of(stripJwtClaims(payload));
        if (!credential.issuer().id().toString().equals(kid.did().toString())) {
            throw new ProblemException(ProblemType.INVALID_VERIFICATION_METHOD,
                    "the credential's issuer " + credential.issuer().id() + " does not control " + kid);
        }
        if (!vc11) {
            claimMatches(payload, "iss", credential.issuer().id().toString());
            credential.id().ifPresent(id -> claimMatches(payload, "jti", id.toString()));
            if (credential.subjects().size() == 1) {
                credential.subjects().get(0).id().ifPresent(s -> claimMatches(payload, "sub", s));
            }
            Optional<Instant> exp = Timestamps.numericDate(payload, "exp");
            Optional<Instant> nbf = Timestamps.numericDate(payload, "nbf");
            if (exp.isPresent() && credential.validUntil().isPresent()
                    && exp.get().isAfter(credential.validUntil().get().plus(options.skew()))) {
                throw malformed("/exp", "exp is after validUntil: the signature would outlive the credential");
            }
            if (nbf.isPresent() && credential.validFrom().isPresent()
                    && nbf.get().isBefore(credential.validFrom().get().minus(options.skew()))) {
                throw malformed("/nbf", "nbf is before validFrom: the signature would be valid before the credential");
            }
        }
        VerifiedCredential verified = new VerifiedCredential(credential, vm, vc11 ? Format.VC11_JWT : Format.VC_JWT, token);
        options.verifiedTokens().put(token, new VerifiedTokens.Entry(verified, kid, Timestamps.numericDate(payload, "iat"),
                Timestamps.numericDate(payload, "nbf"), Timestamps.numericDate(payload, "exp")));
        return verified;
    }

    /**
     * Verifies a vp+jwt (or a VC 1.1 VP JWT when accepted) and every credential it carries.
     *
     * @param expectedNonce the challenge this verifier issued
     * @param expectedAudience this verifier's identifier (domain)
     * @throws ProblemException as {@link #verifyCredential}, plus {@code INVALID_CHALLENGE_ERROR},
     *     {@code INVALID_DOMAIN_ERROR}, {@code HOLDER_MISMATCH} and {@code LIMIT_EXCEEDED}
     */
    public static VerifiedPresentation verifyPresentation(String token, DidResolver resolver, JoseOptions options,
                                                          String expectedNonce, String expectedAudience) {
        Objects.requireNonNull(expectedNonce, "expectedNonce");
        Objects.requireNonNull(expectedAudience, "expectedAudience");
        CompactJws jws = CompactJws.parse(Objects.requireNonNull(token, "token"));
        ObjectNode payload = jws.payloadJson();
        boolean vp11 = payload.has("vp");
        String typ = jws.typ().orElse("");
        if (vp11) {
            if (!options.acceptVc11()) {
                throw malformed("/vp", "VC 1.1 presentation JWTs are not accepted by this verifier");
            }
        } else if (!typ.equals(VP_JWT) && !typ.equals("application/" + VP_JWT)) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "JWS typ must be vp+jwt, not '" + typ + "'");
        } else {
            requireCty(jws, "vp");
        }
        DidUrl kid = kid(jws);
        VerificationMethod vm = authorize(resolver, kid, Relationship.AUTHENTICATION);
        jws.verify(vm.key());
        checkTimes(payload, options);
        Instant expires = Timestamps.numericDate(payload, "exp")
                .orElseThrow(() -> malformed("/exp", "a presentation must carry exp"));
        if (!expectedNonce.equals(payload.path("nonce").asText(null))) {
            throw new ProblemException(ProblemType.INVALID_CHALLENGE_ERROR, "the presentation's nonce is not the expected challenge");
        }
        if (!audienceMatches(payload.get("aud"), expectedAudience)) {
            throw new ProblemException(ProblemType.INVALID_DOMAIN_ERROR, "the presentation is not addressed to " + expectedAudience);
        }
        Presentation presentation;
        List<String> tokens = new ArrayList<>();
        if (vp11) {
            JsonNode vp = payload.get("vp");
            if (!vp.isObject()) {
                throw malformed("/vp", "vp must be an object");
            }
            ObjectNode doc = ((ObjectNode) vp).deepCopy();
            JsonNode vcs = doc.remove("verifiableCredential");
            for (JsonNode t : vcs == null ? List.<JsonNode>of() : asList(vcs)) {
                if (!t.isTextual()) {
                    throw malformed("/vp/verifiableCredential", "VC 1.1 presentations carry credential JWT strings");
                }
                tokens.add(t.asText());
            }
            if (!payload.path("iss").asText().equals(kid.did().toString())) {
                throw new ProblemException(ProblemType.HOLDER_MISMATCH, "iss is not the DID of the presentation key");
            }
            doc.put("holder", kid.did().toString());
            presentation = Presentation.of(doc);
            if (tokens.size() > Presentation.MAX_CREDENTIALS) {
                throw new ProblemException(ProblemType.LIMIT_EXCEEDED, "too many credentials in the presentation");
            }
        } else {
            presentation = Presentation.of(stripJwtClaims(payload));
            if (!presentation.credentials().isEmpty()) {
                throw malformed("/verifiableCredential", "a vp+jwt carries enveloped credentials only");
            }
            for (String url : presentation.envelopedCredentials()) {
                tokens.add(EnvelopedCredential.token(url));
            }
        }
        Did holder = kid.did();
        if (presentation.holder().isPresent() && !presentation.holder().get().toString().equals(holder.toString())) {
            throw new ProblemException(ProblemType.HOLDER_MISMATCH,
                    "holder " + presentation.holder().get() + " did not sign the presentation (" + kid + ")");
        }
        List<VerifiedCredential> credentials = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            try {
                credentials.add(verifyCredential(tokens.get(i), resolver, options));
            } catch (ProblemException e) {
                List<Problem> at = new ArrayList<>();
                for (Problem p : e.problems()) {
                    at.add(Problem.at(p.type(), "/verifiableCredential/" + i + p.pointer().orElse(""), p.detail()));
                }
                throw new ProblemException(at);
            }
        }
        return new VerifiedPresentation(presentation, holder, vm, credentials, expectedNonce,
                Optional.ofNullable(payload.path("jti").asText(null)), expires);
    }

    private static List<JsonNode> asList(JsonNode n) {
        List<JsonNode> out = new ArrayList<>();
        if (n.isArray()) {
            n.forEach(out::add);
        } else {
            out.add(n);
        }
        return out;
    }

    private static boolean audienceMatches(JsonNode aud, String expected) {
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

    /** cty is optional in VC-JOSE-COSE, but when present it must name the payload's media type. */
    private static void requireCty(CompactJws jws, String expected) {
        Optional<String> cty = jws.cty();
        if (cty.isPresent() && !cty.get().equals(expected) && !cty.get().equals("application/" + expected)) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR,
                    "JWS cty must be " + expected + ", not '" + cty.get() + "'");
        }
    }

    private static DidUrl kid(CompactJws jws) {
        String kid = jws.kid().orElseThrow(() -> new ProblemException(ProblemType.INVALID_VERIFICATION_METHOD_URL,
                "the JWS has no kid naming the signing key"));
        DidUrl url = DidUrl.tryParse(kid).orElseThrow(() -> new ProblemException(ProblemType.INVALID_VERIFICATION_METHOD_URL,
                "kid '" + kid + "' is not a DID URL"));
        if (url.fragment().isEmpty()) {
            throw new ProblemException(ProblemType.INVALID_VERIFICATION_METHOD_URL, "kid " + kid + " names no verification method");
        }
        return url;
    }

    private static VerificationMethod authorize(DidResolver resolver, DidUrl kid, Relationship purpose) {
        DidDocument doc = resolver.resolve(kid.did()).document();
        return doc.authorize(kid, purpose);
    }

    /** iat, nbf and exp, when present: integral seconds in a sane range, and consistent with now. */
    private static void checkTimes(ObjectNode payload, JoseOptions options) {
        checkTimes(Timestamps.numericDate(payload, "iat"), Timestamps.numericDate(payload, "nbf"),
                Timestamps.numericDate(payload, "exp"), options);
    }

    private static void checkTimes(Optional<Instant> iat, Optional<Instant> nbf, Optional<Instant> exp, JoseOptions options) {
        Instant now = options.clock().instant();
        if (exp.isPresent() && now.minus(options.skew()).isAfter(exp.get())) {
            throw new ProblemException(ProblemType.CREDENTIAL_EXPIRED, "the token expired at " + exp.get());
        }
        if (nbf.isPresent() && now.plus(options.skew()).isBefore(nbf.get())) {
            throw new ProblemException(ProblemType.CREDENTIAL_NOT_YET_VALID, "the token is not valid before " + nbf.get());
        }
        if (iat.isPresent() && now.plus(options.skew()).isBefore(iat.get())) {
            throw malformed("/iat", "the token was issued in the future (" + iat.get() + ")");
        }
        if (iat.isPresent() && exp.isPresent() && exp.get().isBefore(iat.get())) {
            throw malformed("/exp", "exp is before iat");
        }
    }

    private static void claimMatches(ObjectNode payload, String claim, String expected) {
        JsonNode v = payload.get(claim);
        if (v != null && !v.asText().equals(expected)) {
            throw malformed("/" + claim, claim + " '" + v.asText() + "' contradicts the credential ('" + expected + "')");
        }
    }

    /** The payload without its JWT claims; shares the members' trees with the payload (the data model copies them). */
    private static ObjectNode stripJwtClaims(ObjectNode payload) {
        ObjectNode doc = JsonCodec.mapper().createObjectNode();
        for (Map.Entry<String, JsonNode> e : payload.properties()) {
            if (!JWT_CLAIMS.contains(e.getKey())) {
                doc.set(e.getKey(), e.getValue());
            }
        }
        return doc;
    }

    /** VC 1.1 JWT decoding (VCDM 1.1 §6.3.1): the JWT claims go back into the credential. */
    private static Credential vc11Credential(ObjectNode payload) {
        JsonNode vc = payload.get("vc");
        if (!vc.isObject()) {
            throw malformed("/vc", "vc must be an object");
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
            throw malformed("/vc/@context", "a vc claim holds a VC 1.1 credential");
        }
        return c;
    }

    private static ProblemException malformed(String pointer, String detail) {
        return new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, pointer, detail));
    }

}
