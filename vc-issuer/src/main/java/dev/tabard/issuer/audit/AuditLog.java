package dev.tabard.issuer.audit;

import java.util.List;
import java.util.Optional;

/** Checks an exported or stored audit chain. */
public final class AuditLog {

    private AuditLog() {
    }

    /** The first entry that breaks the chain (edited, deleted, reordered), or empty when the chain is whole. */
    public static Optional<String> verify(List<AuditEntry> entries) {
        String prev = AuditEntry.GENESIS;
        long expected = 1;
        for (AuditEntry e : entries) {
            if (e.seq() != expected) {
                return Optional.of("entry " + expected + " is missing (found " + e.seq() + ")");
            }
            if (!e.previousHash().equals(prev)) {
                return Optional.of("entry " + e.seq() + " does not follow entry " + (e.seq() - 1));
            }
            if (!e.intact()) {
                return Optional.of("entry " + e.seq() + " was altered");
            }
            prev = e.hash();
            expected++;
        }
        return Optional.empty();
    }
}
