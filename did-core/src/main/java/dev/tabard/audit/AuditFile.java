package dev.tabard.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only audit log in one JSON Lines file, for writers without a database (the agent gate's decision log):
 * the issuer's chain format, checked by the same {@link AuditLog#verify} and {@code tabard audit verify --log FILE}.
 * One record per line: {@code {"entry":{…}}} ({@link AuditEntry#toJson}), {@code {"head":"<jws>"}} ({@link SignedHead})
 * and {@code {"key":{"id":…,"publicKeyMultibase":…}}}, written before the first head that key signs.
 *
 * <p><b>Durability:</b> {@link #append} hands its line to the operating system before it returns, so a killed process
 * loses no acknowledged entry; heads, signed as {@link HeadPolicy} says, are forced to disk. A power loss can lose
 * what was appended since the last head. A crash mid-line leaves a torn last line, cut off at the next {@link #open}.
 *
 * <p><b>Security:</b> entries after the newest head rest on the file's permissions alone (it is created owner-only):
 * a writer that stopped before signing them signs them when it next opens the log, so keep the window short and
 * export checkpoints ({@code tabard audit checkpoint --log FILE}) to keep elsewhere, which also show truncation.
 */
public final class AuditFile implements AuditTrail, AutoCloseable {

    /** The longest line written or read: what {@link JsonCodec} parses at most. */
    public static final int MAX_LINE_BYTES = JsonCodec.MAX_DOCUMENT_BYTES;

    private static final Logger log = LoggerFactory.getLogger(AuditFile.class);
    private static final FileAttribute<?> OWNER_ONLY = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private final Path file;
    /** Holds the OS lock until closed. */
    private final FileChannel channel;
    private final AuditKey key;
    private final Clock clock;
    private final HeadPolicy policy;
    private final ScheduledExecutorService timer;
    /** End of the last whole line written: what the OS holds. */
    private volatile long position;
    private long seq;
    private String hash;
    private long signedSeq;
    private Instant lastHead;
    private boolean keyRecorded;
    private boolean closed;
    private IOException failed;
    /** A head is due and the heads thread was asked to sign it. */
    private boolean headRequested;
    private final Object forcing = new Object();
    /** The file read back for {@link AuditTrail}'s methods, made on first use and read on from where it stopped. */
    private AuditLines lines;

    private AuditFile(Path file, FileChannel channel, AuditKey key, Clock clock, HeadPolicy policy, AuditLines read) {
        this.file = file;
        this.channel = channel;
        this.key = key;
        this.clock = clock;
        this.policy = policy;
        this.position = read.position();
        this.seq = read.lastSeq();
        this.hash = read.lastHash();
        this.signedSeq = read.latestAuditHead().map(StoredHead::seq).orElse(0L);
        this.lastHead = clock.instant();
        this.keyRecorded = read.key(key.keyId()).isPresent();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "audit-file-heads");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Opens {@code file} (creating it, owner-only, when absent) for appending, signing heads with {@code key}. One
     * writer per file: the OS file lock is held until {@link #close}.
     *
     * <p>The whole log is checked first. A torn last line (no trailing newline) was never acknowledged: it is cut off
     * and a warning logged. Entries after the newest head (a writer that stopped before signing them) are signed now.
     *
     * @throws IllegalArgumentException when {@code key}'s id is a {@code did:key} naming another key
     * @throws IllegalStateException when another writer holds the file, when the log is damaged in any other way, or
     *     when it records {@code key}'s id with another public key; the message names the file and what to run
     * @throws UncheckedIOException when the file cannot be opened, read or written
     */
    public static AuditFile open(Path file, AuditKey key, Clock clock, HeadPolicy policy) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(policy, "policy");
        if (!AuditLog.keyDidHolds(key.keyId(), key.signer().publicKey())) {
            throw new IllegalArgumentException("key id " + key.keyId() + " is a did:key of another key than the signer's "
                    + key.signer().publicKey().toMultibase() + ": every head it signed would fail the check");
        }
        FileChannel channel;
        try {
            Set<StandardOpenOption> options = Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            channel = file.getFileSystem().supportedFileAttributeViews().contains("posix")
                    ? FileChannel.open(file, options, OWNER_ONLY) : FileChannel.open(file, options);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the audit log " + file + " for appending", e);
        }
        try {
            lock(channel, file);
            AuditLines read = new AuditLines();
            read.readTo(channel, channel.size());
            if (read.tornBytes() > 0) {
                channel.truncate(read.position());
                channel.force(true);
                log.atWarn().setMessage("cut a torn last line off the audit log: a writer stopped mid-line, before the entry "
                        + "was acknowledged").addKeyValue("event", "audit.file.torn").addKeyValue("file", file)
                        .addKeyValue("bytes", read.tornBytes()).log();
            }
            requireIntact(file, read, key);
            AuditFile f = new AuditFile(file, channel, key, clock, policy, read);
            f.signHead();
            long every = policy.every().toMillis();
            f.timer.scheduleWithFixedDelay(f::signHeadFromTimer, every, every, TimeUnit.MILLISECONDS);
            return f;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot read or repair the audit log " + file, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static void lock(FileChannel channel, Path file) throws IOException {
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            throw new IllegalStateException("the audit log " + file + " is already open for appending by another writer; "
                    + "one writer per file");
        }
    }

    /** Refuses a log this writer must not continue: any break but entries a stopped writer had not signed yet. */
    private static void requireIntact(Path file, AuditLines read, AuditKey key) {
        AuditVerdict verdict = AuditLog.verify(read, Optional.empty());
        Optional<AuditBreak> found = verdict.broken().filter(b -> b.kind() != AuditBreak.Kind.UNSIGNED);
        if (found.isPresent()) {
            throw new IllegalStateException("refusing to append to the audit log " + file + ": it is damaged: " + found.get()
                    + ". Inspect it with 'tabard audit verify --log " + file + "'; a writer never signs over a damaged log");
        }
        read.key(key.keyId()).filter(k -> !k.equals(key.signer().publicKey())).ifPresent(k -> {
            throw new IllegalStateException("refusing to append to the audit log " + file + ": it records key " + key.keyId()
                    + " as " + k.toMultibase() + ", not as the signing key " + key.signer().publicKey().toMultibase()
                    + "; sign with a new key id, or inspect it with 'tabard audit verify --log " + file + "'");
        });
    }

    /**
     * Reads a log for verification: no lock, no writes, so a running writer's file can be checked. Memory grows with
     * the log; lines are bounded by {@link #MAX_LINE_BYTES}. A torn last line is not read.
     *
     * @throws UncheckedIOException when the file cannot be read
     */
    public static AuditTrail read(Path file) {
        Objects.requireNonNull(file, "file");
        AuditLines read = new AuditLines();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            read.readTo(channel, channel.size());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the audit log " + file, e);
        }
        return read;
    }

    /**
     * Appends the next entry; ordered and thread-safe. The line is handed to the OS (not forced to disk) before this
     * returns, so a killed process never loses an acknowledged entry. Signs a head when {@link HeadPolicy} says so.
     *
     * @return the entry with its seq and hash ({@code detailsJson} as the file holds it)
     * @throws ProblemException {@code PARSING_ERROR} when {@code detailsJson} is not JSON; {@code INPUT_TOO_LARGE}
     *     when the entry's line would pass {@link #MAX_LINE_BYTES}
     * @throws IllegalStateException once closed, or after a write failed
     */
    public AuditEntry append(String actor, String action, String subject, String detailsJson) {
        return append(actor, action, subject, JsonCodec.parse(Objects.requireNonNull(detailsJson, "detailsJson")));
    }

    /**
     * As {@link #append(String, String, String, String)}, with the details as a JSON tree: what a writer that builds
     * them as one calls, so they are not written out and parsed back first. The tree must not change afterwards.
     */
    public AuditEntry append(String actor, String action, String subject, com.fasterxml.jackson.databind.JsonNode details) {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(details, "details");
        synchronized (this) {
            requireWritable();
            AuditEntry e = AuditEntry.next(seq + 1, clock.instant(), actor, action, subject, details, hash);
            byte[] line = line(JsonCodec.objectNode().set("entry", e.toJson()));
            if (line.length > MAX_LINE_BYTES) {
                throw new ProblemException(ProblemType.INPUT_TOO_LARGE, "an audit entry is at most " + MAX_LINE_BYTES
                        + " bytes as a line, this one is " + line.length);
            }
            write(line);
            seq = e.seq();
            hash = e.hash();
            if (!headRequested && (seq - signedSeq >= policy.everyEntries() || !e.at().isBefore(lastHead.plus(policy.every())))) {
                // signed and forced on the heads thread: an append never waits for a signature or a disk flush
                headRequested = true;
                try {
                    timer.execute(this::signHeadFromTimer);
                } catch (java.util.concurrent.RejectedExecutionException closing) {
                    headRequested = false; // close() signs the head
                }
            }
            return e;
        }
    }

    /**
     * Signs a head over the newest entry when it is not signed yet, writing the key's line first if the file does not
     * record it, and forces the file to disk.
     *
     * @return the head signed now, or empty when the newest entry was signed already
     * @throws IllegalStateException once closed, or after a write failed
     */
    public Optional<SignedHead> signHead() {
        Optional<SignedHead> head;
        synchronized (this) {
            requireWritable();
            head = writeHeadLocked();
        }
        if (head.isPresent()) {
            force();
        }
        return head;
    }

    /** Forces what was written to disk, outside the append lock: appends go on while the disk flushes. */
    private void force() {
        synchronized (forcing) {
            try {
                channel.force(false);
            } catch (java.nio.channels.ClosedChannelException closedMeanwhile) {
                // close() forced it
            } catch (IOException e) {
                synchronized (this) {
                    failed = e;
                }
                throw new UncheckedIOException("cannot force the audit log " + file + " to disk", e);
            }
        }
    }

    /** Signs and writes a head over the newest entry, when it is not signed yet; the caller forces it. */
    private Optional<SignedHead> writeHeadLocked() {
        headRequested = false;
        if (seq == signedSeq) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        SignedHead head = SignedHead.sign(seq, hash, now, key);
        byte[] headLine = line(JsonCodec.objectNode().put("head", head.jws()));
        byte[] out = headLine;
        if (!keyRecorded) {
            ObjectNode k = JsonCodec.objectNode().put("id", key.keyId())
                    .put("publicKeyMultibase", key.signer().publicKey().toMultibase());
            byte[] keyLine = line(JsonCodec.objectNode().set("key", k));
            out = ByteBuffer.allocate(keyLine.length + headLine.length).put(keyLine).put(headLine).array();
        }
        write(out);
        keyRecorded = true;
        signedSeq = seq;
        lastHead = now;
        return Optional.of(head);
    }

    private void signHeadFromTimer() {
        try {
            Optional<SignedHead> head = Optional.empty();
            synchronized (this) {
                if (!closed && failed == null) {
                    head = writeHeadLocked();
                }
            }
            if (head.isPresent()) {
                force();
            }
        } catch (RuntimeException e) {
            // a scheduled task that throws never runs again; the next append or tick tries again
            log.atError().setMessage("cannot sign the audit log's head").addKeyValue("event", "audit.file.head.failed")
                    .addKeyValue("file", file).addKeyValue("error", e.toString()).log();
        }
    }

    private static byte[] line(ObjectNode record) {
        return (JsonCodec.writeString(record) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private void write(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        long at = position;
        try {
            while (b.hasRemaining()) {
                at += channel.write(b, at);
            }
        } catch (IOException e) {
            // a part of the line may be in the file: nothing more is appended after it
            failed = e;
            throw new UncheckedIOException("cannot append to the audit log " + file, e);
        }
        position = at;
    }

    private void requireWritable() {
        if (closed) {
            throw new IllegalStateException("the audit log " + file + " is closed");
        }
        if (failed != null) {
            throw new IllegalStateException("the audit log " + file + " could not be written (" + failed
                    + "); close it and open it again, which cuts off a torn line");
        }
    }

    /** Signs the head, forces the file to disk and releases the lock. Idempotent. */
    @Override
    public void close() {
        timer.shutdown();
        synchronized (this) {
            if (closed) {
                return;
            }
            try {
                if (failed == null) {
                    writeHeadLocked();
                    channel.force(true);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot force the audit log " + file + " to disk", e);
            } finally {
                closed = true;
                lines = null;
                closeQuietly(channel);
            }
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close(); // releases the lock with it
        } catch (IOException ignored) {
            // nothing was left to write
        }
    }

    /**
     * The file as written so far, read on from where the last call stopped. Its newest entries are signed first, so
     * a check through this writer covers everything it acknowledged, where {@link #read} of a running writer's file
     * can find its newest entries not signed yet.
     */
    private AuditLines lines() {
        AuditLines l;
        long end;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the audit log " + file + " is closed; read it with AuditFile.read");
            }
            if (failed == null) {
                writeHeadLocked();
            }
            if (lines == null) {
                lines = new AuditLines();
            }
            l = lines;
            end = position;
        }
        try {
            l.readTo(channel, end);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the audit log " + file, e);
        }
        return l;
    }

    @Override
    public List<AuditEntry> audit(long afterSeq, int limit) {
        return lines().audit(afterSeq, limit);
    }

    @Override
    public List<StoredHead> auditHeads(long afterSeq, int limit) {
        return lines().auditHeads(afterSeq, limit);
    }

    @Override
    public Optional<StoredHead> latestAuditHead() {
        return lines().latestAuditHead();
    }

    @Override
    public List<TrailKey> auditKeys() {
        return lines().auditKeys();
    }

    @Override
    public Optional<AuditBreak> damage() {
        return lines().damage();
    }

    @Override
    public String unsignedCause() {
        return lines().unsignedCause();
    }

    /** The file this writer appends to. */
    public Path file() {
        return file;
    }

    @Override
    public String toString() {
        return "AuditFile[" + file + "]";
    }
}
