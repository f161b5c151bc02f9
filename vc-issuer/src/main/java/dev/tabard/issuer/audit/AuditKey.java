package dev.tabard.issuer.audit;

import dev.tabard.crypto.Signer;
import java.util.Objects;

/**
 * The org key that signs audit heads now: its id in the store's key table, so a head stays verifiable after
 * rotation against the public key stored under that id, and the signer holding its private half.
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
