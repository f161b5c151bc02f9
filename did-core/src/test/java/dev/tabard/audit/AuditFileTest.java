package dev.tabard.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.key.KeyDids;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.testing.LogCapture;
import dev.tabard.testing.ManualClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing, reopening and reading a file log: what comes back is what was appended, signed, and the chain goes on. */
class AuditFileTest {

    private final KeyPair keyPair = KeyPair.generate(KeyType.ED25519, new SecureRandom());
    private final AuditKey key = new AuditKey("key-1", keyPair);
    private final ManualClock clock = new ManualClock();

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("decisions.jsonl");
    }

    private AuditFile open(HeadPolicy policy) {
        return AuditFile.open(file(), key, clock, policy);
    }

    private AuditVerdict verifyFile() {
        return AuditLog.verify(AuditFile.read(file()), Optional.empty());
    }

    private List<JsonNode> records() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file())) {
            out.add(JsonCodec.parse(line));
        }
        return out;
    }

    @Test
    void appendCloseRead_givesBackEveryEntrySignedAndIntact() throws Exception {
        List<AuditEntry> appended = new ArrayList<>();
        // heads by count only: the timer's real-time second would sign wherever a slow machine happens to be
        try (AuditFile log = open(new HeadPolicy(1000, HeadPolicy.MAX_EVERY))) {
            for (int i = 1; i <= 2_500; i++) {
                appended.add(log.append("did:key:z6Mkagent" + (i % 7), i % 3 == 0 ? "call.refuse" : "call.accept", "POST /orders/" + i,
                        "{\"status\": " + (i % 3 == 0 ? 403 : 200) + ", \"n\": [1, 2.5, \"x\"]}"));
                clock.advance(Duration.ofMillis(1));
            }
        }
        assertEquals(2_500, appended.get(2_499).seq());
        AuditTrail read = AuditFile.read(file());
        assertEquals(appended, read.audit(0, 10_000), "entries read back equal the ones append returned");
        AuditVerdict v = AuditLog.verify(read, Optional.empty());
        assertEquals("intact: 2500 entries, signed head at seq 2500", v.message());
        assertEquals(List.of(new TrailKey("key-1", keyPair.publicKey())), read.auditKeys());

        List<JsonNode> records = records();
        assertTrue(records.get(0).has("entry"), "the first line is the first entry");
        int firstKey = indexOf(records, "key");
        int firstHead = indexOf(records, "head");
        assertTrue(firstKey >= 0 && firstKey < firstHead, "the key line comes before the first head it signs");
        assertEquals(1, records.stream().filter(r -> r.has("key")).count(), "the key is recorded once");
        // due at the 1000th entry, signed on the heads thread at whatever entry is newest when it runs
        long firstSigned = SignedHead.parse(records.get(firstHead).get("head").asText()).seq();
        assertTrue(firstSigned >= 1000 && firstSigned <= 2_500, "no head before 1000 entries: " + firstSigned);
        assertEquals(OWNER_ONLY, Files.getPosixFilePermissions(file()));
    }

    private static final Set<java.nio.file.attribute.PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private static int indexOf(List<JsonNode> records, String member) {
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).has(member)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void reopen_continuesTheChainAndRecordsANewKeyBeforeItsFirstHead() throws Exception {
        AuditEntry last;
        try (AuditFile log = open(HeadPolicy.DEFAULT)) {
            log.append("a", "call.accept", "s", "{}");
            last = log.append("a", "call.accept", "s", "{}");
        }
        KeyPair second = KeyPair.generate(KeyType.P256, new SecureRandom());
        AuditEntry next;
        try (AuditFile log = AuditFile.open(file(), new AuditKey("key-2", second), clock, HeadPolicy.DEFAULT)) {
            next = log.append("b", "call.refuse", "s", "{\"why\":\"rate\"}");
            assertTrue(AuditLog.verify(log, Optional.empty()).intact(), "the open writer is a trail too");
        }
        assertEquals(3, next.seq());
        assertEquals(last.hash(), next.previousHash());
        AuditTrail read = AuditFile.read(file());
        assertEquals(List.of("key-1", "key-2"), read.auditKeys().stream().map(TrailKey::id).toList());
        assertEquals("intact: 3 entries, signed head at seq 3", AuditLog.verify(read, Optional.empty()).message());
        assertTrue(SignedHead.parse(read.latestAuditHead().orElseThrow().jws()).keyId().equals("key-2"));
    }

    @Test
    void open_sameKeyIdWithAnotherKey_isRefused() {
        try (AuditFile log = open(HeadPolicy.DEFAULT)) {
            log.append("a", "x", "s", "{}");
        }
        AuditKey impostor = new AuditKey("key-1", KeyPair.generate(KeyType.ED25519, new SecureRandom()));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> AuditFile.open(file(), impostor, clock, HeadPolicy.DEFAULT));
        assertTrue(e.getMessage().contains("records key key-1 as " + keyPair.publicKey().toMultibase()), e.getMessage());
    }

    @Test
    void open_didKeyIdOfAnotherKey_isRefusedBeforeTheFileIsTouched() {
        String otherDid = KeyDids.methodId(KeyPair.generate(KeyType.ED25519, new SecureRandom()).publicKey()).toString();
        assertThrows(IllegalArgumentException.class, () -> AuditFile.open(file(), new AuditKey(otherDid, keyPair), clock, HeadPolicy.DEFAULT));
        assertFalse(Files.exists(file()));
    }

    @Test
    void open_whileAnotherWriterHoldsTheFile_isRefusedNamingTheFile() {
        try (AuditFile log = open(HeadPolicy.DEFAULT)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> open(HeadPolicy.DEFAULT));
            assertTrue(e.getMessage().contains(file().toString()) && e.getMessage().contains("another writer"), e.getMessage());
            log.append("a", "x", "s", "{}");
        }
        try (AuditFile again = open(HeadPolicy.DEFAULT)) {
            assertEquals(2, again.append("a", "x", "s", "{}").seq(), "close released the lock");
        }
    }

    @Test
    void quietLog_isSignedByTheTimerWithoutAnotherAppend() throws Exception {
        try (AuditFile log = open(new HeadPolicy(1000, Duration.ofMillis(50)))) {
            log.append("a", "x", "s", "{}");
            log.append("a", "x", "s", "{}");
            // the manual clock never moves, so only the timer can sign these
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            AuditVerdict v = verifyFile();
            while (!v.intact() && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                v = verifyFile();
            }
            assertEquals("intact: 2 entries, signed head at seq 2", v.message());
        }
    }

    @Test
    void append_whenTheHeadIntervalHasPassed_hasTheHeadSignedRightAfter() {
        try (AuditFile log = open(new HeadPolicy(1000, HeadPolicy.MAX_EVERY))) {
            log.append("a", "x", "s", "{}");
            assertEquals(Optional.of(1L), log.signHead().map(SignedHead::seq));
            assertEquals(Optional.empty(), log.signHead(), "nothing new to sign");
            log.append("a", "x", "s", "{}");
            assertEquals(1, verifyFile().signedHeadSeq(), "not due yet");
            clock.advance(HeadPolicy.MAX_EVERY);
            log.append("a", "x", "s", "{}");
            // signed on the heads thread, not in the append: wait for it, with a deadline
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (verifyFile().signedHeadSeq() < 3 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            assertEquals(3, verifyFile().signedHeadSeq(), "due by time");
        }
    }

    @Test
    void append_badDetails_failWithTheirProblemTypeAndAppendNothing() throws Exception {
        try (AuditFile log = open(HeadPolicy.DEFAULT)) {
            log.append("a", "x", "s", "{}");
            assertEquals(ProblemType.PARSING_ERROR, assertThrows(ProblemException.class, () -> log.append("a", "x", "s", "{not json")).type());
            String huge = "{\"x\":\"" + "y".repeat(AuditFile.MAX_LINE_BYTES - 20) + "\"}";
            assertEquals(ProblemType.INPUT_TOO_LARGE, assertThrows(ProblemException.class, () -> log.append("a", "x", "s", huge)).type());
            assertEquals(2, log.append("a", "x", "s", "{}").seq());
        }
        assertEquals("intact: 2 entries, signed head at seq 2", verifyFile().message());
    }

    @Test
    void closed_refusesAppends() {
        AuditFile log = open(HeadPolicy.DEFAULT);
        log.close();
        log.close();
        assertThrows(IllegalStateException.class, () -> log.append("a", "x", "s", "{}"));
        assertThrows(IllegalStateException.class, log::signHead);
    }

    @Test
    void tornLastLine_isNotReadAndIsCutOffWithAWarningWhenReopened() throws Exception {
        try (AuditFile log = open(HeadPolicy.DEFAULT)) {
            log.append("a", "x", "s", "{}");
            log.append("a", "x", "s", "{}");
        }
        long whole = Files.size(file());
        Files.writeString(file(), "{\"entry\":{\"seq\":3,\"at\":\"2026-", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        assertEquals("intact: 2 entries, signed head at seq 2", verifyFile().message(), "an unfinished line was never acknowledged");
        try (LogCapture capture = new LogCapture(); AuditFile log = open(HeadPolicy.DEFAULT)) {
            assertEquals(whole, Files.size(file()));
            assertTrue(capture.text().contains("WARN") && capture.text().contains("audit.file.torn"), capture.text());
            assertEquals(3, log.append("a", "x", "s", "{}").seq());
        }
        assertEquals("intact: 3 entries, signed head at seq 3", verifyFile().message());
    }

    @Test
    void open_damagedLog_isRefusedWithTheCommandToInspectIt() throws Exception {
        try (AuditFile log = open(HeadPolicy.DEFAULT)) {
            for (int i = 0; i < 5; i++) {
                log.append("agent", "x", "s", "{}");
            }
        }
        List<String> lines = new ArrayList<>(Files.readAllLines(file()));
        lines.set(2, lines.get(2).replace("\"agent\"", "\"mallory\""));
        Files.write(file(), lines);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> open(HeadPolicy.DEFAULT));
        assertTrue(e.getMessage().contains("entry 3 edited") && e.getMessage().contains("tabard audit verify --log " + file()),
                e.getMessage());
        IllegalStateException again = assertThrows(IllegalStateException.class, () -> open(HeadPolicy.DEFAULT));
        assertTrue(again.getMessage().contains("is damaged"), "the refused open released its lock: " + again.getMessage());
    }

    @Test
    void unsignedTailLeftByAStoppedWriter_isReportedThenSignedByTheNextOpen() throws Exception {
        try (AuditFile log = open(HeadPolicy.DEFAULT)) {
            log.append("a", "x", "s", "{}");
        }
        // what a killed writer leaves: entries after the newest head
        List<String> lines = new ArrayList<>(Files.readAllLines(file()));
        AuditEntry second = AuditEntry.next(2, clock.instant(), "a", "x", "s", "{}",
                AuditFile.read(file()).audit(0, 1).get(0).hash());
        lines.add(JsonCodec.writeString(JsonCodec.objectNode().set("entry", second.toJson())));
        Files.write(file(), lines);
        AuditVerdict before = verifyFile();
        assertEquals(AuditBreak.Kind.UNSIGNED, before.broken().orElseThrow().kind(), before.message());
        assertTrue(before.message().contains("it signs them when it next opens the log"), before.message());
        try (AuditFile log = open(HeadPolicy.DEFAULT)) {
            assertEquals(3, log.append("a", "x", "s", "{}").seq());
        }
        assertEquals("intact: 3 entries, signed head at seq 3", verifyFile().message());
    }

    @Test
    void concurrentAppends_areOrderedAndChained() throws Exception {
        int threads = 8;
        int each = 400;
        try (AuditFile log = open(new HeadPolicy(100, Duration.ofMillis(5)))) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    List<Long> seqs = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        seqs.add(log.append("t" + thread, "x", "s", "{\"i\":" + i + "}").seq());
                    }
                    return seqs;
                }));
            }
            int checks = 0;
            while (!results.stream().allMatch(Future::isDone)) {
                // through the writer: it signs what it acknowledged before it is read
                AuditVerdict live = AuditLog.verify(log, Optional.empty());
                assertTrue(live.intact(), live.message());
                checks++;
            }
            Set<Long> seqs = new HashSet<>();
            for (Future<List<Long>> r : results) {
                List<Long> mine = r.get(60, TimeUnit.SECONDS);
                for (int i = 1; i < mine.size(); i++) {
                    assertTrue(mine.get(i) > mine.get(i - 1), "one thread's entries are in its order");
                }
                seqs.addAll(mine);
            }
            pool.shutdown();
            assertEquals(threads * each, seqs.size());
            assertTrue(checks > 0);
        }
        AuditVerdict v = verifyFile();
        assertEquals("intact: " + threads * each + " entries, signed head at seq " + threads * each, v.message());
        assertFalse(v.broken().isPresent());
    }
}
