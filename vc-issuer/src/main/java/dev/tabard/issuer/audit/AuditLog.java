package dev.tabard.issuer.audit;

import dev.tabard.crypto.VerificationKey;
import dev.tabard.issuer.audit.AuditBreak.Kind;
import dev.tabard.issuer.audit.AuditTrail.StoredHead;
import dev.tabard.issuer.keys.OrgKey;
import dev.tabard.problem.ProblemException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks a stored audit log against itself, the org keys' signatures over its heads and, when given, a checkpoint
 * the operator kept elsewhere.
 *
 * <p>Without a checkpoint this finds any edited, reordered or deleted entry, any chain re-computed after an edit
 * (its signed heads no longer match), and entries no signed head covers. Deleting the newest entries together with
 * their signed heads leaves a shorter log that is consistent in itself; only a checkpoint taken before the deletion
 * shows it, which is why operators export one ({@code tabard audit checkpoint}) and keep it outside the data
 * directory.
 *
 * <pre>{@code
 * AuditVerdict v = AuditLog.verify(store, Optional.of(AuditCheckpoint.parse(Files.readAllBytes(file))));
 * System.out.println(v.message());   // intact: 1204 entries, signed head at seq 1204
 * }</pre>
 */
public final class AuditLog {

    /** Entries and heads read per query: memory stays bounded whatever the log's length. */
    static final int PAGE = 10_000;

    private AuditLog() {
    }

    /**
     * The first break in {@code trail}, read page by page, or an intact verdict. Never throws for anything the
     * stored data can hold.
     */
    public static AuditVerdict verify(AuditTrail trail, Optional<AuditCheckpoint> checkpoint) {
        Objects.requireNonNull(trail, "trail");
        Objects.requireNonNull(checkpoint, "checkpoint");
        Map<String, VerificationKey> keys = new HashMap<>();
        for (OrgKey k : trail.keys()) {
            keys.put(k.id(), k.publicKey());
        }
        if (checkpoint.isPresent()) {
            Optional<AuditBreak> forged = checkCheckpoint(checkpoint.get(), keys);
            if (forged.isPresent()) {
                return new AuditVerdict(0, 0, forged);
            }
        }
        // read before the entries: a head committed later than this read names an entry the walk will also see
        long latestHead = trail.latestAuditHead().map(StoredHead::seq).orElse(0L);
        return new Walk(trail, keys, checkpoint).run(latestHead);
    }

    private static Optional<AuditBreak> checkCheckpoint(AuditCheckpoint cp, Map<String, VerificationKey> keys) {
        SignedHead head = cp.head();
        try {
            head.verify(cp.publicKey());
        } catch (ProblemException e) {
            return Optional.of(new AuditBreak(Kind.SIGNATURE_INVALID, head.seq(), "the checkpoint does not verify ("
                    + e.problem().detail() + "): it was forged or altered; compare it with the copy you exported"));
        }
        VerificationKey stored = keys.get(head.keyId());
        if (!cp.publicKey().equals(stored)) {
            return Optional.of(new AuditBreak(Kind.SIGNATURE_INVALID, head.seq(), "the checkpoint was signed by "
                    + head.keyId() + " = " + cp.publicKey().toMultibase() + ", but the store holds "
                    + (stored == null ? "no such key" : stored.toMultibase())
                    + ": the store's keys or the checkpoint were replaced"));
        }
        return Optional.empty();
    }

    /** One pass over entries and heads, both in sequence order. */
    private static final class Walk {
        private final AuditTrail trail;
        private final Map<String, VerificationKey> keys;
        private final Optional<AuditCheckpoint> checkpoint;
        private final ArrayDeque<StoredHead> heads = new ArrayDeque<>();
        private long headsAfter;
        private boolean headsDone;
        private long signed;
        private Optional<String> hashAtCheckpoint = Optional.empty();

        Walk(AuditTrail trail, Map<String, VerificationKey> keys, Optional<AuditCheckpoint> checkpoint) {
            this.trail = trail;
            this.keys = keys;
            this.checkpoint = checkpoint;
        }

        AuditVerdict run(long latestHead) {
            long expected = 1;
            String previous = AuditEntry.GENESIS;
            for (List<AuditEntry> page = trail.audit(0, PAGE); !page.isEmpty();
                 page = trail.audit(page.get(page.size() - 1).seq(), PAGE)) {
                for (AuditEntry e : page) {
                    Optional<AuditBreak> b = entry(e, expected, previous);
                    if (b.isPresent()) {
                        return new AuditVerdict(expected - 1, signed, b);
                    }
                    previous = e.hash();
                    expected++;
                }
                // heads committed while this page was read are looked for again with the next one
                headsDone = false;
            }
            long last = expected - 1;
            return new AuditVerdict(last, signed, end(last, latestHead));
        }

        private Optional<AuditBreak> entry(AuditEntry e, long expected, String previous) {
            if (e.seq() != expected) {
                return Optional.of(new AuditBreak(Kind.DELETED, expected, e.seq() == expected + 1
                        ? "it is missing: entry " + e.seq() + " follows entry " + (expected - 1)
                        : "entries " + expected + "-" + (e.seq() - 1) + " are missing: entry " + e.seq() + " follows entry " + (expected - 1)));
            }
            if (!e.previousHash().equals(previous)) {
                return Optional.of(new AuditBreak(Kind.REORDERED, e.seq(), "it does not follow entry " + (e.seq() - 1)
                        + " (it names another previous hash): entries were swapped or one was replaced"));
            }
            if (!intact(e)) {
                return Optional.of(new AuditBreak(Kind.EDITED, e.seq(), "its content no longer gives its stored hash"));
            }
            if (checkpoint.isPresent() && checkpoint.get().head().seq() == e.seq()) {
                hashAtCheckpoint = Optional.of(e.hash());
            }
            for (StoredHead h = peekHead(); h != null && h.seq() <= e.seq(); h = peekHead()) {
                heads.poll();
                Optional<AuditBreak> b = head(h, e);
                if (b.isPresent()) {
                    return b;
                }
            }
            return Optional.empty();
        }

        private static boolean intact(AuditEntry e) {
            try {
                return e.intact();
            } catch (ProblemException notJson) {
                return false;
            }
        }

        private Optional<AuditBreak> head(StoredHead stored, AuditEntry e) {
            if (stored.seq() != e.seq()) {
                return Optional.of(new AuditBreak(Kind.SIGNATURE_INVALID, e.seq(), "a signed head is stored for seq " + stored.seq()
                        + ", which no entry has"));
            }
            SignedHead head;
            try {
                head = SignedHead.parse(stored.jws());
            } catch (ProblemException ex) {
                return Optional.of(new AuditBreak(Kind.SIGNATURE_INVALID, e.seq(), "its signed head is not a valid token: "
                        + ex.problem().detail()));
            }
            VerificationKey key = keys.get(head.keyId());
            if (key == null) {
                // a key made while this walk runs (a rotation) signs heads the walk reaches later
                trail.keys().forEach(k -> keys.putIfAbsent(k.id(), k.publicKey()));
                key = keys.get(head.keyId());
            }
            if (key == null) {
                return Optional.of(new AuditBreak(Kind.SIGNATURE_INVALID, e.seq(), "its signed head names key " + head.keyId()
                        + ", which the store does not hold"));
            }
            try {
                head.verify(key);
            } catch (ProblemException ex) {
                return Optional.of(new AuditBreak(Kind.SIGNATURE_INVALID, e.seq(), "its signed head does not verify with key "
                        + head.keyId() + ": " + ex.problem().detail()));
            }
            if (head.seq() != e.seq()) {
                return Optional.of(new AuditBreak(Kind.SIGNATURE_INVALID, e.seq(), "the head stored here was signed for entry "
                        + head.seq() + ": signed heads were moved"));
            }
            if (!head.hash().equals(e.hash())) {
                return Optional.of(new AuditBreak(Kind.SIGNATURE_INVALID, e.seq(), "the head " + head.keyId() + " signed at "
                        + head.time() + " does not match entries " + (signed + 1) + "-" + e.seq()
                        + ": they were edited and the hash chain re-computed"));
            }
            signed = e.seq();
            return Optional.empty();
        }

        private Optional<AuditBreak> end(long last, long latestHead) {
            // only the newest head read before the entries: one committed since may name entries this walk did not read
            if (latestHead > last) {
                return Optional.of(new AuditBreak(Kind.TRUNCATED, last + 1, "a signed head covers entry " + latestHead
                        + " but the log ends at seq " + last + ": entries " + (last + 1) + "-" + latestHead + " were deleted"));
            }
            if (checkpoint.isPresent()) {
                SignedHead cp = checkpoint.get().head();
                if (cp.seq() > last) {
                    return Optional.of(new AuditBreak(Kind.TRUNCATED, last + 1, "the checkpoint of " + cp.time() + " covers entry "
                            + cp.seq() + " but the log ends at seq " + last + ": entries " + (last + 1) + "-" + cp.seq() + " were deleted"));
                }
                if (!hashAtCheckpoint.orElse("").equals(cp.hash())) {
                    return Optional.of(new AuditBreak(Kind.EDITED, cp.seq(), "its hash differs from the checkpoint of " + cp.time()
                            + ": entries up to " + cp.seq() + " were changed after the checkpoint was taken"));
                }
            }
            if (signed < last) {
                return Optional.of(new AuditBreak(Kind.UNSIGNED, signed + 1, "entries " + (signed + 1) + "-" + last
                        + " are not covered by a signed head: written outside the issuer, or their heads were deleted"
                        + " (a store from before signed heads gets its first one when the issuer next starts)"));
            }
            return Optional.empty();
        }

        private StoredHead peekHead() {
            if (heads.isEmpty() && !headsDone) {
                List<StoredHead> page = trail.auditHeads(headsAfter, PAGE);
                if (page.isEmpty()) {
                    headsDone = true;
                } else {
                    heads.addAll(page);
                    headsAfter = page.get(page.size() - 1).seq();
                }
            }
            return heads.peek();
        }
    }
}
