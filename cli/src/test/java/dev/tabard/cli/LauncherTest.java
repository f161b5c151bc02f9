package dev.tabard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution's {@code bin/tabard} as a user runs it: from another directory, through a symlink, with
 * {@code JAVA_OPTS}/{@code TABARD_OPTS}, with arguments holding spaces, and exec'ing java so that signals reach it. It
 * runs the unpacked tree {@code mvn package} leaves at {@code cli/target/tabard} (the {@code tabard.dist} property),
 * after the package phase.
 */
class LauncherTest {

    private static Path launcher;

    @TempDir
    Path tmp;

    @BeforeAll
    static void findTree() {
        String dist = System.getProperty("tabard.dist", "target/tabard");
        launcher = Path.of(dist, "bin", "tabard").toAbsolutePath();
        assumeTrue(Files.isExecutable(launcher), "no distribution at " + launcher + ": it is built by `mvn package` (this test runs in"
                + " `mvn verify`, after package)");
    }

    /** What a finished launcher run printed (standard output and error together) and its exit code. */
    private record Result(int code, String out) {
    }

    private ProcessBuilder builder(Path command, Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>(List.of(command.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("TABARD_") || k.equals("JAVA_OPTS") || k.equals("MALLOC_ARENA_MAX"));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().putAll(env);
        return pb;
    }

    private Result run(Path command, Map<String, String> env, String... args) throws Exception {
        Process p = builder(command, env, args).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the launcher did not finish");
        return new Result(p.exitValue(), out);
    }

    /** The value the JVM settled on for a flag, from {@code -XX:+PrintFlagsFinal}. */
    private static String flag(String printFlagsFinal, String name) {
        Matcher m = Pattern.compile("\\s" + name + "\\s+=\\s+(\\S+)").matcher(printFlagsFinal);
        assertTrue(m.find(), name + " not printed");
        return m.group(1);
    }

    @Test
    void help_fromAnotherDirectoryAndThroughSymlinks_runsTheCommand() throws Exception {
        Result direct = run(launcher, Map.of(), "--help");
        assertEquals(0, direct.code(), direct.out());
        assertTrue(direct.out().contains("Usage: tabard"), direct.out());

        Path links = Files.createDirectories(tmp.resolve("a bin dir"));
        Path link = Files.createSymbolicLink(links.resolve("tabard"), launcher);
        Path relative = Files.createSymbolicLink(links.resolve("tabard-again"), Path.of("tabard")); // a link to a link, relative
        for (Path l : List.of(link, relative)) {
            Result viaLink = run(l, Map.of(), "--help");
            assertEquals(0, viaLink.code(), viaLink.out());
            assertTrue(viaLink.out().contains("Usage: tabard"), viaLink.out());
        }
    }

    @Test
    void roles_getTheirDefaults_andJavaOptsThenTabardOptsWin() throws Exception {
        Result server = run(launcher, Map.of(), "verifier", "serve", "-XX:+PrintFlagsFinal"); // not a JVM option here: an argument
        assertEquals(2, server.code(), server.out()); // picocli: unknown option, --port missing

        Result verifier = run(launcher, Map.of("TABARD_OPTS", "-XX:+PrintFlagsFinal"), "verifier", "serve");
        assertEquals(String.valueOf(160L << 20), flag(verifier.out(), "MaxHeapSize"));
        assertEquals("true", flag(verifier.out(), "UseParallelGC"));
        assertEquals("4", flag(verifier.out(), "TieredStopAtLevel")); // a server keeps C2

        Result cli = run(launcher, Map.of("TABARD_OPTS", "-XX:+PrintFlagsFinal"), "--version");
        assertEquals(0, cli.code(), cli.out());
        assertEquals("1", flag(cli.out(), "TieredStopAtLevel"));
        assertEquals("true", flag(cli.out(), "UseSerialGC"));

        Result both = run(launcher, Map.of("JAVA_OPTS", "-Xmx200m -XX:+PrintFlagsFinal", "TABARD_OPTS", "-Xmx300m"), "verifier", "serve");
        assertEquals(String.valueOf(300L << 20), flag(both.out(), "MaxHeapSize"));
        Result javaOpts = run(launcher, Map.of("JAVA_OPTS", "-Xmx200m -XX:+PrintFlagsFinal"), "issuer", "serve");
        assertEquals(String.valueOf(200L << 20), flag(javaOpts.out(), "MaxHeapSize"));
    }

    @Test
    void tabardOpts_reachTheJvm() throws Exception {
        Result tooSmall = run(launcher, Map.of("TABARD_OPTS", "-Xmx1m"), "--help");
        assertTrue(tooSmall.code() != 0, tooSmall.out());
        assertTrue(tooSmall.out().contains("heap"), tooSmall.out());

        Result property = run(launcher, Map.of("TABARD_OPTS", "-Dtabard.launcher.probe=*x* -XshowSettings:properties"), "--help");
        assertEquals(0, property.code(), property.out());
        assertTrue(property.out().contains("tabard.launcher.probe = *x*"), property.out()); // not expanded as a file pattern
    }

    @Test
    void javaHome_isTheJavaThatRuns() throws Exception {
        Result missing = run(launcher, Map.of("JAVA_HOME", tmp.resolve("no-jdk").toString()), "--help");
        assertEquals(1, missing.code(), missing.out());
        assertTrue(missing.out().contains("JAVA_HOME"), missing.out());
    }

    @Test
    void argumentsWithSpacesAndPatterns_passIntact() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("dir with space"));
        Files.writeString(tmp.resolve("dir with space").resolve("decoy.wallet"), "");
        Result init = run(launcher, Map.of("TABARD_WALLET_SECRET", "launcher-test-secret"), "wallet", "init", "--wallet",
                "dir with space/a * b.wallet");
        assertEquals(0, init.code(), init.out());
        assertTrue(Files.exists(dir.resolve("a * b.wallet")), "the wallet is not where the argument named it: " + init.out());
        assertTrue(init.out().contains("did:key:"), init.out());
    }

    @Test
    @Timeout(60)
    void verifierServe_isJavaItself_soSigtermStopsIt() throws Exception {
        Process p = builder(launcher, Map.of(), "verifier", "serve", "--port", "0")
                .redirectOutput(tmp.resolve("verifier.log").toFile()).start();
        try {
            // the port it bound, from its start line; waits on the process, so a verifier that exits ends the wait
            Pattern serving = Pattern.compile("verifier serving http://127\\.0\\.0\\.1:(\\d+)");
            Instant started = Instant.now().plusSeconds(30);
            Matcher m = serving.matcher(Files.readString(tmp.resolve("verifier.log")));
            while (!m.find() && Instant.now().isBefore(started) && !p.waitFor(50, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                m = serving.matcher(Files.readString(tmp.resolve("verifier.log")));
            }
            m = serving.matcher(Files.readString(tmp.resolve("verifier.log")));
            assertTrue(m.find(), "the verifier did not say it serves: " + Files.readString(tmp.resolve("verifier.log")));
            int port = Integer.parseInt(m.group(1));
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build();
            Instant deadline = Instant.now().plusSeconds(30);
            int status = 0;
            while (status != 200 && Instant.now().isBefore(deadline)) {
                try {
                    status = http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (IOException notYet) {
                    p.waitFor(100, java.util.concurrent.TimeUnit.MILLISECONDS); // returns at once if the verifier died
                }
            }
            assertEquals(200, status, Files.readString(tmp.resolve("verifier.log")));
            // exec: the process the launcher started is java, with the role's options and environment
            String command = p.info().command().orElse("");
            assertTrue(command.endsWith("/java"), command);
            assertTrue(p.info().arguments().map(List::of).orElse(List.of()).contains("-XX:+UseParallelGC"));
            Path environ = Path.of("/proc", String.valueOf(p.pid()), "environ");
            if (Files.isReadable(environ)) { // Linux
                List<String> variables = List.of(Files.readString(environ, StandardCharsets.ISO_8859_1).split("\0"));
                assertTrue(variables.contains("MALLOC_ARENA_MAX=2"), variables.toString());
            }
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(Duration.ofSeconds(20).toMillis(), TimeUnit.MILLISECONDS), "SIGTERM did not stop the verifier");
        } finally {
            p.destroyForcibly();
        }
    }
}
