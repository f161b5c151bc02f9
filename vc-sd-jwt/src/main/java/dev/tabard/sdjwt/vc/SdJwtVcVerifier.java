package dev.tabard.sdjwt.vc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.did.Did;
import dev.tabard.did.DidResolver;
import dev.tabard.did.DidUrl;
import dev.tabard.did.Relationship;
import dev.tabard.crypto.VerificationKey;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.sdjwt.ClaimPath;
import dev.tabard.sdjwt.KeyBinding;
import dev.tabard.sdjwt.ProcessedSdJwt;
import dev.tabard.sdjwt.SdJwt;
import dev.tabard.sdjwt.status.StatusReference;
import dev.tabard.vc.jose.CompactJws;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies an SD-JWT VC presentation (draft-ietf-oauth-sd-jwt-vc §3, RFC 9901 §7): {@code typ} {@code dc+sd-jwt}; the
 * issuer's key found by {@code kid}, a DID URL of the {@code iss} DID listed for {@code assertionMethod}; the signature
 * (the key's type decides the algorithm); every disclosure; {@code vct}; {@code iat}, {@code nbf}, {@code exp} with
 * clock skew; that none of the always-visible claims was disclosed selectively; and the key-binding JWT for the
 * verifier's audience and nonce, required by default. Immutable and thread-safe.
 *
 * <p>An issuer named by an https URL publishes its keys as JWT VC Issuer Metadata; such a credential verifies only
 * with {@link Builder#issuerMetadata} (the key is the one its {@code kid} selects), and is refused with
 * {@code UNTRUSTED_ISSUER} otherwise. Tabard's own issuers are DIDs.
 */
public final class SdJwtVcVerifier {

    private final DidResolver resolver;
    private final Clock clock;
    private final Duration skew;
    private final Duration keyBindingMaxAge;
    private final boolean acceptLegacyTyp;
    private final boolean requireKeyBinding;
    private final IssuerMetadataKeys issuerMetadata;
    /** Keys of self-certifying issuer DIDs (did:key, did:jwk), whose resolution is a pure function of the DID URL. */
    private final java.util.Map<String, VerificationKey> selfCertifyingKeys = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_CACHED_KEYS = 1_024;

    private SdJwtVcVerifier(Builder b) {
        this.resolver = b.resolver;
        this.clock = b.clock;
        this.skew = b.skew;
        this.keyBindingMaxAge = b.keyBindingMaxAge;
        this.acceptLegacyTyp = b.acceptLegacyTyp;
        this.requireKeyBinding = b.requireKeyBinding;
        this.issuerMetadata = b.issuerMetadata;
    }

    /** A verifier resolving issuer keys through {@code resolver}; strict by default. */
    public static Builder builder(DidResolver resolver) {
        return new Builder(resolver);
    }

    /**
     * Verifies {@code presentation} for a verifier known as {@code audience} that issued the challenge {@code nonce}.
     *
     * @throws ProblemException {@code PARSING_ERROR}, {@code INPUT_TOO_LARGE}, {@code LIMIT_EXCEEDED} for malformed or
     *     oversize input; {@code MALFORMED_VALUE_ERROR} for a wrong {@code typ} or a missing {@code vct}/{@code iss};
     *     {@code UNTRUSTED_ISSUER} for an issuer that is neither a DID nor an https URL whose metadata this verifier
     *     takes; {@code INVALID_VERIFICATION_METHOD_URL} for a {@code kid} that is not a DID URL of the issuer, or names
     *     no key of its metadata; the DID resolution and {@link IssuerMetadataKeys#key} problems and
     *     {@code INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD}; {@code ALGORITHM_NOT_ALLOWED};
     *     {@code CRYPTOGRAPHIC_SECURITY_ERROR}; {@code SD_JWT_DISCLOSURE_INVALID}; {@code CREDENTIAL_EXPIRED};
     *     {@code CREDENTIAL_NOT_YET_VALID}; and the {@link KeyBinding#verify} problems
     */
    public VerifiedSdJwtVc verify(String presentation, String audience, String nonce) {
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(nonce, "nonce");
        SdJwt sdJwt = SdJwt.parse(Objects.requireNonNull(presentation, "presentation"));
        CompactJws jws = sdJwt.issuerJws();
        String typ = jws.typ().orElse("");
        if (!typ.equals(SdJwtVc.TYP) && !(acceptLegacyTyp && typ.equals(SdJwtVc.LEGACY_TYP))) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "an SD-JWT VC has typ '" + SdJwtVc.TYP + "', not '" + typ + "'");
        }
        String issuer = issuer(jws.payloadJson());
        Optional<Did> issuerDid = Did.tryParse(issuer);
        VerificationKey key = issuerDid.isPresent() ? issuerKey(issuerDid.get(), jws.kid())
                : issuerMetadata.key(JwtVcIssuerMetadata.issuerUrl(issuer), jws.kid());
        ProcessedSdJwt processed = sdJwt.verify(key);
        for (ClaimPath p : processed.disclosedPaths()) {
            if (p.segments().size() == 1 && SdJwtVcIssuer.ALWAYS_VISIBLE.contains((String) p.segments().get(0))) {
                throw new ProblemException(ProblemType.SD_JWT_DISCLOSURE_INVALID, p + " must not be selectively disclosable");
            }
        }
        ObjectNode claims = processed.claims();
        JsonNode vct = claims.get("vct");
        if (vct == null || !vct.isTextual() || vct.asText().isEmpty()) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "an SD-JWT VC has a 'vct'");
        }
        Instant now = clock.instant();
        Optional<Instant> iat = seconds(claims, "iat");
        Optional<Instant> nbf = seconds(claims, "nbf");
        Optional<Instant> exp = seconds(claims, "exp");
        if (exp.isPresent() && !now.minus(skew).isBefore(exp.get())) {
            throw new ProblemException(ProblemType.CREDENTIAL_EXPIRED, "the credential expired at " + exp.get());
        }
        if (nbf.isPresent() && nbf.get().isAfter(now.plus(skew)) || iat.isPresent() && iat.get().isAfter(now.plus(skew))) {
            throw new ProblemException(ProblemType.CREDENTIAL_NOT_YET_VALID, "the credential is not valid yet");
        }
        Optional<StatusReference> status = claims.has("status") ? Optional.of(StatusReference.parse(claims.get("status")))
                : Optional.empty();
        boolean bound = sdJwt.keyBindingJwt().isPresent();
        if (bound || requireKeyBinding) {
            KeyBinding.verify(sdJwt, processed, new KeyBinding.Expectation(audience, nonce, clock, keyBindingMaxAge, skew));
        }
        return new VerifiedSdJwtVc(issuer, issuerDid, vct.asText(), processed, iat, exp, status, bound);
    }

    private static String issuer(ObjectNode payload) {
        JsonNode iss = payload.get("iss");
        if (iss == null || !iss.isTextual()) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "an SD-JWT VC names its issuer in 'iss'");
        }
        return iss.asText();
    }

    private VerificationKey issuerKey(Did issuer, Optional<String> kid) {
        DidUrl url = kid.flatMap(DidUrl::tryParse).filter(u -> u.did().equals(issuer)).orElseThrow(() -> new ProblemException(
                ProblemType.INVALID_VERIFICATION_METHOD_URL, "the SD-JWT VC's kid must be a DID URL of its issuer " + issuer));
        boolean selfCertifying = issuer.method().equals("key") || issuer.method().equals("jwk");
        String id = url.toString();
        VerificationKey known = selfCertifying ? selfCertifyingKeys.get(id) : null;
        if (known != null) {
            return known;
        }
        VerificationKey key = resolver.resolve(issuer).document().authorize(url, Relationship.ASSERTION_METHOD).key();
        if (selfCertifying) {
            if (selfCertifyingKeys.size() >= MAX_CACHED_KEYS) {
                selfCertifyingKeys.clear();
            }
            selfCertifyingKeys.put(id, key);
        }
        return key;
    }

    private static Optional<Instant> seconds(ObjectNode claims, String name) {
        JsonNode n = claims.get(name);
        if (n == null) {
            return Optional.empty();
        }
        // SECURITY-NOTES: NumericDates checked here (finite, integral, sane range), not left to a library
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0 || n.asLong() > 253_402_300_799L) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "'" + name + "' must be an integral NumericDate");
        }
        return Optional.of(Instant.ofEpochSecond(n.asLong()));
    }

    /** Builds an {@link SdJwtVcVerifier}: strict defaults, each relaxation named. Single use. */
    public static final class Builder {
        private final DidResolver resolver;
        private Clock clock = Clock.systemUTC();
        private Duration skew = Duration.ofSeconds(60);
        private Duration keyBindingMaxAge = KeyBinding.Expectation.DEFAULT_MAX_AGE;
        private boolean acceptLegacyTyp;
        private boolean requireKeyBinding = true;
        private IssuerMetadataKeys issuerMetadata = IssuerMetadataKeys.NONE;

        private Builder(DidResolver resolver) {
            this.resolver = Objects.requireNonNull(resolver, "resolver");
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Tolerated clock difference, 0..10 minutes (60 s by default). */
        public Builder skew(Duration skew) {
            if (skew.isNegative() || skew.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("skew is 0..10 minutes");
            }
            this.skew = skew;
            return this;
        }

        /** How old a key-binding JWT's {@code iat} may be (5 minutes by default). */
        public Builder keyBindingMaxAge(Duration maxAge) {
            if (maxAge.isNegative() || maxAge.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("key-binding max age is 0..10 minutes");
            }
            this.keyBindingMaxAge = maxAge;
            return this;
        }

        /** Also accepts {@code typ} {@code vc+sd-jwt}, the media type before November 2024. */
        public Builder acceptLegacyTyp() {
            this.acceptLegacyTyp = true;
            return this;
        }

        /** Accepts presentations without a key-binding JWT (one that is present is still checked): bearer credentials. */
        public Builder allowMissingKeyBinding() {
            this.requireKeyBinding = false;
            return this;
        }

        /**
         * Takes the keys of issuers named by an https URL from {@code keys} (their JWT VC Issuer Metadata); without this,
         * such credentials are refused with {@code UNTRUSTED_ISSUER}.
         */
        public Builder issuerMetadata(IssuerMetadataKeys keys) {
            this.issuerMetadata = Objects.requireNonNull(keys, "keys");
            return this;
        }

        public SdJwtVcVerifier build() {
            return new SdJwtVcVerifier(this);
        }
    }
}
