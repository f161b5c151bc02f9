package dev.tabard.audit;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where {@link AuditLog} reads a log from: its entries, the signed heads over them, and the keys that signed. The
 * issuer's SQLite store and {@link AuditFile} are two; both are read as whoever could write them left them.
 */
public interface AuditTrail {

    /**
     * A signed head as stored: its row's sequence number and its JWS, not yet parsed, since whoever can write the
     * store can write anything here.
     */
    record StoredHead(long seq, String jws) {
        public StoredHead {
            Objects.requireNonNull(jws, "jws");
        }
    }

    /** Up to {@code limit} entries after {@code afterSeq}, in sequence order. */
    List<AuditEntry> audit(long afterSeq, int limit);

    /** Up to {@code limit} signed heads after {@code afterSeq}, in sequence order. */
    List<StoredHead> auditHeads(long afterSeq, int limit);

    /** The newest signed head. */
    Optional<StoredHead> latestAuditHead();

    /** Every key that signed heads, retired ones included: old heads stay verifiable with the key they name. */
    List<TrailKey> auditKeys();

    /**
     * Damage found in how the log is laid out rather than in its entries, such as a file line that is no record or
     * entries stored out of order; {@link AuditLog#verify} reports it where the walk reaches its {@code seq}. A store
     * read by key (SQLite) has none.
     */
    default Optional<AuditBreak> damage() {
        return Optional.empty();
    }

    /**
     * How entries after the newest signed head can have come about, in the writer's own terms, for the verdict's
     * message when nothing else (an anchor) shows that their heads were deleted.
     */
    default String unsignedCause() {
        return "written outside the log's writer, or their heads were deleted";
    }
}
