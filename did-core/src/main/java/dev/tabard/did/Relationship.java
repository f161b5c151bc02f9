package dev.tabard.did;

import java.util.Optional;

/** The verification relationships of DID Core §5.3; a method is usable only for those that list it. */
public enum Relationship {
    AUTHENTICATION("authentication"),
    ASSERTION_METHOD("assertionMethod"),
    KEY_AGREEMENT("keyAgreement"),
    CAPABILITY_INVOCATION("capabilityInvocation"),
    CAPABILITY_DELEGATION("capabilityDelegation");

    private final String property;

    Relationship(String property) {
        this.property = property;
    }

    /** The DID document property (and Data Integrity {@code proofPurpose}) name. */
    public String property() {
        return property;
    }

    public static Optional<Relationship> fromProperty(String property) {
        for (Relationship r : values()) {
            if (r.property.equals(property)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
