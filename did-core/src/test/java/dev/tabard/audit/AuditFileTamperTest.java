package dev.tabard.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.audit.AuditBreak.Kind;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.key.KeyDids;
import dev.tabard.testing.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file log written by two keys in turn (heads every 5 entries), then altered line by line as someone who can write
 * the file would: each alteration is reported as its own kind of break at the entry where it shows.
 */
class AuditFileTamperTest {

    private static final int ENTRIES = 40;

    private final KeyPair first = KeyPair.generate(KeyType.ED25519, new SecureRandom());
    private final KeyPair second = KeyPair.generate(KeyType.ED25519, new SecureRandom());
    private final ManualClock clock = new ManualClock();
    /** Heads only where the test signs them (every fifth entry), so their lines are where the cases expect them. */
    private final HeadPolicy everyFive = new HeadPolicy(Integer.MAX_VALUE, HeadPolicy.MAX_EVERY);

    @TempDir
    Path dir;
    private Path file;

    @BeforeEach
    void write() {
        file = dir.resolve("log.jsonl");
        try (AuditFile log = AuditFile.open(file, new AuditKey("key-1", first), clock, everyFive)) {
            appendTo(log, 1, ENTRIES / 2);
        }
        try (AuditFile log = AuditFile.open(file, new AuditKey("key-2", second), clock, everyFive)) {
            appendTo(log, ENTRIES / 2 + 1, ENTRIES);
        }
        assertEquals("intact: " + ENTRIES + " entries, signed head at seq " + ENTRIES, verify(Optional.empty()).message());
    }

    private void appendTo(AuditFile log, int from, int to) {
        for (int i = from; i <= to; i++) {
            log.append("agent-" + i, "call.accept", "GET /items/" + i, "{\"status\":200}");
            if (i % 5 == 0) {
                log.signHead();
            }
            clock.advance(Duration.ofSeconds(1));
        }
    }

    private AuditVerdict verify(Optional<AuditCheckpoint> checkpoint) {
        return AuditLog.verify(AuditFile.read(file), checkpoint);
    }

    private List<String> lines() throws Exception {
        return new ArrayList<>(Files.readAllLines(file));
    }

    private void write(List<String> lines) throws Exception {
        Files.write(file, lines);
    }

    private static int lineOf(List<String> lines, String member, String field, String value) {
        for (int i = 0; i < lines.size(); i++) {
            JsonNode r = JsonCodec.parse(lines.get(i));
            if (!r.has(member)) {
                continue;
            }
            String v = member.equals("head") ? Long.toString(SignedHead.parse(r.get("head").asText()).seq()) : r.get(member).get(field).asText();
            if (v.equals(value)) {
                return i;
            }
        }
        throw new AssertionError("no " + member + " with " + field + " " + value);
    }

    private static int entryLine(List<String> lines, long seq) {
        return lineOf(lines, "entry", "seq", Long.toString(seq));
    }

    private static int headLine(List<String> lines, long seq) {
        return lineOf(lines, "head", "seq", Long.toString(seq));
    }

    private static void assertBreak(AuditVerdict v, Kind kind, long seq) {
        AuditBreak b = v.broken().orElseThrow(() -> new AssertionError("intact: " + v.message()));
        assertEquals(kind, b.kind(), v.message());
        assertEquals(seq, b.seq(), v.message());
    }

    @Test
    void editedEntry_isEdited() throws Exception {
        List<String> lines = lines();
        int at = entryLine(lines, 7);
        lines.set(at, lines.get(at).replace("\"agent-7\"", "\"mallory\""));
        write(lines);
        assertEquals("BROKEN: entry 7 edited: its content no longer gives its stored hash", verify(Optional.empty()).message());
    }

    @Test
    void deletedEntryLine_isDeleted() throws Exception {
        List<String> lines = lines();
        lines.remove(entryLine(lines, 12));
        write(lines);
        assertEquals("BROKEN: entry 12 deleted: it is missing: entry 13 follows entry 11", verify(Optional.empty()).message());
    }

    @Test
    void swappedEntryLines_areReordered() throws Exception {
        List<String> lines = lines();
        int a = entryLine(lines, 17);
        assertEquals(a + 1, entryLine(lines, 18));
        Collections.swap(lines, a, a + 1);
        write(lines);
        AuditVerdict v = verify(Optional.empty());
        assertBreak(v, Kind.REORDERED, 17);
        assertTrue(v.message().endsWith("it is on line " + (a + 2) + ", after entry 18: lines were moved"), v.message());
    }

    @Test
    void copiedEntryLine_isReordered() throws Exception {
        List<String> lines = lines();
        lines.add(entryLine(lines, 9) + 1, lines.get(entryLine(lines, 8)));
        write(lines);
        AuditVerdict v = verify(Optional.empty());
        assertBreak(v, Kind.REORDERED, 8);
        assertTrue(v.message().contains("it appears again on line"), v.message());
    }

    @Test
    void lineThatIsNoRecord_isEditedWhereItStands() throws Exception {
        List<String> lines = lines();
        lines.add(entryLine(lines, 3) + 1, "{\"note\":\"hello\"}");
        write(lines);
        AuditVerdict v = verify(Optional.empty());
        assertBreak(v, Kind.EDITED, 4);
        assertTrue(v.message().contains("line " + (entryLine(lines, 3) + 2) + " is not a valid record"), v.message());
    }

    @Test
    void truncatedTail_isConsistentAloneAndCaughtByACheckpoint() throws Exception {
        AuditTrail whole = AuditFile.read(file);
        SignedHead newest = SignedHead.parse(whole.latestAuditHead().orElseThrow().jws());
        AuditCheckpoint checkpoint = new AuditCheckpoint(newest, second.publicKey());
        List<String> lines = lines();
        write(lines.subList(0, headLine(lines, 30) + 1));
        assertEquals("intact: 30 entries, signed head at seq 30", verify(Optional.empty()).message(), "cut at a head, it is consistent");
        AuditVerdict v = verify(Optional.of(checkpoint));
        assertBreak(v, Kind.TRUNCATED, 31);
        assertTrue(v.message().endsWith("covers entry 40 but the log ends at seq 30: entries 31-40 were deleted"), v.message());
    }

    @Test
    void forgedHead_isSignatureInvalid() throws Exception {
        List<String> lines = lines();
        int at = headLine(lines, 10);
        SignedHead real = SignedHead.parse(JsonCodec.parse(lines.get(at)).get("head").asText());
        KeyPair mallory = KeyPair.generate(KeyType.ED25519, new SecureRandom());
        SignedHead forged = SignedHead.sign(10, real.hash(), real.time(), new AuditKey("key-1", mallory));
        lines.set(at, JsonCodec.writeString(JsonCodec.objectNode().put("head", forged.jws())));
        write(lines);
        AuditVerdict v = verify(Optional.empty());
        assertBreak(v, Kind.SIGNATURE_INVALID, 10);
        assertTrue(v.message().contains("its signed head does not verify with key key-1"), v.message());
    }

    @Test
    void swappedKeyLines_areSignatureInvalidAtTheFirstHead() throws Exception {
        List<String> lines = lines();
        int one = lineOf(lines, "key", "id", "key-1");
        int two = lineOf(lines, "key", "id", "key-2");
        ObjectNode k1 = (ObjectNode) JsonCodec.parse(lines.get(one));
        ObjectNode k2 = (ObjectNode) JsonCodec.parse(lines.get(two));
        JsonNode pk1 = k1.get("key").get("publicKeyMultibase");
        ((ObjectNode) k1.get("key")).set("publicKeyMultibase", k2.get("key").get("publicKeyMultibase"));
        ((ObjectNode) k2.get("key")).set("publicKeyMultibase", pk1);
        lines.set(one, JsonCodec.writeString(k1));
        lines.set(two, JsonCodec.writeString(k2));
        write(lines);
        assertBreak(verify(Optional.empty()), Kind.SIGNATURE_INVALID, 5);
    }

    @Test
    void keyRecordedTwiceWithAnotherKey_isSignatureInvalid() throws Exception {
        List<String> lines = lines();
        ObjectNode again = (ObjectNode) JsonCodec.parse(lines.get(lineOf(lines, "key", "id", "key-1")));
        ((ObjectNode) again.get("key")).put("publicKeyMultibase", second.publicKey().toMultibase());
        lines.add(JsonCodec.writeString(again));
        write(lines);
        AuditVerdict v = verify(Optional.empty());
        assertBreak(v, Kind.SIGNATURE_INVALID, ENTRIES + 1);
        assertTrue(v.message().contains("records key key-1 again"), v.message());
    }

    /**
     * A did:key id is its own public key: replacing the recorded key and re-signing every head with it leaves heads
     * that verify with the recorded key, and still shows.
     */
    @Test
    void didKeyIdWithAnotherKeyRecorded_andEveryHeadResigned_isSignatureInvalid() throws Exception {
        Path didLog = dir.resolve("did-key.jsonl");
        String kid = KeyDids.methodId(first.publicKey()).toString();
        try (AuditFile log = AuditFile.open(didLog, new AuditKey(kid, first), clock, everyFive)) {
            appendTo(log, 1, 12);
        }
        file = didLog;
        assertTrue(verify(Optional.empty()).intact());
        KeyPair mallory = KeyPair.generate(KeyType.ED25519, new SecureRandom());
        List<String> lines = lines();
        for (int i = 0; i < lines.size(); i++) {
            JsonNode r = JsonCodec.parse(lines.get(i));
            if (r.has("key")) {
                ((ObjectNode) r.get("key")).put("publicKeyMultibase", mallory.publicKey().toMultibase());
            } else if (r.has("head")) {
                SignedHead h = SignedHead.parse(r.get("head").asText());
                ((ObjectNode) r).put("head", SignedHead.sign(h.seq(), h.hash(), h.time(), new AuditKey(kid, mallory)).jws());
            }
            lines.set(i, JsonCodec.writeString(r));
        }
        write(lines);
        AuditVerdict v = verify(Optional.empty());
        assertBreak(v, Kind.SIGNATURE_INVALID, 5);
        assertTrue(v.message().contains("not the key that DID names"), v.message());
        // nor does a checkpoint the same forger signs under that id
        SignedHead newest = SignedHead.parse(AuditFile.read(file).latestAuditHead().orElseThrow().jws());
        AuditVerdict forged = verify(Optional.of(new AuditCheckpoint(newest, mallory.publicKey())));
        assertBreak(forged, Kind.SIGNATURE_INVALID, newest.seq());
        assertTrue(forged.message().contains("not by the key " + kid + " names"), forged.message());
    }

    @Test
    void overlongLine_isEditedAndTheLinesAfterItStillRead() throws Exception {
        List<String> lines = lines();
        int at = entryLine(lines, 3) + 1;
        lines.add(at, "{\"entry\":\"" + "x".repeat(AuditFile.MAX_LINE_BYTES) + "\"}");
        write(lines);
        AuditVerdict v = verify(Optional.empty());
        assertBreak(v, Kind.EDITED, 4);
        assertTrue(v.message().endsWith("line " + (at + 1) + " is longer than " + AuditFile.MAX_LINE_BYTES
                + " bytes, which no writer writes: the file was edited"), v.message());
        assertEquals(ENTRIES, AuditFile.read(file).audit(0, 100).size(), "every entry after it is read");
    }
}
