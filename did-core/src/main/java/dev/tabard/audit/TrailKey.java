package dev.tabard.audit;

import dev.tabard.crypto.VerificationKey;
import java.util.Objects;

/**
 * A public key as a log records it, under the id its signed heads name ({@code kid}). Whoever can write the log can
 * write these too, so {@link AuditLog#verify} trusts one only as far as the heads it signs verify with it, and a
 * {@code did:key} id only with the key that DID names.
 *
 * @param id the key id heads name, e.g. {@code key-1} or {@code did:key:z6Mk…#z6Mk…}
 * @param publicKey the key recorded under {@code id}
 */
public record TrailKey(String id, VerificationKey publicKey) {

    public TrailKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(publicKey, "publicKey");
    }
}
