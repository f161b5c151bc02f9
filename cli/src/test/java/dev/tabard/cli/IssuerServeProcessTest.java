package dev.tabard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.audit.AuditLog;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.key.KeyDids;
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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tabard issuer serve} as its own JVM, as an operator runs it: settings from a file and the environment, JSON
 * logs on standard error, and SIGTERM under issuance load answered by a graceful shutdown.
 */
class IssuerServeProcessTest {

    private static final String ADMIN = "admin-token-must-never-be-logged-7f3a";
    private static final String METRICS = "metrics-token-for-the-scraper-0123";
    private static final String SECRET = "sealing-secret-must-never-be-logged-91c2";

    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newHttpClient();

    /** How long an issuer process may take to say it serves, and the load to reach its count. */
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration LOAD = Duration.ofSeconds(120);
    private static final Pattern LISTENING = Pattern.compile(" on (http://127\\.0\\.0\\.1:\\d+)\n");

    /** The base URL the issuer bound ({@code --port 0}), read from its start line: {@code … on http://127.0.0.1:PORT}. */
    private String base() throws Exception {
        String out = Files.readString(dir.resolve("out.txt"));
        Matcher m = LISTENING.matcher(out);
        assertTrue(m.find(), "a plain-HTTP issuer says http:// and its port: " + out);
        return m.group(1);
    }

    private Process serve(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), Tabard.class.getName(), "issuer", "serve"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("TABARD_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        Instant deadline = Instant.now().plus(START);
        // waits on the process itself, so an issuer that exits is seen at once
        while (!Files.readString(dir.resolve("out.txt")).contains(" serving ") && Instant.now().isBefore(deadline)
                && !p.waitFor(50, TimeUnit.MILLISECONDS)) {
            continue;
        }
        if (!Files.readString(dir.resolve("out.txt")).contains(" serving ")) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail("the issuer did not start within " + START + " (alive: " + p.isAlive() + "): " + Files.readString(dir.resolve("out.txt"))
                    + Files.readString(dir.resolve("err.txt")));
        }
        return p;
    }

    private HttpResponse<String> send(String method, String url, String body, String token, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null && !headers.containsKey("Content-Type")) {
            b.header("Content-Type", "application/json");
        }
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String agentJson(Did agent) {
        return "{\"did\":\"" + agent + "\",\"name\":\"a\",\"operator\":{\"name\":\"o\"}}";
    }

    /** The fields of a Logback JsonEncoder line: its {@code kvpList} is a list of one-member objects. */
    private static Map<String, String> fields(JsonNode line) {
        Map<String, String> out = new HashMap<>();
        line.path("kvpList").forEach(kv -> kv.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText())));
        return out;
    }

    @Test
    void serve_configFileAndEnv_logsOneJsonLinePerRequestWithoutSecrets() throws Exception {
        Files.writeString(dir.resolve("issuer.yaml"), """
                # read with TABARD_ISSUER_PORT from the environment
                data: state
                didMethod: key
                publicUrl: http://localhost
                organizationName: File Org
                validity: PT10M
                """);
        Process p = serve(Map.of("TABARD_ISSUER_PORT", "0", "TABARD_SECRET", SECRET, "TABARD_ADMIN_TOKEN", ADMIN),
                "--config", dir.resolve("issuer.yaml").toString());
        String base = base();
        Did agent = KeyDids.of(KeyPair.generate(KeyType.ED25519, new SecureRandom()).publicKey());
        String vcJwt;
        try {
            assertEquals(200, send("GET", base + "/healthz", null, null, Map.of()).statusCode());
            assertEquals(201, send("POST", base + "/admin/agents", agentJson(agent), ADMIN, Map.of()).statusCode());
            HttpResponse<String> issued = send("POST", base + "/admin/agents/" + agent + "/credentials", null, ADMIN,
                    Map.of("X-Request-Id", "trace-123"));
            assertEquals(201, issued.statusCode(), issued.body());
            assertEquals("trace-123", issued.headers().firstValue("X-Request-Id").orElse(""));
            vcJwt = JsonCodec.parse(issued.body()).get("vcJwt").asText();
            assertEquals(401, send("GET", base + "/admin/audit?token=" + ADMIN, null, "wrong-" + ADMIN, Map.of()).statusCode());
            assertEquals(404, send("GET", base + "/nothing", null, null, Map.of()).statusCode());
        } finally {
            p.destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        }
        assertTrue(Files.isRegularFile(dir.resolve("state/issuer.db")), "data is relative to the config file");
        JsonNode payload = JsonCodec.parse(Base64.getUrlDecoder().decode(vcJwt.split("\\.")[1]));
        assertEquals(Duration.ofMinutes(10), Duration.between(Instant.parse(payload.get("validFrom").asText()),
                Instant.parse(payload.get("validUntil").asText())), "validity from the file");
        assertEquals("File Org", payload.at("/credentialSubject/memberOf/name").asText(payload.toString()));

        String err = Files.readString(dir.resolve("err.txt"));
        List<JsonNode> lines = new ArrayList<>();
        for (String line : err.split("\n")) {
            if (!line.isBlank()) {
                lines.add(JsonCodec.parse(line)); // every line is one JSON object
            }
        }
        for (String secret : new String[] {ADMIN, SECRET, "Bearer", "Authorization", vcJwt, "token="}) {
            assertFalse(err.contains(secret), "the log holds " + secret);
        }
        List<Map<String, String>> requests = new ArrayList<>();
        for (JsonNode l : lines) {
            assertTrue(l.has("timestamp") && l.has("level") && l.has("loggerName") && l.has("formattedMessage"), l.toString());
            if (l.get("formattedMessage").asText().equals("request")) {
                assertEquals("INFO", l.get("level").asText());
                requests.add(fields(l));
            }
        }
        assertEquals(5, requests.size(), err);
        for (Map<String, String> r : requests) {
            assertTrue(r.keySet().containsAll(Set.of("method", "path", "route", "status", "durationMs", "requestId")), r.toString());
            assertTrue(Double.parseDouble(r.get("durationMs")) >= 0);
        }
        Map<String, String> issue = requests.get(2);
        assertEquals("POST", issue.get("method"));
        assertEquals("/admin/agents/" + agent + "/credentials", issue.get("path"));
        assertEquals("/admin/agents/{did}/credentials", issue.get("route"));
        assertEquals("201", issue.get("status"));
        assertEquals("trace-123", issue.get("requestId"));
        assertEquals("401", requests.get(3).get("status"));
        assertEquals("/admin/audit", requests.get(3).get("path"));
        assertEquals("404", requests.get(4).get("status"));
        List<String> events = lines.stream().map(l -> fields(l).getOrDefault("event", "")).filter(e -> !e.isEmpty()).toList();
        assertTrue(events.containsAll(List.of("key.create", "start", "shutdown", "stopped")), events.toString());
    }

    @Test
    void serve_vcApiOpenForConformance_issuesWithoutATokenAndSaysSoInTheJsonLog() throws Exception {
        Files.writeString(dir.resolve("issuer.yaml"), "data: open\ndidMethod: key\npublicUrl: http://localhost\n");
        Process p = serve(Map.of("TABARD_ISSUER_PORT", "0", "TABARD_SECRET", SECRET, "TABARD_ADMIN_TOKEN", ADMIN,
                "TABARD_ISSUER_METRICS_TOKEN", METRICS), "--config", dir.resolve("issuer.yaml").toString(), "--vc-api-open-for-conformance");
        String base = base();
        String request = "{\"credential\":{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":[\"VerifiableCredential\"],"
                + "\"credentialSubject\":{\"id\":\"did:example:subject\"}},\"options\":{\"cryptosuite\":\"eddsa-jcs-2022\"}}";
        try {
            HttpResponse<String> issued = send("POST", base + "/credentials/issue", request, null, Map.of("Content-Type", "application/json"));
            assertEquals(201, issued.statusCode(), issued.body());
            assertEquals("eddsa-jcs-2022", JsonCodec.parse(issued.body()).at("/verifiableCredential/proof/cryptosuite").asText());
            assertEquals(401, send("POST", base + "/admin/agents", "{}", null, Map.of()).statusCode(), "only the VC-API is open");
            assertEquals(401, send("GET", base + "/metrics", null, null, Map.of()).statusCode(), "metrics need the metrics token");
            assertTrue(send("GET", base + "/metrics", null, METRICS, Map.of()).body()
                    .contains("tabard_issuer_credentials_issued_total{format=\"eddsa_jcs_2022\",server=\"issuer\"} 1.0\n"));
        } finally {
            p.destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        }
        List<JsonNode> warnings = new ArrayList<>();
        for (String line : Files.readString(dir.resolve("err.txt")).split("\n")) {
            if (!line.isBlank()) {
                JsonNode l = JsonCodec.parse(line); // the warning is a JSON line like every other
                if ("vc-api-open".equals(fields(l).get("event"))) {
                    warnings.add(l);
                }
            }
        }
        assertEquals(1, warnings.size());
        assertEquals("WARN", warnings.get(0).get("level").asText());
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES) // the start and the load, each with its own deadline, fit in this
    void serve_sigtermUnderIssuanceLoad_everyAnsweredIssuanceIsStoredAndTheAuditChainVerifies() throws Exception {
        Process p = serve(Map.of("TABARD_SECRET", SECRET, "TABARD_ADMIN_TOKEN", ADMIN, "TABARD_ISSUER_DID_METHOD", "key"),
                "--port", "0", "--data", dir.resolve("data").toString(), "--public-url", "http://localhost");
        String base = base();
        Did agent = KeyDids.of(KeyPair.generate(KeyType.ED25519, new SecureRandom()).publicKey());
        assertEquals(201, send("POST", base + "/admin/agents", agentJson(agent), ADMIN, Map.of()).statusCode());
        Set<String> answered = ConcurrentHashMap.newKeySet();
        List<Integer> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (int t = 0; t < 8; t++) {
            pool.submit(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<String> r = send("POST", base + "/admin/agents/" + agent + "/credentials", null, ADMIN, Map.of());
                        if (r.statusCode() / 100 == 2) {
                            answered.add(JsonCodec.parse(r.body()).get("id").asText());
                        } else {
                            failures.add(r.statusCode());
                        }
                    } catch (Exception e) {
                        return null; // the issuer has stopped listening
                    }
                }
                return null;
            });
        }
        Instant deadline = Instant.now().plus(LOAD);
        while (answered.size() < 300 && Instant.now().isBefore(deadline) && !p.waitFor(10, TimeUnit.MILLISECONDS)) {
            continue; // waits on the process: an issuer that dies under load ends the wait at once
        }
        assertTrue(p.isAlive(), "the issuer died under load: " + Files.readString(dir.resolve("err.txt")));
        assertTrue(answered.size() >= 300, "only " + answered.size() + " issuances answered in " + LOAD);
        p.destroy(); // SIGTERM: the shutdown hook runs while requests are in flight
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the issuer did not stop");
        running.set(false);
        pool.shutdown();
        assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
        assertEquals(143, p.exitValue(), "128 + SIGTERM");
        assertTrue(answered.size() >= 300, "answered " + answered.size());
        // requests in flight finish; later ones are refused (503 or a closed connection), never failed half-way
        assertTrue(failures.stream().allMatch(s -> s == 503), "failed requests: " + failures);
        assertTrue(Files.readString(dir.resolve("err.txt")).contains("\"issuer stopped\""), "the hook ran to the end");

        Path db = dir.resolve("data/issuer.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            assertEquals("ok", scalar(c, "PRAGMA integrity_check"));
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM credentials WHERE id = ?")) {
                for (String id : answered) {
                    ps.setString(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        assertEquals(1, rs.getInt(1), "answered 201 but not stored: " + id);
                    }
                }
            }
            long credentials = Long.parseLong(scalar(c, "SELECT COUNT(*) FROM credentials"));
            assertEquals(Long.toString(credentials), scalar(c, "SELECT COUNT(*) FROM audit WHERE action = 'credential.issue'"));
            assertEquals(Long.toString(credentials * 2), scalar(c, "SELECT COUNT(*) FROM status_allocations"));
        }
        try (SqliteIssuerStore store = SqliteIssuerStore.open(db, Clock.systemUTC(), new SecureRandom())) {
            var verdict = AuditLog.verify(store, Optional.empty());
            assertTrue(verdict.intact(), verdict.message());
            assertEquals(verdict.entries(), verdict.signedHeadSeq(), "every answered change ends in a signed head");
        }
    }

    private static String scalar(Connection c, String sql) throws Exception {
        try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
