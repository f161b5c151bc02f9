package dev.tabard.issuer.keys;

import dev.tabard.crypto.VerificationKey;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One of the organization's keys. Rotation is staged: a new key is {@code PUBLISHED} (in the DID document, not
 * yet signing), then {@code ACTIVE} (signing), and the old key is {@code RETIRED} once every credential it signed
 * has expired — until then it stays in the document so those credentials still verify.
 *
 * @param id the verification-method fragment, stable for the key's life (e.g. {@code key-1})
 * @param sealedPrivateKey the private key sealed by {@link dev.tabard.crypto.KeySealer}
 */
public record OrgKey(String id, VerificationKey publicKey, String sealedPrivateKey, State state, Instant created,
                     Optional<Instant> retireAfter) {

    public enum State { PUBLISHED, ACTIVE, DEPRECATED, RETIRED }

    public OrgKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(sealedPrivateKey, "sealedPrivateKey");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(retireAfter, "retireAfter");
    }

    /** Whether the key belongs in the DID document. */
    public boolean published() {
        return state != State.RETIRED;
    }

    @Override
    public String toString() {
        return "OrgKey[" + id + ", " + publicKey + ", " + state + "]";
    }
}
