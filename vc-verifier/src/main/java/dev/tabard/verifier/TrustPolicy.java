package dev.tabard.verifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
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
 * {@link Builder#trustAnyIssuer()} is chosen, for demos and conformance runs). Immutable.
 *
 * @param statusStaleness how long a status list that can no longer be fetched may still be used; empty
 *     means fail closed (the default)
 */
public record TrustPolicy(Set<Did> trustedIssuers, Set<String> trustedWebDomains, boolean trustAnyIssuer,
                          Set<String> requiredTypes, Set<String> requiredCapabilities, Set<Format> formats,
                          Set<KeyType> keyTypes, Optional<Duration> maxCredentialAge, Duration maxClockSkew,
                          Optional<Duration> statusStaleness) {

    public static final Duration MAX_SKEW = Duration.ofMinutes(10);

    /** How a credential may be secured. */
    public enum Format { VC_JWT, VC11_JWT, DATA_INTEGRITY }

    public TrustPolicy {
        trustedIssuers = Set.copyOf(trustedIssuers);
        trustedWebDomains = Set.copyOf(trustedWebDomains);
        requiredTypes = Set.copyOf(requiredTypes);
        requiredCapabilities = Set.copyOf(requiredCapabilities);
        formats = Set.copyOf(formats);
        keyTypes = Set.copyOf(keyTypes);
        Objects.requireNonNull(maxCredentialAge, "maxCredentialAge");
        Objects.requireNonNull(maxClockSkew, "maxClockSkew");
        Objects.requireNonNull(statusStaleness, "statusStaleness");
        if (maxClockSkew.isNegative() || maxClockSkew.compareTo(MAX_SKEW) > 0) {
            throw new IllegalArgumentException("clock skew must be 0..10 minutes");
        }
        if (formats.isEmpty() || keyTypes.isEmpty()) {
            throw new IllegalArgumentException("a policy accepts at least one format and one key type");
        }
        if (trustAnyIssuer && (!trustedIssuers.isEmpty() || !trustedWebDomains.isEmpty())) {
            throw new IllegalArgumentException("trusting any issuer contradicts a list of trusted issuers");
        }
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
     * Reads a policy from JSON: {@code {"trustedIssuers":[…], "trustedWebDomains":[…], "trustAnyIssuer":false,
     * "requiredTypes":[…], "requiredCapabilities":[…], "formats":["vc_jwt","data_integrity"], "keyTypes":["ED25519"],
     * "maxCredentialAge":"PT24H", "maxClockSkew":"PT60S", "statusStaleness":"PT10M"}}}. Unknown members are errors,
     * so a misspelt rule never silently does nothing.
     *
     * @throws ProblemException {@code MALFORMED_VALUE_ERROR} with a pointer for anything it cannot read
     */
    public static TrustPolicy fromJson(byte[] json) {
        ObjectNode o = JsonCodec.parseObject(json);
        Builder b = builder();
        Set<String> known = Set.of("trustedIssuers", "trustedWebDomains", "trustAnyIssuer", "requiredTypes",
                "requiredCapabilities", "formats", "keyTypes", "maxCredentialAge", "maxClockSkew", "statusStaleness");
        o.fieldNames().forEachRemaining(f -> {
            if (!known.contains(f)) {
                throw bad("/" + f, "unknown policy member '" + f + "'");
            }
        });
        for (String s : strings(o, "trustedIssuers")) {
            b.trustIssuer(Did.tryParse(s).orElseThrow(() -> bad("/trustedIssuers", "'" + s + "' is not a DID")));
        }
        strings(o, "trustedWebDomains").forEach(b::trustWebDomain);
        if (o.path("trustAnyIssuer").asBoolean(false)) {
            b.trustAnyIssuer();
        }
        b.requireTypes(strings(o, "requiredTypes").toArray(String[]::new));
        b.requireCapabilities(strings(o, "requiredCapabilities").toArray(String[]::new));
        if (o.has("formats")) {
            Set<Format> formats = EnumSet.noneOf(Format.class);
            for (String f : strings(o, "formats")) {
                try {
                    formats.add(Format.valueOf(f.toUpperCase(Locale.ROOT)));
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
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw bad("", e.getMessage());
        }
    }

    /**
     * Reads a policy file: YAML when it ends in {@code .yaml} or {@code .yml}, JSON otherwise; the same members either
     * way. YAML is read without anchors/aliases expansion beyond a small bound and converted to JSON first.
     */
    public static TrustPolicy fromFile(java.nio.file.Path file) throws java.io.IOException {
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        if (bytes.length > 256 * 1024) {
            throw new ProblemException(ProblemType.INPUT_TOO_LARGE, "policy file larger than 256 KiB");
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            org.yaml.snakeyaml.LoaderOptions limits = new org.yaml.snakeyaml.LoaderOptions();
            limits.setMaxAliasesForCollections(10);
            limits.setNestingDepthLimit(20);
            com.fasterxml.jackson.dataformat.yaml.YAMLMapper yaml = com.fasterxml.jackson.dataformat.yaml.YAMLMapper.builder(
                    com.fasterxml.jackson.dataformat.yaml.YAMLFactory.builder().loaderOptions(limits).build()).build();
            JsonNode tree;
            try {
                tree = yaml.readTree(bytes);
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                throw bad("", "the policy is not valid YAML");
            }
            return fromJson(JsonCodec.write(tree));
        }
        return fromJson(bytes);
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
        private boolean any;
        private final Set<String> types = new LinkedHashSet<>();
        private final Set<String> capabilities = new LinkedHashSet<>();
        private Set<Format> formats = EnumSet.of(Format.VC_JWT, Format.DATA_INTEGRITY);
        private Set<KeyType> keyTypes = EnumSet.allOf(KeyType.class);
        private Duration maxAge;
        private Duration skew = Duration.ofSeconds(60);
        private Duration staleness;

        private Builder() {
        }

        public Builder trustIssuer(Did issuer) {
            issuers.add(Objects.requireNonNull(issuer, "issuer"));
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
            maxAge = age;
            return this;
        }

        public Builder maxClockSkew(Duration maxSkew) {
            skew = maxSkew;
            return this;
        }

        /** Accepts a status list that can no longer be fetched for this long past its expiry, instead of failing. */
        public Builder acceptStaleStatusFor(Duration bound) {
            staleness = bound;
            return this;
        }

        public TrustPolicy build() {
            return new TrustPolicy(issuers, domains, any, types, capabilities, formats, keyTypes, Optional.ofNullable(maxAge), skew,
                    Optional.ofNullable(staleness));
        }
    }
}
