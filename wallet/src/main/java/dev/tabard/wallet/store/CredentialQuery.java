package dev.tabard.wallet.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which stored credentials to select; every part is optional and they all must match. Immutable: start from
 * {@link #all()} and narrow with the {@code with…} methods.
 */
public final class CredentialQuery {

    private static final CredentialQuery ALL = new CredentialQuery(Set.of(), Optional.empty(), Set.of(), Optional.empty());

    private final Set<String> types;
    private final Optional<String> issuer;
    private final Set<String> capabilities;
    private final Optional<Instant> validAt;

    private CredentialQuery(Set<String> types, Optional<String> issuer, Set<String> capabilities, Optional<Instant> validAt) {
        this.types = Set.copyOf(types);
        this.issuer = issuer;
        this.capabilities = Set.copyOf(capabilities);
        this.validAt = validAt;
    }

    /** Every stored credential. */
    public static CredentialQuery all() {
        return ALL;
    }

    /** This query, also requiring each of {@code required} among a credential's types. */
    public CredentialQuery withTypes(Set<String> required) {
        return new CredentialQuery(union(types, required), issuer, capabilities, validAt);
    }

    /** This query, also requiring {@code issuerDid} as the issuer. */
    public CredentialQuery withIssuer(String issuerDid) {
        return new CredentialQuery(types, Optional.of(Objects.requireNonNull(issuerDid, "issuerDid")), capabilities, validAt);
    }

    /** This query, also requiring each of {@code required} among a credential's capabilities. */
    public CredentialQuery withCapabilities(Set<String> required) {
        return new CredentialQuery(types, issuer, union(capabilities, required), validAt);
    }

    /** This query, also requiring the credential to be valid at {@code instant}. */
    public CredentialQuery validAt(Instant instant) {
        return new CredentialQuery(types, issuer, capabilities, Optional.of(Objects.requireNonNull(instant, "instant")));
    }

    public Set<String> types() {
        return types;
    }

    public Optional<String> issuer() {
        return issuer;
    }

    public Set<String> capabilities() {
        return capabilities;
    }

    public Optional<Instant> validAt() {
        return validAt;
    }

    public boolean matches(StoredCredential c) {
        return c.types().containsAll(types) && issuer.map(i -> i.equals(c.issuer())).orElse(true)
                && c.capabilities().containsAll(capabilities) && validAt.map(c::validAt).orElse(true);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>(a);
        out.addAll(Objects.requireNonNull(b, "required"));
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CredentialQuery q && types.equals(q.types) && issuer.equals(q.issuer) && capabilities.equals(q.capabilities)
                && validAt.equals(q.validAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(types, issuer, capabilities, validAt);
    }

    @Override
    public String toString() {
        return "CredentialQuery[types=" + types + ", issuer=" + issuer + ", capabilities=" + capabilities + ", validAt=" + validAt + "]";
    }
}
