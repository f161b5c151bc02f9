package dev.tabard.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.audit.AuditBreak.Kind;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.VerificationKey;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An {@link AuditFile}'s lines as a trail, parsed as whoever could write the file left them: a line that is no
 * record, or records out of the order a writer puts them in, become {@link #damage()}, never an exception that stops
 * the check. Reading can continue where it stopped, so a live log is read once however often it is checked.
 *
 * <p>Only whole lines count: bytes after the last newline were never acknowledged and are left for
 * {@link #tornBytes()}.
 */
final class AuditLines implements AuditTrail {

    private static final int CHUNK = 64 * 1024;

    private final NavigableMap<Long, AuditEntry> entries = new TreeMap<>();
    private final NavigableMap<Long, StoredHead> heads = new TreeMap<>();
    private final Map<String, VerificationKey> keys = new LinkedHashMap<>();
    private Optional<AuditBreak> damage = Optional.empty();
    /** Bytes read so far, always at the end of a line. */
    private long position;
    private long line;
    private long tornBytes;
    /** The highest entry seq, and the hash it has, in file order. */
    private long lastSeq;
    private String lastHash = AuditEntry.GENESIS;
    private long lastHeadSeq;

    /** Parses the whole lines between where the last call stopped and {@code end}. */
    synchronized void readTo(FileChannel channel, long end) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
        ByteArrayOutputStream current = new ByteArrayOutputStream();
        boolean tooLong = false;
        long lineStart = position;
        long at = position;
        while (at < end) {
            chunk.clear();
            chunk.limit((int) Math.min(CHUNK, end - at));
            int n = channel.read(chunk, at);
            if (n < 0) {
                break;
            }
            byte[] bytes = chunk.array();
            int from = 0;
            for (int i = 0; i < n; i++) {
                if (bytes[i] != '\n') {
                    continue;
                }
                if (!tooLong) {
                    current.write(bytes, from, i - from);
                    tooLong = current.size() > AuditFile.MAX_LINE_BYTES;
                }
                line++;
                record(tooLong ? new byte[0] : current.toByteArray(), tooLong);
                current.reset();
                tooLong = false;
                from = i + 1;
                lineStart = at + i + 1;
            }
            if (!tooLong) {
                current.write(bytes, from, n - from);
                if (current.size() > AuditFile.MAX_LINE_BYTES) {
                    tooLong = true;
                    current.reset();
                }
            }
            at += n;
        }
        position = lineStart;
        tornBytes = at - lineStart;
    }

    /** Bytes after the last newline: a line the writer had not finished. */
    synchronized long tornBytes() {
        return tornBytes;
    }

    /** Where the whole lines end. */
    synchronized long position() {
        return position;
    }

    synchronized long lastSeq() {
        return lastSeq;
    }

    synchronized String lastHash() {
        return lastHash;
    }

    synchronized Optional<VerificationKey> key(String id) {
        return Optional.ofNullable(keys.get(id));
    }

    private void record(byte[] bytes, boolean tooLong) {
        if (tooLong) {
            damaged(Kind.EDITED, lastSeq + 1, "line " + line + " is longer than " + AuditFile.MAX_LINE_BYTES
                    + " bytes, which no writer writes: the file was edited");
            return;
        }
        ObjectNode o;
        try {
            o = JsonCodec.parseObject(bytes);
        } catch (ProblemException e) {
            damaged(Kind.EDITED, lastSeq + 1, "line " + line + " is not an audit record (" + e.problem().detail()
                    + "): the file was edited");
            return;
        }
        if (o.size() != 1) {
            damaged(Kind.EDITED, lastSeq + 1, "line " + line + " is not one record of entry, head or key: the file was edited");
            return;
        }
        try {
            if (o.has("entry")) {
                entry(o.get("entry"));
            } else if (o.has("head")) {
                head(o.get("head"));
            } else if (o.has("key")) {
                key(o.get("key"));
            } else {
                throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "its member is none of entry, head or key");
            }
        } catch (ProblemException e) {
            damaged(Kind.EDITED, lastSeq + 1, "line " + line + " is not a valid record (" + e.problem().detail()
                    + "): the file was edited");
        }
    }

    private void entry(JsonNode node) {
        ObjectNode e = object(node, "entry");
        long seq = SignedHead.positiveLong(e, "seq");
        JsonNode details = e.get("details");
        if (details == null) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "'details' is missing");
        }
        AuditEntry entry = new AuditEntry(seq, time(SignedHead.text(e, "at")), SignedHead.text(e, "actor"),
                SignedHead.text(e, "action"), SignedHead.text(e, "subject"), JsonCodec.writeString(details),
                SignedHead.text(e, "previousHash"), SignedHead.text(e, "hash"));
        if (entries.putIfAbsent(seq, entry) != null) {
            damaged(Kind.REORDERED, seq, "it appears again on line " + line + ": a line was copied or replaced");
            return;
        }
        if (seq < lastSeq) {
            damaged(Kind.REORDERED, seq, "it is on line " + line + ", after entry " + lastSeq + ": lines were moved");
            return;
        }
        lastSeq = seq;
        lastHash = entry.hash();
    }

    private void head(JsonNode node) {
        if (node == null || !node.isTextual()) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "'head' must be a string");
        }
        String jws = node.asText();
        long seq;
        try {
            seq = SignedHead.parse(jws).seq();
        } catch (ProblemException notAHead) {
            // stored where the writer would have put it: the check reports it as an invalid head there
            seq = Math.max(lastSeq, 1);
            if (seq <= lastHeadSeq) {
                throw notAHead;
            }
        }
        if (seq <= lastHeadSeq) {
            damaged(Kind.REORDERED, seq, "line " + line + " holds its head after the head for entry " + lastHeadSeq
                    + ": lines were moved or copied");
            return;
        }
        heads.put(seq, new StoredHead(seq, jws));
        lastHeadSeq = seq;
    }

    private void key(JsonNode node) {
        ObjectNode k = object(node, "key");
        String id = SignedHead.text(k, "id");
        VerificationKey key;
        try {
            key = VerificationKey.fromMultibase(SignedHead.text(k, "publicKeyMultibase"));
        } catch (ProblemException e) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "'publicKeyMultibase' is not a public key: "
                    + e.problem().detail());
        }
        VerificationKey before = keys.putIfAbsent(id, key);
        if (before != null && !before.equals(key)) {
            damaged(Kind.SIGNATURE_INVALID, lastSeq + 1, "line " + line + " records key " + id + " again as "
                    + key.toMultibase() + ", but it was recorded as " + before.toMultibase() + ": the key lines were altered");
        }
    }

    private static ObjectNode object(JsonNode node, String name) {
        if (node == null || !node.isObject()) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "'" + name + "' must be an object");
        }
        return (ObjectNode) node;
    }

    /** A time that is not one reads as the epoch, which fails the entry's hash check: reported as edited. */
    private static Instant time(String at) {
        try {
            return Instant.parse(at);
        } catch (DateTimeException e) {
            return Instant.EPOCH;
        }
    }

    /** Keeps the damage the walk reaches first. */
    private void damaged(Kind kind, long seq, String detail) {
        if (damage.isEmpty() || seq < damage.get().seq()) {
            damage = Optional.of(new AuditBreak(kind, seq, detail));
        }
    }

    @Override
    public synchronized List<AuditEntry> audit(long afterSeq, int limit) {
        return first(entries.tailMap(afterSeq, false), limit);
    }

    @Override
    public synchronized List<StoredHead> auditHeads(long afterSeq, int limit) {
        return first(heads.tailMap(afterSeq, false), limit);
    }

    private static <T> List<T> first(NavigableMap<Long, T> from, int limit) {
        List<T> out = new ArrayList<>(Math.min(limit, from.size()));
        for (T t : from.values()) {
            if (out.size() == limit) {
                break;
            }
            out.add(t);
        }
        return out;
    }

    @Override
    public synchronized Optional<StoredHead> latestAuditHead() {
        return Optional.ofNullable(heads.lastEntry()).map(Map.Entry::getValue);
    }

    @Override
    public synchronized List<TrailKey> auditKeys() {
        return keys.entrySet().stream().map(k -> new TrailKey(k.getKey(), k.getValue())).toList();
    }

    @Override
    public synchronized Optional<AuditBreak> damage() {
        return damage;
    }

    @Override
    public String unsignedCause() {
        return "appended after the newest signed head by a writer that stopped before signing them (it signs them when it"
                + " next opens the log), or written outside the writer, or their heads were deleted";
    }
}
