package dev.tabard.issuer.status;

import dev.tabard.vc.status.Bitstring;
import dev.tabard.vc.status.StatusPurpose;
import java.util.Objects;

/**
 * A status list as stored: its bits and a version that changes with every status change, so the signed
 * list credential is made again only when something changed.
 */
public record StatusListRecord(int id, StatusPurpose purpose, Bitstring bits, long version, int allocated) {

    public StatusListRecord {
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(bits, "bits");
    }

    public boolean full() {
        return allocated >= bits.length();
    }
}
