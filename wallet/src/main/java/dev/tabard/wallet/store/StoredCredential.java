package dev.tabard.wallet.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A credential the wallet holds, with what queries need: made with {@link #of}, given an end with
 * {@link #withValidUntil}. Immutable.
 */
public final class StoredCredential {

    private final String id;
    private final String token;
    private final String issuer;
    private final Set<String> types;
    private final Set<String> capabilities;
    private final Optional<Instant> validUntil;
    private final Instant stored;

    private StoredCredential(String id, String token, String issuer, Set<String> types, Set<String> capabilities,
                             Optional<Instant> validUntil, Instant stored) {
        this.id = Objects.requireNonNull(id, "id");
        this.token = Objects.requireNonNull(token, "token");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.types = Set.copyOf(types);
        this.capabilities = Set.copyOf(capabilities);
        this.validUntil = validUntil;
        this.stored = Objects.requireNonNull(stored, "stored");
    }

    /**
     * A held credential valid without end; see {@link #withValidUntil}.
     *
     * @param token the vc+jwt as received
     */
    public static StoredCredential of(String id, String token, String issuer, Set<String> types, Set<String> capabilities, Instant stored) {
        return new StoredCredential(id, token, issuer, types, capabilities, Optional.empty(), stored);
    }

    /** This credential, valid until {@code end}. */
    public StoredCredential withValidUntil(Instant end) {
        return new StoredCredential(id, token, issuer, types, capabilities, Optional.of(Objects.requireNonNull(end, "end")), stored);
    }

    public String id() {
        return id;
    }

    /** The vc+jwt as received. */
    public String token() {
        return token;
    }

    public String issuer() {
        return issuer;
    }

    public Set<String> types() {
        return types;
    }

    public Set<String> capabilities() {
        return capabilities;
    }

    public Optional<Instant> validUntil() {
        return validUntil;
    }

    public Instant stored() {
        return stored;
    }

    public boolean validAt(Instant now) {
        return validUntil.map(now::isBefore).orElse(true);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredCredential c && id.equals(c.id) && token.equals(c.token) && issuer.equals(c.issuer) && types.equals(c.types)
                && capabilities.equals(c.capabilities) && validUntil.equals(c.validUntil) && stored.equals(c.stored);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, token, stored);
    }

    @Override
    public String toString() {
        return "StoredCredential[" + id + ", " + types + ", issuer " + issuer + ", until " + validUntil.orElse(null) + "]";
    }
}
