package dev.tabard.issuer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tabard.audit.AuditLog;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.key.KeyDids;
import dev.tabard.issuer.audit.AuditAnchor;
import dev.tabard.issuer.store.SqliteIssuerStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the issuer's JVM with SIGKILL while it issues and revokes under load, then checks the SQLite file: nothing
 * half-written, no status index handed out twice, the audit chain whole and matching the credentials.
 */
class CrashTest {

    static final String ADMIN = "tabard_zUP9VSN7CqReilcKy_ylY3l4RnPqIOSvF3UYjWh176c";

    @TempDir
    Path dir;

    /** How long the issuer may take to start, and the load to reach its count, before the test fails instead of hanging. */
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration LOAD = Duration.ofSeconds(120);

    /** An issuer process on a port it binds itself (0): the port is read back from its ready file. */
    private record Issuer(Process process, int port) {
    }

    private Issuer start() throws Exception {
        Path ready = dir.resolve("ready");
        Files.deleteIfExists(ready);
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), IssuerProcess.class.getName(), dir.toString(), "0")
                .redirectErrorStream(true).redirectOutput(dir.resolve("issuer.log").toFile()).start();
        Instant deadline = Instant.now().plus(START);
        // the ready file is moved into place whole, so its existence means the port number in it is complete
        while (!Files.exists(ready)) {
            if (!p.isAlive()) {
                fail("the issuer exited with " + p.exitValue() + " before it was ready: " + log());
            }
            if (Instant.now().isAfter(deadline)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail("the issuer was not ready within " + START + ": " + log());
            }
            p.waitFor(50, TimeUnit.MILLISECONDS); // returns at once if the process dies
        }
        return new Issuer(p, Integer.parseInt(Files.readString(ready).trim()));
    }

    private String log() throws Exception {
        Path log = dir.resolve("issuer.log");
        return Files.exists(log) ? Files.readString(log) : "(no log)";
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES) // two starts and the load, each with its own deadline, fit in this
    void killDuringIssuanceAndRevocationLeavesAConsistentStore() throws Exception {
        Issuer started = start();
        Process issuer = started.process();
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + started.port();
        Did agent = KeyDids.of(KeyPair.generate(KeyType.ED25519, new SecureRandom()).publicKey());
        HttpResponse<String> reg = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/agents")).header("Authorization", "Bearer " + ADMIN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"did\":\"" + agent + "\",\"name\":\"a\",\"operator\":{\"name\":\"o\"}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, reg.statusCode(), reg.body());
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (int t = 0; t < 8; t++) {
            pool.submit(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/agents/" + agent + "/credentials"))
                                .header("Authorization", "Bearer " + ADMIN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 201) {
                            ok.incrementAndGet();
                            String id = r.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
                            http.send(HttpRequest.newBuilder(URI.create(base + "/admin/credentials/" + id + "/revoke"))
                                    .header("Authorization", "Bearer " + ADMIN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                                    HttpResponse.BodyHandlers.discarding());
                        }
                    } catch (Exception e) {
                        return null; // the issuer is gone
                    }
                }
                return null;
            });
        }
        // waits on the process itself: it returns early only if the issuer dies, which fails the test with its log
        Instant deadline = Instant.now().plus(LOAD);
        while (ok.get() < 200 && Instant.now().isBefore(deadline)) {
            if (issuer.waitFor(20, TimeUnit.MILLISECONDS)) {
                running.set(false);
                pool.shutdownNow();
                fail("the issuer died under load (exit " + issuer.exitValue() + ") after " + ok.get() + " credentials: " + log());
            }
        }
        int issuedBeforeKill = ok.get();
        issuer.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
        assertTrue(issuer.waitFor(10, TimeUnit.SECONDS), "the killed issuer did not exit");
        running.set(false);
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS), "the load threads did not stop");
        assertTrue(issuedBeforeKill >= 200, "only " + issuedBeforeKill + " credentials were issued in " + LOAD + ": " + log());

        Path db = dir.resolve("issuer.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            assertEquals("ok", scalar(c, "PRAGMA integrity_check"));
            long credentials = Long.parseLong(scalar(c, "SELECT COUNT(*) FROM credentials"));
            assertTrue(credentials >= 200, "credentials " + credentials);
            assertEquals(Long.toString(credentials * 2), scalar(c, "SELECT COUNT(*) FROM status_allocations"));
            assertEquals("0", scalar(c, "SELECT COUNT(*) FROM status_allocations a WHERE NOT EXISTS "
                    + "(SELECT 1 FROM credentials c WHERE c.id = a.credential_id)"));
            assertEquals("0", scalar(c, "SELECT COUNT(*) FROM credentials c WHERE (SELECT COUNT(*) FROM status_allocations a "
                    + "WHERE a.credential_id = c.id) != 2"));
            assertEquals("0", scalar(c, "SELECT COUNT(*) FROM (SELECT list_id, idx FROM status_allocations GROUP BY list_id, idx HAVING COUNT(*) > 1)"));
            assertEquals(Long.toString(credentials), scalar(c, "SELECT COUNT(*) FROM audit WHERE action = 'credential.issue'"));
            assertEquals(scalar(c, "SELECT SUM(allocated) FROM status_lists"), Long.toString(credentials * 2));
        }
        try (SqliteIssuerStore store = SqliteIssuerStore.open(db, Clock.systemUTC(), new SecureRandom())) {
            // SIGKILL cannot leave an unsigned tail: each head is written in its entries' transaction
            var verdict = AuditLog.verify(store, java.util.Optional.empty());
            assertTrue(verdict.intact(), verdict.message());
            assertEquals(verdict.entries(), verdict.signedHeadSeq());
            // the anchor, rewritten every second during the load, is whole (renamed into place) and held by the store
            var anchor = AuditAnchor.read(dir);
            assertTrue(anchor.isPresent() && anchor.get().head().seq() > 1, "the anchor followed the issuance");
            var anchored = AuditLog.verify(store, java.util.Optional.empty(), anchor.map(AuditAnchor::named));
            assertTrue(anchored.intact(), anchored.message());
        }
        Issuer again = start(); // the store reopens and keeps issuing
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + again.port() + "/admin/agents/" + agent + "/credentials"))
                    .header("Authorization", "Bearer " + ADMIN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, r.statusCode(), r.body());
        } finally {
            again.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String scalar(Connection c, String sql) throws Exception {
        try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
