package dev.tabard.issuer.audit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.audit.AuditCheckpoint;
import dev.tabard.audit.AuditKey;
import dev.tabard.audit.SignedHead;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.issuer.store.OwnerOnlyFiles;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The anchor file itself: owner-only, read back as written, and never torn by a crash mid-write. */
class AuditAnchorTest {

    private final KeyPair key = KeyPair.generate(KeyType.ED25519, new SecureRandom());

    @TempDir
    Path dir;

    private AuditCheckpoint head(long seq) {
        return new AuditCheckpoint(SignedHead.sign(seq, "ab".repeat(32), Instant.parse("2026-12-03T12:00:00Z"),
                new AuditKey("key-1", key)), key.publicKey());
    }

    @Test
    void write_isOwnerOnlyAndReadsBackAsWritten() throws Exception {
        assertEquals(Optional.empty(), AuditAnchor.read(dir));
        AuditAnchor.write(dir, head(7));
        assertEquals(OwnerOnlyFiles.FILE, Files.getPosixFilePermissions(AuditAnchor.file(dir)));
        assertEquals(head(7).toJson(), AuditAnchor.read(dir).orElseThrow().toJson());
        AuditAnchor.write(dir, head(8));
        assertEquals(OwnerOnlyFiles.FILE, Files.getPosixFilePermissions(AuditAnchor.file(dir)));
        assertEquals(8, AuditAnchor.read(dir).orElseThrow().head().seq());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "only the anchor is left after a write");
        }
    }

    @Test
    void write_overAnAnchorOthersCouldRead_leavesItOwnerOnly() throws Exception {
        Files.writeString(AuditAnchor.file(dir), "{}");
        Files.setPosixFilePermissions(AuditAnchor.file(dir), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        AuditAnchor.write(dir, head(3));
        assertEquals(OwnerOnlyFiles.FILE, Files.getPosixFilePermissions(AuditAnchor.file(dir)));
    }

    @Test
    void read_malformedOrOversizeAnchor_saysItWasAlteredAndHowToCheck() throws Exception {
        Files.writeString(AuditAnchor.file(dir), "{\"seq\":1");
        IllegalArgumentException malformed = assertThrows(IllegalArgumentException.class, () -> AuditAnchor.read(dir));
        assertTrue(malformed.getMessage().contains("is malformed") && malformed.getMessage().contains("tabard audit verify"),
                malformed.getMessage());
        Files.writeString(AuditAnchor.file(dir), " ".repeat(AuditCheckpoint.MAX_BYTES + 1));
        IllegalArgumentException large = assertThrows(IllegalArgumentException.class, () -> AuditAnchor.read(dir));
        assertTrue(large.getMessage().contains("larger than " + AuditCheckpoint.MAX_BYTES), large.getMessage());
    }

    /**
     * SIGKILL of a JVM that rewrites the anchor without pause, at a different point each round: the file left is
     * always one complete anchor whose signature verifies.
     */
    @Test
    @Timeout(120)
    void killMidWrite_neverLeavesATornAnchor() throws Exception {
        for (int round = 1; round <= 4; round++) {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m", "-cp",
                    System.getProperty("java.class.path"), AnchorWriterProcess.class.getName(), dir.toString())
                    .redirectErrorStream(true).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                // a different number of writes before each kill
                for (int line = 0; line < round * 3; line++) {
                    String written = out.readLine();
                    assertTrue(written != null && written.matches("\\d+"), "the writer failed: " + written);
                }
                p.destroyForcibly();
                assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            }
            AuditCheckpoint left = assertDoesNotThrow(() -> AuditAnchor.read(dir).orElseThrow(), "round " + round);
            assertDoesNotThrow(() -> left.head().verify(left.publicKey()), "round " + round);
            assertTrue(left.head().seq() >= (long) round * 3 * AnchorWriterProcess.WRITES_PER_LINE, "round " + round);
        }
    }

    @Test
    void write_intoADirectoryThatIsGone_throwsAndLeavesNoAnchor() {
        Path gone = dir.resolve("gone");
        assertThrows(java.io.IOException.class, () -> AuditAnchor.write(gone, head(1)));
        assertFalse(Files.exists(AuditAnchor.file(gone)));
    }
}
