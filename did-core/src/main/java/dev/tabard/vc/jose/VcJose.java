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
import java.util.Objects;
import java.util.Optional;

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
    private VcJose() {
    }

    /** How a verified credential was secured. */
    public enum Format { VC_JWT, VC11_JWT }

    /**
     * A credential whose signature, signer and JOSE claims checked out. Only {@link #verifyCredential} makes one: a
     * final class, not a record, so that no public constructor can claim a verification that did not happen.
     */
    public static final class VerifiedCredential {
        private final Credential credential;
        private final VerificationMethod method;
        private final Format format;
        private final String token;

        private VerifiedCredential(Credential credential, VerificationMethod method, Format format, String token) {
            this.credential = Objects.requireNonNull(credential, "credential");
            this.method = Objects.requireNonNull(method, "method");
            this.format = Objects.requireNonNull(format, "format");
            this.token = Objects.requireNonNull(token, "token");
        }

        public Credential credential() {
            return credential;
        }

        /** The issuer's verification method the signature verified with. */
        public VerificationMethod method() {
            return method;
        }

        public Format format() {
            return format;
        }

        /** The token as it was verified. */
        public String token() {
            return token;
        }

        @Override
        public String toString() {
            return "VerifiedCredential[" + format + ", " + method.id() + "]";
        }
    }

    /**
     * A presentation whose signature, holder key, nonce and audience checked out, with its credentials. Only
     * {@link #verifyPresentation} makes one (see {@link VerifiedCredential}).
     */
    public static final class VerifiedPresentation {
        private final Presentation presentation;
        private final Did holder;
        private final VerificationMethod method;
        private final List<VerifiedCredential> credentials;
        private final String nonce;
        private final Optional<String> jti;
        private final Instant expires;

        private VerifiedPresentation(Presentation presentation, Did holder, VerificationMethod method,
                                     List<VerifiedCredential> credentials, String nonce, Optional<String> jti,
                                     Instant expires) {
            this.presentation = Objects.requireNonNull(presentation, "presentation");
            this.holder = Objects.requireNonNull(holder, "holder");
            this.method = Objects.requireNonNull(method, "method");
            this.credentials = List.copyOf(credentials);
            this.nonce = Objects.requireNonNull(nonce, "nonce");
            this.jti = Objects.requireNonNull(jti, "jti");
            this.expires = Objects.requireNonNull(expires, "expires");
        }

        public Presentation presentation() {
            return presentation;
        }

        /** The DID whose key signed the presentation. */
        public Did holder() {
            return holder;
        }

        public VerificationMethod method() {
            return method;
        }

        public List<VerifiedCredential> credentials() {
            return credentials;
        }

        /** The {@code nonce} claim, which equals the expected challenge. */
        public String nonce() {
            return nonce;
        }

        /** The {@code jti} claim, for replay protection. */
        public Optional<String> jti() {
            return jti;
        }

        /** The {@code exp} claim. */
        public Instant expires() {
            return expires;
        }

        @Override
        public String toString() {
            return "VerifiedPresentation[" + holder + ", " + credentials.size() + " credentials]";
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
        ObjectNode vp = JsonCodec.objectNode();
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
            JwtClaims.checkTimes(known.iat(), known.nbf(), known.exp(), options);
            return known.verified();
        }
        CompactJws jws = CompactJws.parse(token);
        ObjectNode unverified = jws.payloadObject();
        boolean vc11 = unverified.has("vc");
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
        } else if (unverified.has("vp")) {
            throw malformed("/vp", "a vc+jwt must not carry a 'vp' claim");
        } else {
            requireCty(jws, "vc");
        }
        DidUrl kid = kid(jws);
        VerificationMethod vm = authorize(resolver, kid, Relationship.ASSERTION_METHOD);
        ObjectNode payload = jws.verify(vm.key()).payloadObject();
        JwtClaims.checkTimes(payload, options);
        Credential credential = vc11 ? JwtClaims.vc11Credential(payload) : Credential.of(JwtClaims.stripJwtClaims(payload));
        if (!credential.issuer().id().toString().equals(kid.did().toString())) {
            throw new ProblemException(ProblemType.INVALID_VERIFICATION_METHOD,
                    "the credential's issuer " + credential.issuer().id() + " does not control " + kid);
        }
        if (!vc11) {
            JwtClaims.claimMatches(payload, "iss", credential.issuer().id().toString());
            credential.id().ifPresent(id -> JwtClaims.claimMatches(payload, "jti", id.toString()));
            if (credential.subjects().size() == 1) {
                credential.subjects().get(0).id().ifPresent(s -> JwtClaims.claimMatches(payload, "sub", s));
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
        ObjectNode unverified = jws.payloadObject();
        boolean vp11 = unverified.has("vp");
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
        ObjectNode payload = jws.verify(vm.key()).payloadObject();
        JwtClaims.checkTimes(payload, options);
        Instant expires = Timestamps.numericDate(payload, "exp")
                .orElseThrow(() -> malformed("/exp", "a presentation must carry exp"));
        if (!expectedNonce.equals(payload.path("nonce").asText(null))) {
            throw new ProblemException(ProblemType.INVALID_CHALLENGE_ERROR, "the presentation's nonce is not the expected challenge");
        }
        if (!JwtClaims.audienceMatches(payload.get("aud"), expectedAudience)) {
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
            for (JsonNode t : vcs == null ? List.<JsonNode>of() : JwtClaims.asList(vcs)) {
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
            presentation = Presentation.of(JwtClaims.stripJwtClaims(payload));
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

    static ProblemException malformed(String pointer, String detail) {
        return new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, pointer, detail));
    }

}
