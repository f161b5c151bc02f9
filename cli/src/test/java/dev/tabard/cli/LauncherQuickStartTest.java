package dev.tabard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's quick start as a reader runs it: the README shows {@code docs/quickstart.sh} verbatim, and this test
 * runs that script with the launcher {@code mvn package} builds (after the package phase, like {@link LauncherTest}),
 * so neither the commands nor what they print can drift from what works.
 */
class LauncherQuickStartTest {

    private static final String MARKER = "<!-- quickstart: docs/quickstart.sh -->";

    private static Path launcher;
    private static Path repository;

    @BeforeAll
    static void findTree() {
        Path dist = Path.of(System.getProperty("tabard.dist", "target/tabard")).toAbsolutePath().normalize();
        launcher = dist.resolve("bin").resolve("tabard");
        repository = dist.getParent().getParent().getParent();
        assumeTrue(Files.isExecutable(launcher), "no distribution at " + launcher + ": it is built by `mvn package` (this test runs in"
                + " `mvn verify`, after package)");
    }

    @Test
    void readmeShowsTheScriptVerbatim() throws IOException {
        String readme = Files.readString(repository.resolve("README.md"));
        String script = Files.readString(repository.resolve("docs/quickstart.sh"));
        int at = readme.indexOf(MARKER);
        assertTrue(at >= 0, "README.md lost the line " + MARKER);
        String rest = readme.substring(at + MARKER.length());
        assertTrue(rest.startsWith("\n```bash\n"), "a ```bash block follows " + MARKER);
        String block = rest.substring("\n```bash\n".length(), rest.indexOf("\n```\n", 1) + 1);
        assertEquals(script, block, "README.md's quick start differs from docs/quickstart.sh: copy the script into the block");
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void theQuickStartRunsAsWritten_verifiesThenRefusesAfterRevocation() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "docs/quickstart.sh").directory(repository.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("TABARD_") || k.equals("JAVA_OPTS"));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("TABARD", launcher.toString());
        pb.environment().put("PORT", "0"); // the script's default, 8443, may be taken on a build machine
        Process p = pb.start();
        String out;
        try {
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(3, TimeUnit.MINUTES), "the quick start did not finish");
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        Matcher data = Pattern.compile("^data in (\\S+)$", Pattern.MULTILINE).matcher(out);
        assertTrue(data.find(), out);
        Path dataDir = Path.of(data.group(1)).toAbsolutePath().normalize();
        try {
            assertEquals(0, p.exitValue(), out);
            assertFalse(dataDir.startsWith(repository), "the quick start's data landed in the repository: " + dataDir);
            assertTrue(Files.isDirectory(dataDir.resolve("acme")), out);
            assertTrue(out.matches("(?s).*issuer did:web:localhost%3A\\d+ at https://localhost:\\d+\n.*"), out);
            assertTrue(out.contains("\"verified\" : true"), out);
            assertTrue(out.contains("\"name\" : \"ACME Corp\""), out);
            assertTrue(out.contains("[supplier:lookup]"), "wallet list shows the credential: " + out);
            assertTrue(out.contains("#CREDENTIAL_REVOKED"), out);
            assertTrue(out.contains("refused after revocation"), out);
        } finally {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
