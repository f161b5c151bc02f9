package dev.tabard.issuer.audit;

import dev.tabard.audit.AuditBreak;
import dev.tabard.audit.AuditCheckpoint;
import dev.tabard.audit.AuditEntry;
import dev.tabard.audit.AuditLog;
import dev.tabard.audit.AuditTrail.StoredHead;
import dev.tabard.audit.AuditTrail;
import dev.tabard.audit.SignedHead;
import dev.tabard.audit.TrailKey;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.VerificationKey;
import dev.tabard.issuer.store.OwnerOnlyFiles;
import dev.tabard.problem.ProblemException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The issuer's copy of its newest signed audit head, kept in the data directory next to {@code issuer.db} but
 * outside it: {@value #FILE}, the same JSON as {@code tabard audit checkpoint} prints.
 *
 * <p>Someone who can write {@code issuer.db}, but not the directory, can delete every signed head and re-compute
 * the chain after an edit (the store then looks like one from before signing existed), or delete the newest entries
 * together with their heads. Neither changes this file, so a store that no longer holds the anchored head, or holds
 * no signed head at all, is refused at start ({@link #requireHeldBy}) and reported by {@link AuditLog#verify}.
 *
 * <p>Writes are atomic: a temporary file, owner-only, forced to disk, then renamed over the anchor, so a crash leaves
 * the old anchor or the new one, never a torn one.
 */
public final class AuditAnchor {

    /** The anchor's file name in the data directory. */
    public static final String FILE = "audit-anchor.json";
    /** How messages name the anchor. */
    public static final String NAME = "the audit anchor " + FILE;
    private static final String TEMPORARY = "." + FILE + ".tmp";

    private AuditAnchor() {
    }

    /** {@code head}, read from this anchor, as {@link AuditLog#verify(AuditTrail, Optional, Optional)} takes it. */
    public static AuditLog.Anchor named(AuditCheckpoint head) {
        return new AuditLog.Anchor(NAME, head);
    }

    /** The anchor file in {@code dataDir}. */
    public static Path file(Path dataDir) {
        return dataDir.resolve(FILE);
    }

    /**
     * The anchor in {@code dataDir}, or empty when the issuer has not written one yet.
     *
     * @throws IllegalArgumentException when the file exists but cannot be read or is not a checkpoint: it was
     *     altered, and the message says what to check
     */
    public static Optional<AuditCheckpoint> read(Path dataDir) {
        Path file = file(dataDir);
        byte[] bytes;
        try {
            if (Files.size(file) > AuditCheckpoint.MAX_BYTES) {
                throw new IllegalArgumentException(NAME + " in " + dataDir + " is larger than " + AuditCheckpoint.MAX_BYTES
                        + " bytes: it was altered; check the data directory and run 'tabard audit verify --data " + dataDir + "'");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + " (" + e.getClass().getSimpleName()
                    + "); give the issuer's user read access to its data directory");
        }
        try {
            return Optional.of(AuditCheckpoint.parse(bytes));
        } catch (ProblemException e) {
            throw new IllegalArgumentException(NAME + " in " + dataDir + " is malformed (" + e.problem().detail()
                    + "): it was altered; check the data directory and run 'tabard audit verify --data " + dataDir + "'");
        }
    }

    /** Replaces the anchor in {@code dataDir} with {@code head} atomically; the file is owner-only. */
    public static void write(Path dataDir, AuditCheckpoint head) throws IOException {
        Objects.requireNonNull(head, "head");
        Path tmp = dataDir.resolve(TEMPORARY);
        OwnerOnlyFiles.createOrRestrict(tmp);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap((JsonCodec.writeString(head.toJson()) + "\n").getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        Files.move(tmp, file(dataDir), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (dataDir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            // the rename itself reaches the disk only when the directory is forced
            try (FileChannel dir = FileChannel.open(dataDir, StandardOpenOption.READ)) {
                dir.force(true);
            }
        }
    }

    /**
     * The newest signed head in {@code trail} as a checkpoint, after checking its signature with the stored key it
     * names; empty when nothing is signed yet.
     *
     * @throws IllegalStateException when the newest head is unreadable or does not verify
     */
    public static Optional<AuditCheckpoint> newestHead(AuditTrail trail) {
        Optional<StoredHead> stored = trail.latestAuditHead();
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        try {
            SignedHead head = SignedHead.parse(stored.get().jws());
            VerificationKey key = trail.auditKeys().stream().filter(k -> k.id().equals(head.keyId())).map(TrailKey::publicKey)
                    .findFirst().orElseThrow(() -> new IllegalStateException("the newest audit head at seq " + head.seq()
                            + " names key " + head.keyId() + ", which the store does not hold"));
            head.verify(key);
            return Optional.of(new AuditCheckpoint(head, key));
        } catch (ProblemException e) {
            throw new IllegalStateException("the newest audit head at seq " + stored.get().seq() + " does not verify: "
                    + e.problem().detail());
        }
    }

    /**
     * Refuses a store that no longer holds the anchored head: checked when the issuer starts, before it signs
     * anything, so it never signs over an altered log. Reads one entry and one head, whatever the log's length.
     *
     * @throws IllegalStateException saying what was found and how to inspect the log
     */
    public static void requireHeldBy(Path dataDir, AuditTrail trail) {
        Optional<AuditCheckpoint> anchor;
        try {
            anchor = read(dataDir);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("refusing to start: " + e.getMessage());
        }
        if (anchor.isEmpty()) {
            return;
        }
        Optional<AuditBreak> found = check(anchor.get(), trail);
        if (found.isPresent()) {
            throw new IllegalStateException("refusing to start: the audit log in issuer.db was altered: " + found.get()
                    + ". Inspect it with 'tabard audit verify --data " + dataDir + "' and restore issuer.db from a backup"
                    + " that holds entry " + anchor.get().head().seq() + "; the issuer never signs over an altered log");
        }
    }

    /** What makes {@code trail} not hold {@code anchor}: a forged anchor, a missing or changed entry, or no signed head. */
    static Optional<AuditBreak> check(AuditCheckpoint anchor, AuditTrail trail) {
        Optional<AuditBreak> forged = AuditLog.checkReference(NAME, anchor, trail);
        if (forged.isPresent()) {
            return forged;
        }
        SignedHead head = anchor.head();
        List<AuditEntry> at = trail.audit(head.seq() - 1, 1);
        if (at.isEmpty()) {
            return Optional.of(new AuditBreak(AuditBreak.Kind.TRUNCATED, head.seq(), "it is missing, but " + NAME + " of "
                    + head.time() + " covers it: the newest entries were deleted"));
        }
        if (at.get(0).seq() != head.seq()) {
            return Optional.of(new AuditBreak(AuditBreak.Kind.DELETED, head.seq(), "it is missing, but " + NAME + " of "
                    + head.time() + " covers it: entries were deleted"));
        }
        if (!at.get(0).hash().equals(head.hash())) {
            return Optional.of(new AuditBreak(AuditBreak.Kind.EDITED, head.seq(), "its hash differs from " + NAME + " of "
                    + head.time() + ": entries up to " + head.seq() + " were changed and the chain re-computed"));
        }
        if (trail.latestAuditHead().isEmpty()) {
            return Optional.of(new AuditBreak(AuditBreak.Kind.UNSIGNED, 1, "the store holds no signed head, but " + NAME
                    + " shows it was signed up to entry " + head.seq() + ": the signed heads were deleted"));
        }
        return Optional.empty();
    }
}
