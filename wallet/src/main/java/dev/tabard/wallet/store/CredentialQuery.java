package dev.tabard.wallet.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** Which stored credentials to select; every part is optional and they all must match. */
public record CredentialQuery(Set<String> types, Optional<String> issuer, Set<String> capabilities, Optional<Instant> validAt) {

    public CredentialQuery {
        types = Set.copyOf(types);
        Objects.requireNonNull(issuer, "issuer");
        capabilities = Set.copyOf(capabilities);
        Objects.requireNonNull(validAt, "validAt");
    }

    public static CredentialQuery all() {
        return new CredentialQuery(Set.of(), Optional.empty(), Set.of(), Optional.empty());
    }

    public boolean matches(StoredCredential c) {
        return c.types().containsAll(types) && issuer.map(i -> i.equals(c.issuer())).orElse(true)
                && c.capabilities().containsAll(capabilities) && validAt.map(c::validAt).orElse(true);
    }
}
