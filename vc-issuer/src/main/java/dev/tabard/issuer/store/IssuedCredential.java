package dev.tabard.issuer.store;

import dev.tabard.did.Did;
import java.time.Instant;
import java.util.Objects;

/**
 * What the issuer keeps about a credential it issued: whom for, until when, where its status lives, and its format
 * ({@link #W3C} for a W3C VC in any securing, {@link #SD_JWT_VC} for an SD-JWT VC, whose Token Status List entry is its
 * revocation index).
 */
public record IssuedCredential(String id, Did agent, Instant issued, Instant validUntil, int revocationList, long revocationIndex,
                               int suspensionList, long suspensionIndex, String keyId, String format) {

    /** The format of a W3C VC (vc+jwt or Data Integrity) and of a registered delegation. */
    public static final String W3C = "w3c";
    /** The format of an SD-JWT VC. */
    public static final String SD_JWT_VC = "dc+sd-jwt";

    public IssuedCredential {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(issued, "issued");
        Objects.requireNonNull(validUntil, "validUntil");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(format, "format");
    }

    /** A W3C credential's record. */
    public IssuedCredential(String id, Did agent, Instant issued, Instant validUntil, int revocationList, long revocationIndex,
                            int suspensionList, long suspensionIndex, String keyId) {
        this(id, agent, issued, validUntil, revocationList, revocationIndex, suspensionList, suspensionIndex, keyId, W3C);
    }
}
