package dev.tabard.issuer.audit;

import dev.tabard.issuer.keys.OrgKey;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Where {@link AuditLog} reads a log from: its entries, the signed heads over them, and the org keys that signed. */
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

    /** Every org key, retired ones included: old heads stay verifiable with the key they name. */
    List<OrgKey> keys();
}
