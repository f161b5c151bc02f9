package dev.tabard.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL of a JVM appending to a file log without pause, at a different point each round: every acknowledged entry
 * is still there, the chain is whole (its newest entries at most unsigned), and the next writer continues it.
 */
class AuditFileCrashTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(150)
    void killMidAppend_losesNoAcknowledgedEntryAndTheNextWriterContinues() throws Exception {
        Path file = dir.resolve("decisions.jsonl");
        KeyPair parentKey = KeyPair.generate(KeyType.ED25519, new SecureRandom());
        long acknowledged = 0;
        for (int round = 1; round <= 3; round++) {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m", "-cp",
                    System.getProperty("java.class.path"), AuditFileWriterProcess.class.getName(), file.toString(),
                    Integer.toString(round))
                    .redirectErrorStream(true).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String open = out.readLine();
                assertEquals("open", open, "the writer failed to open the log");
                IllegalStateException held = assertThrows(IllegalStateException.class,
                        () -> AuditFile.open(file, new AuditKey("parent-key", parentKey), Clock.systemUTC(), HeadPolicy.DEFAULT));
                assertTrue(held.getMessage().contains(file.toString()), held.getMessage());
                // a different number of acknowledged entries before each kill
                for (int line = 0; line < round * 20; line++) {
                    String seq = out.readLine();
                    assertTrue(seq != null && seq.matches("\\d+"), "the writer failed: " + seq);
                    acknowledged = Long.parseLong(seq);
                }
                p.destroyForcibly();
                assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            }
            AuditVerdict left = AuditLog.verify(AuditFile.read(file), Optional.empty());
            assertTrue(left.intact() || left.broken().get().kind() == AuditBreak.Kind.UNSIGNED, "round " + round + ": " + left.message());
            assertTrue(left.entries() >= acknowledged, "round " + round + ": " + left.entries() + " < " + acknowledged);

            try (AuditFile reopened = AuditFile.open(file, new AuditKey("parent-key", parentKey), Clock.systemUTC(), HeadPolicy.DEFAULT)) {
                AuditEntry next = reopened.append("parent", "reopen", "round " + round, "{}");
                assertEquals(left.entries() + 1, next.seq(), "round " + round);
                AuditVerdict live = AuditLog.verify(reopened, Optional.empty());
                assertEquals("intact: " + next.seq() + " entries, signed head at seq " + next.seq(), live.message());
                acknowledged = next.seq();
            }
            AuditVerdict after = AuditLog.verify(AuditFile.read(file), Optional.empty());
            assertEquals("intact: " + acknowledged + " entries, signed head at seq " + acknowledged, after.message());
        }
    }
}
