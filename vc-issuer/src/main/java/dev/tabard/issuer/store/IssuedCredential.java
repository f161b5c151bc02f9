package dev.tabard.issuer.store;

import dev.tabard.did.Did;
import java.time.Instant;
import java.util.Objects;

/** What the issuer keeps about a credential it issued: whom for, until when, and where its status lives. */
public record IssuedCredential(String id, Did agent, Instant issued, Instant validUntil, int revocationList, long revocationIndex,
                               int suspensionList, long suspensionIndex, String keyId) {

    public IssuedCredential {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(issued, "issued");
        Objects.requireNonNull(validUntil, "validUntil");
        Objects.requireNonNull(keyId, "keyId");
    }
}
