package dev.tabard.issuer.store;

import dev.tabard.audit.AuditEntry;
import dev.tabard.audit.AuditKey;
import dev.tabard.audit.SignedHead;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Appends to the audit hash chain inside the caller's transaction, which holds {@link Database#CHAIN_LOCK}. The chain's
 * end is read from the database inside that transaction, never kept in memory, so several instances on one database
 * extend one chain: sequence numbers follow each other without gaps or repeats, and each transaction ends in a head
 * signed by the active org key once {@link #signWith} set one.
 */
final class AuditChain {

    private final Clock clock;
    /** Signs the head of every audited transaction once set. */
    private volatile Supplier<AuditKey> key;

    AuditChain(Clock clock) {
        this.clock = clock;
    }

    /** The chain's end as this transaction sees it, to append to. */
    Cursor open(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")) {
            return rs.next() ? new Cursor(c, rs.getLong(1), rs.getString(2)) : new Cursor(c, 0, AuditEntry.GENESIS);
        }
    }

    /** Appends one entry for {@code audit} and signs the new end: one audited change. */
    void appendOne(Connection c, IssuerStore.Audit audit) throws SQLException {
        Cursor cursor = open(c);
        cursor.append(audit);
        cursor.sign();
    }

    /**
     * Sets the key that signs heads from now on, and covers entries written before any key (bootstrap, a store from
     * before signed heads) with a head at once. Runs in a transaction holding the chain lock.
     *
     * @throws IllegalStateException when the store has signed heads and entries after the newest of them
     */
    void signWith(Connection c, Supplier<AuditKey> key) throws SQLException {
        Objects.requireNonNull(key, "key");
        Cursor end = open(c);
        long signed = AuditTables.latestHead(c).map(h -> h.seq()).orElse(0L);
        if (end.seq > signed && signed > 0) {
            // a head over this tail would attest to entries nobody signed: a store with signed heads never has an
            // unsigned tail unless it was changed outside the issuer
            throw new IllegalStateException("the audit log's entries " + (signed + 1) + "-" + end.seq + " are not covered by a "
                    + "signed head, so they were written outside the issuer; run 'tabard audit verify --data DIR' and restore "
                    + "the store from a backup");
        }
        this.key = key;
        if (end.seq > signed) {
            end.sign();
        }
    }

    /** The end of the chain within one transaction, moved by each append. */
    final class Cursor {
        private final Connection c;
        private long seq;
        private String hash;

        private Cursor(Connection c, long seq, String hash) {
            this.c = c;
            this.seq = seq;
            this.hash = hash;
        }

        void append(IssuerStore.Audit audit) throws SQLException {
            appendAll(List.of(audit));
        }

        /** Appends one entry per audit, in order, inserted in one batch. */
        void appendAll(List<IssuerStore.Audit> audits) throws SQLException {
            List<AuditEntry> entries = new ArrayList<>(audits.size());
            for (IssuerStore.Audit audit : audits) {
                AuditEntry e = AuditEntry.next(seq + 1, clock.instant(), audit.actor(), audit.action(), audit.subject(),
                        audit.detailsJson(), hash);
                entries.add(e);
                seq = e.seq();
                hash = e.hash();
            }
            AuditTables.appendAll(c, entries);
        }

        /** Stores a signed head over the current end, once a key is set: one signature covers a whole transaction. */
        void sign() throws SQLException {
            Supplier<AuditKey> k = key;
            if (k != null && seq > 0) {
                AuditTables.insertHead(c, SignedHead.sign(seq, hash, clock.instant(), k.get()));
            }
        }
    }
}
