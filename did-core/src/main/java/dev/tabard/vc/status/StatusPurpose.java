package dev.tabard.vc.status;

import java.util.Optional;

/** The Bitstring Status List purposes (§2.1). */
public enum StatusPurpose {
    REVOCATION("revocation"),
    SUSPENSION("suspension"),
    REFRESH("refresh"),
    MESSAGE("message");

    private final String value;

    StatusPurpose(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public static Optional<StatusPurpose> fromValue(String value) {
        for (StatusPurpose p : values()) {
            if (p.value.equals(value)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
