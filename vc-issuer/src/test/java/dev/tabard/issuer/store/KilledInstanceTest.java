package dev.tabard.issuer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.testing.PostgresServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills (SIGKILL) an instance of the PostgreSQL store in another process while it works, and checks what another
 * instance finds: no half-written transaction, no lock left held.
 */
@Timeout(180)
class KilledInstanceTest {

    @TempDir
    Path dir;

    private final String url = PostgresServer.shared().createDatabase();

    private Process start(String mode) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), StoreProcess.class.getName(), url, PostgresServer.USER,
                dir.resolve("data").toString(), mode).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String ready = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.equals("ready")) {
                        return line;
                    }
                    seen.append(line).append('\n');
                }
            } catch (java.io.IOException e) {
                seen.append(e);
            }
            return "ended";
        }).get(120, TimeUnit.SECONDS);
        assertEquals("ready", ready, seen.toString());
        return p;
    }

    private IssuerStore open() {
        return PostgresIssuerStore.open(new DatabaseSettings(url, PostgresServer.USER, ""), dir.resolve("data"), Clock.systemUTC(),
                new SecureRandom());
    }

    @Test
    void killedWhileIssuing_leavesEveryTransactionWholeAndTheChainIntact() throws Exception {
        Process issuer = start("issue");
        issuer.destroyForcibly(); // SIGKILL, mid-batch
        assertTrue(issuer.waitFor(30, TimeUnit.SECONDS));
        try (IssuerStore store = open()) {
            long credentials = count("SELECT count(*) FROM credentials");
            assertTrue(credentials >= 200, "issued before the kill: " + credentials);
            assertEquals(2 * credentials, count("SELECT count(*) FROM status_allocations"));
            StoreFixtures.assertChainIntact(store, credentials); // one entry per credential, each batch signed
            StoreFixtures.keyAndSign(store);
            StoreFixtures.issue(store); // the chain lock was not left held
            StoreFixtures.assertChainIntact(store, credentials + 1);
        }
    }

    @Test
    void killedWhileBootstrapping_releasesTheBootstrapLock() throws Exception {
        Process holder = start("bootstrap");
        try (IssuerStore store = open()) {
            CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> store.bootstrapping(() -> "ran"));
            assertTrue(!waiting.isDone(), "the other instance holds the lock");
            holder.destroyForcibly();
            assertEquals("ran", waiting.get(60, TimeUnit.SECONDS));
        } finally {
            holder.destroyForcibly();
        }
        assertTrue(Files.exists(dir.resolve("data")));
    }

    private long count(String query) throws Exception {
        try (Connection c = DriverManager.getConnection(url, PostgresServer.USER, ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
