package dev.tabard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.key.KeyDids;
import dev.tabard.testing.PostgresServer;
import dev.tabard.vc.jose.CompactJws;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code tabard issuer serve} processes on one real PostgreSQL database, as an organization runs them behind a
 * load balancer: both issue at once, one is killed with SIGKILL in the middle of the load, and afterwards every
 * credential a client got is stored with its own status entries, no status index was handed out twice, and the one
 * audit chain verifies ({@code tabard audit verify --database-url}). Key rotation and OpenID4VCI codes work whichever
 * instance a request reaches.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class IssuerInstancesProcessTest {

    private static final String ADMIN = "admin-token-for-two-instances-5d1e9a";
    private static final String SECRET = "sealing-secret-shared-by-both-instances";
    private static final String PUBLIC_URL = "https://issuer.example";

    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Process> processes = new ArrayList<>();
    private String databaseUrl;

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
    }

    private record Instance(Process process, int port) {
        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port + path);
        }
    }

    private Instance serve(Path data) throws Exception {
        Path out = data.resolveSibling(data.getFileName() + "-out.txt");
        Path err = data.resolveSibling(data.getFileName() + "-err.txt");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), Tabard.class.getName(), "issuer", "serve", "--data", data.toString(),
                "--port", "0", "--public-url", PUBLIC_URL, "--database-url", databaseUrl);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("TABARD_"));
        pb.environment().putAll(Map.of("TABARD_SECRET", SECRET, "TABARD_ADMIN_TOKEN", ADMIN,
                "TABARD_ISSUER_DATABASE_USER", PostgresServer.USER, "TABARD_ISSUER_DATABASE_PASSWORD", "unused-with-trust"));
        Process p = pb.start();
        processes.add(p);
        Instant deadline = Instant.now().plusSeconds(60);
        while (p.isAlive() && Instant.now().isBefore(deadline) && !Files.readString(out).contains(" serving ")) {
            p.waitFor(100, TimeUnit.MILLISECONDS);
        }
        assertTrue(Files.readString(out).contains(" serving "), "the issuer did not start: " + Files.readString(out)
                + Files.readString(err));
        // every instance has the balancer's public URL; the port it bound is on its start line
        Matcher m = Pattern.compile(" on https?://127\\.0\\.0\\.1:(\\d+)\n").matcher(Files.readString(out));
        assertTrue(m.find(), Files.readString(out));
        return new Instance(p, Integer.parseInt(m.group(1)));
    }

    /** Two instances on a fresh database, one registered agent. */
    private record Organization(Instance a, Instance b, Path dataA, Path dataB, String agent) {
    }

    private Organization twoInstances() throws Exception {
        databaseUrl = PostgresServer.shared().createDatabase();
        Path dataA = dir.resolve("a");
        Path dataB = dir.resolve("b");
        Instance a = serve(dataA);
        // the second instance gets the first one's secret files, as an operator copies them
        Files.createDirectories(dataB);
        try (var files = Files.list(dataA)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().endsWith(".key")).toList()) {
                Files.copy(f, dataB.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Instance b = serve(dataB);
        String agent = KeyDids.of(KeyPair.generate(KeyType.ED25519, new SecureRandom()).publicKey()).toString();
        assertEquals(201, post(a, "/admin/agents", "{\"did\":\"" + agent + "\",\"name\":\"agent\",\"operator\":{\"name\":\"ops\"},"
                + "\"capabilities\":[\"supplier:lookup\"]}").statusCode());
        return new Organization(a, b, dataA, dataB, agent);
    }

    private HttpResponse<String> post(Instance at, String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(at.uri(path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String issue(Instance at, String agent) throws Exception {
        HttpResponse<String> r = post(at, "/admin/agents/" + agent + "/credentials", "");
        assertEquals(201, r.statusCode(), r.body());
        return r.body();
    }

    @Test
    void twoInstancesIssueAtOnce_oneIsKilled_theStoreStaysWholeAndOneChain() throws Exception {
        Organization org = twoInstances();
        Instance a = org.a();
        Instance b = org.b();
        Path dataA = org.dataA();
        Path dataB = org.dataB();
        String agent = org.agent();

        Set<String> received = ConcurrentHashMap.newKeySet();
        AtomicBoolean bKilled = new AtomicBoolean();
        AtomicInteger fromB = new AtomicInteger();
        CountDownLatch enoughFromB = new CountDownLatch(150);
        ExecutorService load = Executors.newFixedThreadPool(8);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            Instance target = w % 2 == 0 ? a : b;
            workers.add(load.submit(() -> {
                for (int i = 0; i < 60 || (target == a && !bKilled.get()); i++) {
                    if (target == b && bKilled.get()) {
                        return null;
                    }
                    try {
                        received.add(JsonCodec.parse(issue(target, agent)).path("id").asText());
                        if (target == b) {
                            fromB.incrementAndGet();
                            enoughFromB.countDown();
                        }
                    } catch (java.io.IOException cut) {
                        if (target != b || !bKilled.get()) {
                            throw cut; // only the killed instance's connections may break
                        }
                    }
                }
                return null;
            }));
        }
        assertTrue(enoughFromB.await(120, TimeUnit.SECONDS), "instance b issued " + fromB.get());
        b.process().destroyForcibly(); // SIGKILL, in the middle of its requests
        bKilled.set(true);
        assertTrue(b.process().waitFor(30, TimeUnit.SECONDS));
        for (Future<?> f : workers) {
            f.get(120, TimeUnit.SECONDS);
        }
        load.shutdown();

        // the killed instance starts again on the same database and issues at once
        Instance b2 = serve(dataB);
        received.add(JsonCodec.parse(issue(b2, agent)).path("id").asText());
        assertTrue(received.size() > 300, "issued " + received.size());

        try (Connection c = DriverManager.getConnection(databaseUrl, PostgresServer.USER, "")) {
            assertEquals(0, count(c, "SELECT count(*) FROM (SELECT list_id, idx FROM status_allocations GROUP BY list_id, idx"
                    + " HAVING count(*) > 1) d"), "a status index handed out twice");
            Set<String> stored = strings(c, "SELECT id FROM credentials");
            assertTrue(stored.containsAll(received), "a credential a client received is not stored");
            // every stored credential owns exactly its two entries, and no entry belongs to nothing
            assertEquals(2L * stored.size(), count(c, "SELECT count(*) FROM status_allocations"));
            assertEquals(0, count(c, "SELECT count(*) FROM credentials c WHERE NOT EXISTS (SELECT 1 FROM status_allocations s"
                    + " WHERE s.list_id = c.revocation_list AND s.idx = c.revocation_index AND s.credential_id = c.id)"
                    + " OR NOT EXISTS (SELECT 1 FROM status_allocations s WHERE s.list_id = c.suspension_list"
                    + " AND s.idx = c.suspension_index AND s.credential_id = c.id)"));
            assertEquals(count(c, "SELECT max(seq) FROM audit"), count(c, "SELECT count(*) FROM audit"), "gaps in the chain");
            assertEquals(stored.size(), count(c, "SELECT count(*) FROM audit WHERE action = 'credential.issue'"));
        }
        HttpResponse<String> verified = http.send(HttpRequest.newBuilder(a.uri("/admin/audit/verify"))
                .header("Authorization", "Bearer " + ADMIN).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, verified.statusCode(), verified.body());
        assertTrue(JsonCodec.parse(verified.body()).path("intact").asBoolean(), verified.body());
        assertEquals(0, auditVerify(dataA), "tabard audit verify --database-url");
    }

    @Test
    void rotationAndOfferCodes_workWhicheverInstanceARequestReaches() throws Exception {
        Organization org = twoInstances();
        Instance a = org.a();
        Instance b = org.b();
        String agent = org.agent();

        // a key published and activated through a is what b signs with, within a few seconds
        HttpResponse<String> added = post(a, "/admin/keys?type=Ed25519", "");
        assertEquals(201, added.statusCode(), added.body());
        String newKey = JsonCodec.parse(added.body()).path("id").asText();
        assertEquals(204, post(a, "/admin/keys/" + newKey + "/activate", "").statusCode());
        Instant deadline = Instant.now().plusSeconds(10);
        String kid = "";
        while (!kid.endsWith("#" + newKey) && Instant.now().isBefore(deadline)) {
            kid = CompactJws.parse(JsonCodec.parse(issue(b, agent)).path("vcJwt").asText()).header().path("kid").asText();
        }
        assertTrue(kid.endsWith("#" + newKey), "b still signs with " + kid);
        assertTrue(JsonCodec.parse(http.send(HttpRequest.newBuilder(b.uri("/.well-known/did.json")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).toString().contains("#" + newKey));

        // an offer made at a is redeemed at b, once
        JsonNode offer = JsonCodec.parse(post(a, "/admin/agents/" + agent + "/offer", "").body());
        String code = offer.at("/credential_offer/grants/urn:ietf:params:oauth:grant-type:pre-authorized_code/pre-authorized_code")
                .asText();
        assertTrue(!code.isEmpty(), offer.toString());
        String form = "grant_type=" + URLEncoder.encode("urn:ietf:params:oauth:grant-type:pre-authorized_code", StandardCharsets.UTF_8)
                + "&pre-authorized_code=" + URLEncoder.encode(code, StandardCharsets.UTF_8);
        HttpResponse<String> first = http.send(HttpRequest.newBuilder(b.uri("/oid4vci/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, first.statusCode(), first.body());
        HttpResponse<String> again = http.send(HttpRequest.newBuilder(a.uri("/oid4vci/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, again.statusCode(), again.body());
        assertEquals("invalid_grant", JsonCodec.parse(again.body()).path("error").asText());
    }

    /** {@code tabard audit verify} as an operator runs it, the role from the environment; its exit code. */
    private int auditVerify(Path data) throws Exception {
        Path out = dir.resolve("audit-verify.txt");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Tabard.class.getName(), "audit", "verify", "--data", data.toString(),
                "--database-url", databaseUrl).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("TABARD_"));
        pb.environment().put("TABARD_ISSUER_DATABASE_USER", PostgresServer.USER);
        Process p = pb.start();
        processes.add(p);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "audit verify did not finish");
        assertTrue(Files.readString(out).contains("intact"), Files.readString(out));
        return p.exitValue();
    }

    private static long count(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Set<String> strings(Connection c, String sql) throws Exception {
        Set<String> out = new java.util.HashSet<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
