package dev.tabard.verifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.sdjwt.vc.JwtVcIssuerMetadata;
import dev.tabard.vc.DelegationChain;
import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Whom a verifier trusts and what it requires. No issuer is trusted until one is named (or
 * {@link Builder#trustAnyIssuer()} is chosen, for demos and conformance runs), and a presentation's credentials must be
 * about its holder unless {@link Builder#acceptCredentialsNotBoundToHolder()} says otherwise. Immutable; built only
 * through {@link #builder()} or {@link #fromJson}.
 */
public final class TrustPolicy {

    public static final Duration MAX_SKEW = Duration.ofMinutes(10);
    /** The clock skew allowed unless the policy says otherwise. */
    public static final Duration DEFAULT_SKEW = Duration.ofSeconds(60);

    /** How a credential may be secured. */
    public enum Format { VC_JWT, VC11_JWT, DATA_INTEGRITY, /** SD-JWT VC, {@code dc+sd-jwt}: accepted only when listed. */ DC_SD_JWT }

    private final Set<Did> trustedIssuers;
    private final Set<String> trustedWebDomains;
    private final Set<URI> trustedIssuerUrls;
    private final boolean trustAnyIssuer;
    private final boolean acceptCredentialsNotBoundToHolder;
    private final Set<String> requiredTypes;
    private final Set<String> requiredCapabilities;
    private final Set<Format> formats;
    private final Set<KeyType> keyTypes;
    private final Optional<Duration> maxCredentialAge;
    private final Duration maxClockSkew;
    private final Optional<Duration> statusStaleness;
    private final Duration maxUnregisteredLinkLifetime;

    private TrustPolicy(Builder b) {
        this.trustedIssuers = Set.copyOf(b.issuers);
        this.trustedWebDomains = Set.copyOf(b.domains);
        this.trustedIssuerUrls = Set.copyOf(b.urls);
        this.trustAnyIssuer = b.any;
        this.acceptCredentialsNotBoundToHolder = b.unbound;
        this.requiredTypes = Set.copyOf(b.types);
        this.requiredCapabilities = Set.copyOf(b.capabilities);
        this.formats = Set.copyOf(b.formats);
        this.keyTypes = Set.copyOf(b.keyTypes);
        this.maxCredentialAge = Optional.ofNullable(b.maxAge);
        this.maxClockSkew = Objects.requireNonNull(b.skew, "maxClockSkew");
        this.statusStaleness = Optional.ofNullable(b.staleness);
        this.maxUnregisteredLinkLifetime = b.linkLifetime;
        if (maxUnregisteredLinkLifetime.isNegative() || maxUnregisteredLinkLifetime.isZero()
                || maxUnregisteredLinkLifetime.compareTo(DelegationChain.MAX_UNREGISTERED_LIFETIME) > 0) {
            throw new IllegalArgumentException("an unregistered delegation link may live at most "
                    + DelegationChain.MAX_UNREGISTERED_LIFETIME + "; a policy may only lower that");
        }
        if (maxClockSkew.isNegative() || maxClockSkew.compareTo(MAX_SKEW) > 0) {
            throw new IllegalArgumentException("clock skew must be 0..10 minutes");
        }
        if (formats.isEmpty() || keyTypes.isEmpty()) {
            throw new IllegalArgumentException("a policy accepts at least one format and one key type");
        }
        if (trustAnyIssuer && (!trustedIssuers.isEmpty() || !trustedWebDomains.isEmpty() || !trustedIssuerUrls.isEmpty())) {
            throw new IllegalArgumentException("trusting any issuer contradicts a list of trusted issuers");
        }
    }

    public Set<Did> trustedIssuers() {
        return trustedIssuers;
    }

    /** Issuers named by an https URL, whose keys come from their JWT VC Issuer Metadata (SD-JWT VC only). */
    public Set<URI> trustedIssuerUrls() {
        return trustedIssuerUrls;
    }

    public Set<String> trustedWebDomains() {
        return trustedWebDomains;
    }

    /** Whether every issuer is trusted: proofs, dates and status are still checked, but not who signed. */
    public boolean trustAnyIssuer() {
        return trustAnyIssuer;
    }

    /**
     * Whether a presentation may carry credentials about someone other than its holder. They are then reported as
     * warnings and yield no agent identity; by default such a presentation is refused with {@code HOLDER_MISMATCH}.
     */
    public boolean acceptCredentialsNotBoundToHolder() {
        return acceptCredentialsNotBoundToHolder;
    }

    public Set<String> requiredTypes() {
        return requiredTypes;
    }

    public Set<String> requiredCapabilities() {
        return requiredCapabilities;
    }

    public Set<Format> formats() {
        return formats;
    }

    public Set<KeyType> keyTypes() {
        return keyTypes;
    }

    public Optional<Duration> maxCredentialAge() {
        return maxCredentialAge;
    }

    public Duration maxClockSkew() {
        return maxClockSkew;
    }

    /**
     * The longest a delegation link the root organization's issuer has not registered (so cannot revoke) may live:
     * {@link DelegationChain#MAX_UNREGISTERED_LIFETIME} unless the policy lowers it.
     */
    public Duration maxUnregisteredLinkLifetime() {
        return maxUnregisteredLinkLifetime;
    }

    /** How long a status list that can no longer be fetched may still be used; empty fails closed (the default). */
    public Optional<Duration> statusStaleness() {
        return statusStaleness;
    }

    @Override
    public String toString() {
        return "TrustPolicy[issuers=" + (trustAnyIssuer ? "any" : trustedIssuers + " " + trustedWebDomains
                + (trustedIssuerUrls.isEmpty() ? "" : " " + trustedIssuerUrls)) + ", requiredTypes="
                + requiredTypes + ", requiredCapabilities=" + requiredCapabilities + ", formats=" + formats + ", keyTypes=" + keyTypes
                + ", acceptCredentialsNotBoundToHolder=" + acceptCredentialsNotBoundToHolder + "]";
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether {@code issuer} is trusted: named, or a did:web under a trusted domain. */
    public boolean trusts(Did issuer) {
        if (trustAnyIssuer || trustedIssuers.contains(issuer)) {
            return true;
        }
        if (issuer.method().equals("web")) {
            String host = issuer.methodSpecificId().split(":", 2)[0].toLowerCase(Locale.ROOT).replaceFirst("%3a.*$", "");
            return trustedWebDomains.contains(host);
        }
        return false;
    }

    /**
     * Whether the issuer named by the https URL {@code issuer} is trusted: listed exactly (the SD-JWT VC draft compares
     * {@code iss} with the metadata's {@code issuer} as strings, so no normalization here either), or any issuer is.
     * Only then does a verifier fetch its JWT VC Issuer Metadata.
     */
    public boolean trustsIssuerUrl(URI issuer) {
        return trustAnyIssuer || trustedIssuerUrls.contains(issuer);
    }

    /**
     * Reads a policy from JSON: {@code {"trustedIssuers":[…], "trustedWebDomains":[…], "trustAnyIssuer":false,
     * "requiredTypes":[…], "requiredCapabilities":[…], "formats":["vc_jwt","data_integrity"], "keyTypes":["ED25519"],
     * "maxCredentialAge":"PT24H", "maxClockSkew":"PT60S", "statusStaleness":"PT10M", "maxUnregisteredLinkLifetime":"PT5M",
     * "acceptCredentialsNotBoundToHolder":false}}. Unknown members are errors, so a misspelt rule never silently does
     * nothing; the two relaxations must be JSON {@code true} to take effect. A {@code trustedIssuers} entry is a DID, or
     * an https URL for an SD-JWT VC issuer that publishes its keys as JWT VC Issuer Metadata.
     *
     * @throws ProblemException {@code MALFORMED_VALUE_ERROR} with a pointer for anything it cannot read
     */
    public static TrustPolicy fromJson(byte[] json) {
        ObjectNode o = JsonCodec.parseObject(json);
        Builder b = builder();
        Set<String> known = Set.of("trustedIssuers", "trustedWebDomains", "trustAnyIssuer", "requiredTypes",
                "requiredCapabilities", "formats", "keyTypes", "maxCredentialAge", "maxClockSkew", "statusStaleness",
                "acceptCredentialsNotBoundToHolder", "maxUnregisteredLinkLifetime");
        o.fieldNames().forEachRemaining(f -> {
            if (!known.contains(f)) {
                throw bad("/" + f, "unknown policy member '" + f + "'");
            }
        });
        for (String s : strings(o, "trustedIssuers")) {
            if (s.startsWith("https:")) {
                try {
                    b.trustIssuerUrl(JwtVcIssuerMetadata.issuerUrl(s));
                } catch (ProblemException e) {
                    throw bad("/trustedIssuers", e.problem().detail());
                }
            } else {
                b.trustIssuer(Did.tryParse(s).orElseThrow(() -> bad("/trustedIssuers", "'" + s
                        + "' is neither a DID nor an https issuer URL")));
            }
        }
        strings(o, "trustedWebDomains").forEach(b::trustWebDomain);
        if (flag(o, "trustAnyIssuer")) {
            b.trustAnyIssuer();
        }
        if (flag(o, "acceptCredentialsNotBoundToHolder")) {
            b.acceptCredentialsNotBoundToHolder();
        }
        b.requireTypes(strings(o, "requiredTypes").toArray(String[]::new));
        b.requireCapabilities(strings(o, "requiredCapabilities").toArray(String[]::new));
        if (o.has("formats")) {
            Set<Format> formats = EnumSet.noneOf(Format.class);
            for (String f : strings(o, "formats")) {
                try {
                    formats.add(Format.valueOf(f.toUpperCase(Locale.ROOT).replace('+', '_').replace('-', '_')));
                } catch (IllegalArgumentException e) {
                    throw bad("/formats", "unknown format '" + f + "'");
                }
            }
            b.formats = formats;
        }
        if (o.has("keyTypes")) {
            Set<KeyType> types = EnumSet.noneOf(KeyType.class);
            for (String k : strings(o, "keyTypes")) {
                try {
                    types.add(KeyType.valueOf(k.toUpperCase(Locale.ROOT).replace("-", "")));
                } catch (IllegalArgumentException e) {
                    throw bad("/keyTypes", "unknown key type '" + k + "'");
                }
            }
            b.keyTypes = types;
        }
        duration(o, "maxCredentialAge").ifPresent(b::maxCredentialAge);
        duration(o, "maxClockSkew").ifPresent(b::maxClockSkew);
        duration(o, "statusStaleness").ifPresent(b::acceptStaleStatusFor);
        duration(o, "maxUnregisteredLinkLifetime").ifPresent(b::maxUnregisteredLinkLifetime);
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw bad("", e.getMessage());
        }
    }

    /** A relaxation is on only when written as JSON {@code true}: {@code "yes"} or {@code 1} is a mistake, not a yes. */
    private static boolean flag(ObjectNode o, String name) {
        JsonNode v = o.get(name);
        if (v != null && !v.isBoolean()) {
            throw bad("/" + name, name + " must be true or false");
        }
        return v != null && v.asBoolean();
    }

    private static Set<String> strings(ObjectNode o, String name) {
        Set<String> out = new LinkedHashSet<>();
        JsonNode v = o.get(name);
        if (v == null) {
            return out;
        }
        if (!v.isArray()) {
            throw bad("/" + name, name + " must be an array of strings");
        }
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) {
                throw bad("/" + name + "/" + i, name + " must be an array of strings");
            }
            out.add(v.get(i).asText());
        }
        return out;
    }

    private static Optional<Duration> duration(ObjectNode o, String name) {
        JsonNode v = o.get(name);
        if (v == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.parse(v.asText()));
        } catch (DateTimeParseException e) {
            throw bad("/" + name, name + " must be an ISO 8601 duration such as PT60S");
        }
    }

    private static ProblemException bad(String pointer, String detail) {
        return new ProblemException(dev.tabard.problem.Problem.at(ProblemType.MALFORMED_VALUE_ERROR, pointer, detail));
    }

    /** Single-use. */
    public static final class Builder {
        private final Set<Did> issuers = new LinkedHashSet<>();
        private final Set<String> domains = new LinkedHashSet<>();
        private final Set<URI> urls = new LinkedHashSet<>();
        private boolean any;
        private boolean unbound;
        private final Set<String> types = new LinkedHashSet<>();
        private final Set<String> capabilities = new LinkedHashSet<>();
        private Set<Format> formats = EnumSet.of(Format.VC_JWT, Format.DATA_INTEGRITY);
        private Set<KeyType> keyTypes = EnumSet.allOf(KeyType.class);
        private Duration maxAge;
        private Duration skew = DEFAULT_SKEW;
        private Duration linkLifetime = DelegationChain.MAX_UNREGISTERED_LIFETIME;
        private Duration staleness;

        private Builder() {
        }

        public Builder trustIssuer(Did issuer) {
            issuers.add(Objects.requireNonNull(issuer, "issuer"));
            return this;
        }

        /**
         * Trusts the SD-JWT VC issuer named by this https URL, and so lets the verifier fetch its JWT VC Issuer Metadata.
         *
         * @throws IllegalArgumentException for a URL that is not https, or has a query, fragment or user info
         */
        public Builder trustIssuerUrl(URI issuer) {
            try {
                urls.add(JwtVcIssuerMetadata.issuerUrl(issuer.toString()));
            } catch (ProblemException e) {
                throw new IllegalArgumentException(e.problem().detail(), e);
            }
            return this;
        }

        /** Trusts every did:web under this host name. */
        public Builder trustWebDomain(String host) {
            domains.add(host.toLowerCase(Locale.ROOT));
            return this;
        }

        public Builder trustAnyIssuer() {
            any = true;
            return this;
        }

        /**
         * Accepts presentations whose credentials are about someone other than the holder (VC DM 2.0 allows it; the W3C
         * suites send such presentations). Gives up holder binding: such a credential is reported as a warning and
         * yields no agent identity, but the presentation verifies.
         */
        public Builder acceptCredentialsNotBoundToHolder() {
            unbound = true;
            return this;
        }

        public Builder requireTypes(String... required) {
            types.addAll(Set.of(required));
            return this;
        }

        public Builder requireCapabilities(String... required) {
            capabilities.addAll(Set.of(required));
            return this;
        }

        public Builder formats(Format... accepted) {
            formats = EnumSet.copyOf(Set.of(accepted));
            return this;
        }

        public Builder allowKeyTypes(KeyType... allowed) {
            keyTypes = EnumSet.copyOf(Set.of(allowed));
            return this;
        }

        public Builder maxCredentialAge(Duration age) {
            maxAge = Objects.requireNonNull(age, "age");
            return this;
        }

        public Builder maxClockSkew(Duration maxSkew) {
            skew = Objects.requireNonNull(maxSkew, "maxSkew");
            return this;
        }

        /** Accepts a status list that can no longer be fetched for this long past its expiry, instead of failing. */
        public Builder acceptStaleStatusFor(Duration bound) {
            staleness = Objects.requireNonNull(bound, "bound");
            return this;
        }

        /** Lowers how long an unregistered delegation link may live (at most {@link DelegationChain#MAX_UNREGISTERED_LIFETIME}). */
        public Builder maxUnregisteredLinkLifetime(Duration lifetime) {
            linkLifetime = Objects.requireNonNull(lifetime, "lifetime");
            return this;
        }

        public TrustPolicy build() {
            return new TrustPolicy(this);
        }
    }
}
