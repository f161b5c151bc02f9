package dev.tabard.issuer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the issuer's JVM with SIGKILL while it issues and revokes under load, then checks the SQLite file: nothing
 * half-written, no status index handed out twice, the audit chain whole and matching the credentials.
 */
class CrashTest {

    static final String ADMIN = "tabard_zUP9VSN7CqReilcKy_ylY3l4RnPqIOSvF3UYjWh176c";

    @TempDir
    Path dir;

    private Process start(int port) throws Exception {
        Files.deleteIfExists(dir.resolve("ready"));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), IssuerProcess.class.getName(), dir.toString(), Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(dir.resolve("issuer.log").toFile()).start();
        for (int i = 0; i < 300 && !Files.exists(dir.resolve("ready")); i++) {
            Thread.sleep(100);
        }
        assertTrue(Files.exists(dir.resolve("ready")), "the issuer did not start: " + Files.readString(dir.resolve("issuer.log")));
        return p;
    }

    @Test
    void killDuringIssuanceAndRevocationLeavesAConsistentStore() throws Exception {
        int port = IssuerServerTest.freePort();
        Process issuer = start(port);
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + port;
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
        while (ok.get() < 200) {
            Thread.sleep(20);
        }
        issuer.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
        issuer.waitFor(10, TimeUnit.SECONDS);
        running.set(false);
        pool.shutdownNow();

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
        Process again = start(port); // the store reopens and keeps issuing
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/agents/" + agent + "/credentials"))
                    .header("Authorization", "Bearer " + ADMIN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, r.statusCode(), r.body());
        } finally {
            again.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String scalar(Connection c, String sql) throws Exception {
        try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
