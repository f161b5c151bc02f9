package dev.tabard.cli;

import static dev.tabard.cli.Run.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.audit.AuditEntry;
import dev.tabard.audit.AuditFile;
import dev.tabard.audit.AuditKey;
import dev.tabard.audit.HeadPolicy;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.key.KeyDids;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tabard audit verify --log} and {@code checkpoint --log} on a file log written by {@link AuditFile} (a did:key
 * signing it, heads every 10 entries), altered as someone who can write the file would.
 */
@Timeout(120)
class AuditLogCommandTest {

    private static final int ENTRIES = 50;

    @TempDir
    Path dir;
    private Path log;
    private KeyPair key;

    @BeforeEach
    void write() {
        log = dir.resolve("decisions.jsonl");
        key = KeyPair.generate(KeyType.ED25519, new SecureRandom());
        try (AuditFile file = AuditFile.open(log, new AuditKey(KeyDids.methodId(key.publicKey()).toString(), key), Clock.systemUTC(),
                new HeadPolicy(Integer.MAX_VALUE, HeadPolicy.MAX_EVERY))) {
            for (int i = 1; i <= ENTRIES; i++) {
                file.append("did:key:z6Mkcaller", i % 4 == 0 ? "call.refuse" : "call.accept", "POST /orders/" + i, "{\"status\":200}");
                if (i % 10 == 0) {
                    file.signHead(); // heads where the cases cut the file: after every tenth entry
                }
            }
        }
    }

    private Run verify(String... more) {
        List<String> args = new ArrayList<>(List.of("audit", "verify", "--log", log.toString()));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    private Path checkpoint() throws Exception {
        Run r = run("audit", "checkpoint", "--log", log.toString());
        assertEquals(0, r.code(), r.err());
        Path file = dir.resolve("checkpoint.json");
        Files.writeString(file, r.out());
        return file;
    }

    private List<String> lines() throws Exception {
        return new ArrayList<>(Files.readAllLines(log));
    }

    private static int entryLine(List<String> lines, long seq) {
        for (int i = 0; i < lines.size(); i++) {
            JsonNode r = JsonCodec.parse(lines.get(i));
            if (r.has("entry") && r.get("entry").get("seq").asLong() == seq) {
                return i;
            }
        }
        throw new AssertionError("no entry " + seq);
    }

    @Test
    void verify_untouchedLog_exitsZeroAndCheckpointPrintsTheNewestHead() throws Exception {
        Run r = verify();
        assertEquals(0, r.code(), r.out() + r.err());
        assertEquals("intact: " + ENTRIES + " entries, signed head at seq " + ENTRIES, r.out());
        JsonNode cp = JsonCodec.parse(Files.readString(checkpoint()));
        assertEquals(ENTRIES, cp.get("seq").asLong());
        assertEquals(KeyDids.methodId(key.publicKey()).toString(), cp.get("keyId").asText());
        assertEquals(key.publicKey().toMultibase(), cp.get("publicKeyMultibase").asText());
        assertEquals(0, verify("--checkpoint", checkpoint().toString()).code());
    }

    @Test
    void verify_editedEntry_exitsOneNamingIt() throws Exception {
        List<String> lines = lines();
        int at = entryLine(lines, 23);
        lines.set(at, lines.get(at).replace("POST /orders/23", "POST /orders/24"));
        Files.write(log, lines);
        Run r = verify();
        assertEquals(1, r.code());
        assertEquals("BROKEN: entry 23 edited: its content no longer gives its stored hash", r.out());
        Run cp = run("audit", "checkpoint", "--log", log.toString());
        assertEquals(1, cp.code());
        assertEquals("", cp.out());
        assertTrue(cp.err().startsWith("no checkpoint: the chain is broken. BROKEN: entry 23 edited"), cp.err());
    }

    @Test
    void verify_tailCutAfterACheckpoint_onlyTheCheckpointShowsIt() throws Exception {
        Path checkpoint = checkpoint();
        List<String> lines = lines();
        // keep entries 1-30 and the head after entry 30
        Files.write(log, lines.subList(0, entryLine(lines, 31)));
        assertEquals("intact: 30 entries, signed head at seq 30", verify().out());
        Run r = verify("--checkpoint", checkpoint.toString());
        assertEquals(1, r.code());
        assertTrue(r.out().startsWith("BROKEN: entry 31 truncated: the checkpoint of "), r.out());
    }

    @Test
    void unsignedTail_verifyExitsOneWithANoteAndCheckpointExportsTheNewestHead() throws Exception {
        List<String> lines = lines();
        AuditEntry last = AuditFile.read(log).audit(ENTRIES - 1, 1).get(0);
        AuditEntry next = AuditEntry.next(ENTRIES + 1, last.at().plusSeconds(1), "did:key:z6Mkcaller", "call.accept", "x", "{}", last.hash());
        lines.add(JsonCodec.writeString(JsonCodec.objectNode().set("entry", next.toJson())));
        Files.write(log, lines);
        Run r = verify();
        assertEquals(1, r.code());
        assertTrue(r.out().startsWith("BROKEN: entry " + (ENTRIES + 1) + " unsigned: entries " + (ENTRIES + 1) + "-" + (ENTRIES + 1)
                + " are not covered by a signed head"), r.out());
        assertTrue(r.err().startsWith("note: a writer that is still running signs its newest entries"), r.err());
        assertEquals(ENTRIES, JsonCodec.parse(Files.readString(checkpoint())).get("seq").asLong());
    }

    @Test
    void missingLogBothSourcesOrNeither_exitTwo() throws Exception {
        Run missing = run("audit", "verify", "--log", dir.resolve("absent.jsonl").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().startsWith("error: no audit log at "), missing.err());
        assertEquals(2, run("audit", "checkpoint", "--log", dir.resolve("absent.jsonl").toString()).code());
        Run both = run("audit", "verify", "--log", log.toString(), "--data", dir.toString());
        assertEquals(2, both.code());
        assertTrue(both.err().contains("mutually exclusive"), both.err());
        Run neither = run("audit", "verify");
        assertEquals(2, neither.code());
        assertTrue(neither.err().contains("Missing required argument"), neither.err());
        Path empty = dir.resolve("empty.jsonl");
        Files.createFile(empty);
        assertEquals("intact: 0 entries, signed head at seq 0", run("audit", "verify", "--log", empty.toString()).out());
        Run nothing = run("audit", "checkpoint", "--log", empty.toString());
        assertEquals(1, nothing.code());
        assertTrue(nothing.err().startsWith("no checkpoint: nothing is signed yet"), nothing.err());
    }

    /** The command as an operator runs it: its own JVM, the exit code the shell sees. */
    @Test
    void realProcess_exitCodesZeroOneTwo() throws Exception {
        assertEquals(0, tabard(log));
        List<String> lines = lines();
        lines.remove(entryLine(lines, 12));
        Files.write(log, lines);
        assertEquals(1, tabard(log));
        assertTrue(Files.readString(dir.resolve("out.txt")).startsWith("BROKEN: entry 12 deleted"), Files.readString(dir.resolve("out.txt")));
        assertEquals(2, tabard(dir.resolve("absent.jsonl")));
    }

    private int tabard(Path file) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m", "-cp",
                System.getProperty("java.class.path"), Tabard.class.getName(), "audit", "verify", "--log", file.toString())
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile()).start();
        try {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the command did not finish");
            return p.exitValue();
        } finally {
            p.destroyForcibly();
        }
    }
}
