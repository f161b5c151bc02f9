package dev.tabard.audit;

import dev.tabard.audit.AuditBreak.Kind;
import dev.tabard.audit.AuditTrail.StoredHead;
import dev.tabard.crypto.VerificationKey;
import dev.tabard.did.Did;
import dev.tabard.did.DidUrl;
import dev.tabard.did.key.KeyDids;
import dev.tabard.problem.ProblemException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks a stored audit log against itself, the signatures over its heads and, when given, a checkpoint the operator
 * kept elsewhere.
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
        return verify(trail, checkpoint, Optional.empty());
    }

    /**
     * A signed head the log's writer keeps outside the log itself (the issuer's anchor file in its data directory),
     * and how messages name it.
     */
    public record Anchor(String name, AuditCheckpoint head) {
        public Anchor {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(head, "head");
        }
    }

    /**
     * As {@link #verify(AuditTrail, Optional)}, also against the writer's {@code anchor}: the log must still hold the
     * anchor's head unchanged, and signed heads, since the anchor shows it was signed.
     */
    public static AuditVerdict verify(AuditTrail trail, Optional<AuditCheckpoint> checkpoint, Optional<Anchor> anchor) {
        Objects.requireNonNull(trail, "trail");
        Objects.requireNonNull(checkpoint, "checkpoint");
        Objects.requireNonNull(anchor, "anchor");
        Map<String, VerificationKey> keys = keys(trail);
        List<Reference> references = new ArrayList<>();
        anchor.ifPresent(a -> references.add(new Reference(a.name(), a.head())));
        checkpoint.ifPresent(c -> references.add(new Reference("the checkpoint", c)));
        for (Reference r : references) {
            Optional<AuditBreak> forged = checkReference(r.name(), r.checkpoint(), keys);
            if (forged.isPresent()) {
                return new AuditVerdict(0, 0, forged);
            }
        }
        // read before the entries: a head committed later than this read names an entry the walk will also see
        long latestHead = trail.latestAuditHead().map(StoredHead::seq).orElse(0L);
        return new Walk(trail, keys, references, anchor).run(latestHead);
    }

    private static Map<String, VerificationKey> keys(AuditTrail trail) {
        Map<String, VerificationKey> keys = new HashMap<>();
        for (TrailKey k : trail.auditKeys()) {
            keys.putIfAbsent(k.id(), k.publicKey());
        }
        return keys;
    }

    /**
     * That {@code reference}, a head kept outside {@code trail}, is signed by the key it carries, and that the trail
     * records that same key under its id; {@code name} says in messages which head it is.
     */
    public static Optional<AuditBreak> checkReference(String name, AuditCheckpoint reference, AuditTrail trail) {
        return checkReference(Objects.requireNonNull(name, "name"), Objects.requireNonNull(reference, "reference"),
                keys(Objects.requireNonNull(trail, "trail")));
    }

    /** A head kept outside the store, and how a message names it. */
    private record Reference(String name, AuditCheckpoint checkpoint) {
    }

    private static Optional<AuditBreak> checkReference(String name, AuditCheckpoint cp, Map<String, VerificationKey> keys) {
        SignedHead head = cp.head();
        try {
            head.verify(cp.publicKey());
        } catch (ProblemException e) {
            return Optional.of(new AuditBreak(Kind.SIGNATURE_INVALID, head.seq(), name + " does not verify ("
                    + e.problem().detail() + "): it was forged or altered; compare it with the copy you exported"));
        }
        if (!keyDidHolds(head.keyId(), cp.publicKey())) {
            return Optional.of(new AuditBreak(Kind.SIGNATURE_INVALID, head.seq(), name + " was signed by "
                    + cp.publicKey().toMultibase() + ", not by the key " + head.keyId() + " names: it was forged"));
        }
        VerificationKey stored = keys.get(head.keyId());
        if (!cp.publicKey().equals(stored)) {
            return Optional.of(new AuditBreak(Kind.SIGNATURE_INVALID, head.seq(), name + " was signed by "
                    + head.keyId() + " = " + cp.publicKey().toMultibase() + ", but the store holds "
                    + (stored == null ? "no such key" : stored.toMultibase())
                    + ": the store's keys or " + name + " were replaced"));
        }
        return Optional.empty();
    }

    /**
     * Whether {@code key} may stand under {@code keyId}: always, except for a {@code did:key} id, which is its own
     * public key, so a log recording another key under it was altered even where its heads verify with that key.
     */
    static boolean keyDidHolds(String keyId, VerificationKey key) {
        Optional<Did> did = DidUrl.tryParse(keyId).map(DidUrl::did);
        if (did.isEmpty() || !did.get().method().equals(KeyDids.METHOD)) {
            return true;
        }
        try {
            return KeyDids.key(did.get()).equals(key);
        } catch (ProblemException notAKey) {
            return false;
        }
    }

    /** One pass over entries and heads, both in sequence order. */
    private static final class Walk {
        private final AuditTrail trail;
        private final Map<String, VerificationKey> keys;
        private final List<Reference> references;
        /** The writer's anchor: this store was signed at least up to its seq. */
        private final Optional<Anchor> anchor;
        private final Optional<AuditBreak> damage;
        /** The hash the log holds at each reference's seq. */
        private final Map<Long, String> hashAtReference = new HashMap<>();
        private final ArrayDeque<StoredHead> heads = new ArrayDeque<>();
        private long headsAfter;
        private boolean headsDone;
        private long signed;

        Walk(AuditTrail trail, Map<String, VerificationKey> keys, List<Reference> references, Optional<Anchor> anchor) {
            this.trail = trail;
            this.keys = keys;
            this.references = references;
            this.anchor = anchor;
            this.damage = trail.damage();
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
            if (damage.isPresent() && damage.get().seq() <= expected) {
                return damage;
            }
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
            for (Reference r : references) {
                if (r.checkpoint().head().seq() == e.seq()) {
                    hashAtReference.put(e.seq(), e.hash());
                }
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
                trail.auditKeys().forEach(k -> keys.putIfAbsent(k.id(), k.publicKey()));
                key = keys.get(head.keyId());
            }
            if (key == null) {
                return Optional.of(new AuditBreak(Kind.SIGNATURE_INVALID, e.seq(), "its signed head names key " + head.keyId()
                        + ", which the store does not hold"));
            }
            if (!keyDidHolds(head.keyId(), key)) {
                return Optional.of(new AuditBreak(Kind.SIGNATURE_INVALID, e.seq(), "its signed head names key " + head.keyId()
                        + ", but the key recorded under that id is " + key.toMultibase() + ", not the key that DID names:"
                        + " the recorded keys were replaced"));
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
            if (damage.isPresent()) {
                return damage;
            }
            // only the newest head read before the entries: one committed since may name entries this walk did not read
            if (latestHead > last) {
                return Optional.of(new AuditBreak(Kind.TRUNCATED, last + 1, "a signed head covers entry " + latestHead
                        + " but the log ends at seq " + last + ": entries " + (last + 1) + "-" + latestHead + " were deleted"));
            }
            for (Reference r : references) {
                SignedHead cp = r.checkpoint().head();
                if (cp.seq() > last) {
                    return Optional.of(new AuditBreak(Kind.TRUNCATED, last + 1, r.name() + " of " + cp.time() + " covers entry "
                            + cp.seq() + " but the log ends at seq " + last + ": entries " + (last + 1) + "-" + cp.seq() + " were deleted"));
                }
                if (!hashAtReference.getOrDefault(cp.seq(), "").equals(cp.hash())) {
                    return Optional.of(new AuditBreak(Kind.EDITED, cp.seq(), "its hash differs from " + r.name() + " of " + cp.time()
                            + ": entries up to " + cp.seq() + " were changed after it was signed"));
                }
            }
            if (signed < last) {
                return Optional.of(new AuditBreak(Kind.UNSIGNED, signed + 1, "entries " + (signed + 1) + "-" + last
                        + " are not covered by a signed head: " + anchor.map(a -> "their signed heads were deleted ("
                                + a.name() + " shows this log was signed up to entry " + a.head().head().seq() + "): the audit log was altered")
                        .orElse(trail.unsignedCause())));
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
