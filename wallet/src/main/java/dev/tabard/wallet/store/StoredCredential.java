package dev.tabard.wallet.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A credential the wallet holds, with what queries need.
 *
 * @param token the vc+jwt as received
 */
public record StoredCredential(String id, String token, String issuer, Set<String> types, Set<String> capabilities,
                               Optional<Instant> validUntil, Instant stored) {

    public StoredCredential {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(issuer, "issuer");
        types = Set.copyOf(types);
        capabilities = Set.copyOf(capabilities);
        Objects.requireNonNull(validUntil, "validUntil");
        Objects.requireNonNull(stored, "stored");
    }

    public boolean validAt(Instant now) {
        return validUntil.map(now::isBefore).orElse(true);
    }

    @Override
    public String toString() {
        return "StoredCredential[" + id + ", " + types + ", issuer " + issuer + ", until " + validUntil.orElse(null) + "]";
    }
}
