package dev.tabard.vc;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code credentialStatus} entry. For {@code BitstringStatusListEntry} the list fields are set;
 * other types keep only their id and type.
 *
 * @param statusSize bits per entry, 1 when absent
 */
public record StatusEntry(Optional<URI> id, String type, Optional<String> statusPurpose, Optional<Long> statusListIndex,
                          Optional<URI> statusListCredential, int statusSize) {

    public static final String BITSTRING_TYPE = "BitstringStatusListEntry";

    public StatusEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(statusPurpose, "statusPurpose");
        Objects.requireNonNull(statusListIndex, "statusListIndex");
        Objects.requireNonNull(statusListCredential, "statusListCredential");
    }

    public boolean isBitstring() {
        return BITSTRING_TYPE.equals(type);
    }
}
