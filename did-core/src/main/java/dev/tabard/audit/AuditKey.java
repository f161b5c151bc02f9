package dev.tabard.audit;

import dev.tabard.crypto.Signer;
import java.util.Objects;

/**
 * The key that signs audit heads now: the id the log records its public key under (the issuer's key table, or a key
 * line of an {@link AuditFile}), so a head stays verifiable after rotation, and the signer holding its private half.
 */
public record AuditKey(String keyId, Signer signer) {

    public AuditKey {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(signer, "signer");
    }

    @Override
    public String toString() {
        return "AuditKey[" + keyId + ", " + signer.publicKey() + "]";
    }
}
