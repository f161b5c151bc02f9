package dev.tabard.audit;

import java.util.Objects;
import java.util.Optional;

/**
 * What checking an audit log found.
 *
 * @param entries how many entries were read
 * @param signedHeadSeq the newest entry a verified signed head covers (0 when none does)
 * @param broken the first break, or empty when every entry is covered by a head that verifies
 */
public record AuditVerdict(long entries, long signedHeadSeq, Optional<AuditBreak> broken) {

    public AuditVerdict {
        Objects.requireNonNull(broken, "broken");
    }

    public boolean intact() {
        return broken.isEmpty();
    }

    /** One line for an operator: {@code intact: N entries, signed head at seq S}, or {@code BROKEN: } and the break. */
    public String message() {
        return broken.map(b -> "BROKEN: " + b).orElse("intact: " + entries + " entries, signed head at seq " + signedHeadSeq);
    }
}
