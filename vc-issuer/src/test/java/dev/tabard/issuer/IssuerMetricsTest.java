package dev.tabard.issuer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.key.KeyDidResolver;
import dev.tabard.did.key.KeyDids;
import dev.tabard.http.MetricsAccess;
import dev.tabard.http.ServiceMetrics;
import dev.tabard.http.TransportLimits;
import dev.tabard.http.testing.PrometheusText;
import dev.tabard.issuer.http.IssuerServer;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.Verifier;
import dev.tabard.verifier.http.VerifierServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The issuer's meters, scraped from a real started server over HTTP after real issuances and status changes. */
@Timeout(60)
class IssuerMetricsTest {

    private static final String ADMIN = "tabard_SjqiBDmmH4UhlFuhiHv67kpuVU73HHbdggMirA6LT2k";
    private static final String METRICS = "issuer-metrics-token-0123456789";
    private static final String CREDENTIALS_ROUTE = "/admin/agents/{did}/credentials";
    private final Did agent = KeyDids.of(KeyPair.generate(KeyType.ED25519, new SecureRandom()).publicKey());
    private final HttpClient client = HttpClient.newHttpClient();
    @TempDir
    Path dir;
    private IssuerServer server;

    @BeforeEach
    void start() {
        IssuerConfig config = new IssuerConfig(dir, URI.create("https://issuer.example"), "web", "ACME Corp", "correct horse".toCharArray(),
                Duration.ofHours(1), Optional.of(ADMIN), 0);
        server = IssuerServer.start(config, Optional.empty(), Clock.systemUTC(), IssuerServer.VcApiAccess.TOKEN,
                new IssuerServer.Transport(TransportLimits.defaults(), MetricsAccess.bearerToken(METRICS)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.header("Authorization", "Bearer " + token);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private PrometheusText scrape() throws Exception {
        HttpResponse<String> m = send("GET", "/metrics", null, METRICS);
        assertEquals(200, m.statusCode(), m.body());
        assertEquals(ServiceMetrics.CONTENT_TYPE, m.headers().firstValue("content-type").orElse(""));
        return PrometheusText.parse(m.body());
    }

    private static double issued(PrometheusText m, String format) {
        return m.value("tabard_issuer_credentials_issued_total", Map.of("server", "issuer", "format", format));
    }

    @Test
    void scrape_afterIssuancesStatusChangesAndAFailure_seriesMovedByExactlyThat() throws Exception {
        PrometheusText before = scrape();
        assertEquals(0.0, issued(before, "vc_jwt"), "every format is there from the start, at 0");
        assertEquals(0.0, issued(before, "ecdsa_jcs_2019"));
        assertEquals(0.0, issued(before, IssuerMetrics.SD_JWT_FORMAT));
        assertEquals("histogram", before.types().get("tabard_issuer_issuance_duration_seconds"));

        String agentJson = "{\"did\":\"" + agent + "\",\"name\":\"procurement-agent\",\"operator\":{\"name\":\"Procurement\","
                + "\"email\":\"p@acme.example\"},\"capabilities\":[\"supplier:lookup\"]}";
        assertEquals(201, send("POST", "/admin/agents", agentJson, ADMIN).statusCode());
        HttpResponse<String> jwt = send("POST", "/admin/agents/" + agent + "/credentials", null, ADMIN);
        assertEquals(201, jwt.statusCode(), jwt.body());
        assertEquals(201, send("POST", "/admin/agents/" + agent + "/credentials?format=eddsa-rdfc-2022", null, ADMIN).statusCode());
        Did stranger = KeyDids.of(KeyPair.generate(KeyType.ED25519, new SecureRandom()).publicKey());
        assertEquals(403, send("POST", "/admin/agents/" + stranger + "/credentials", null, ADMIN).statusCode(), "not registered");
        HttpResponse<String> sdJwt = send("POST", "/admin/agents/" + agent + "/credentials?format=dc%2Bsd-jwt", null, ADMIN);
        assertEquals(201, sdJwt.statusCode(), sdJwt.body());
        assertEquals(403, send("POST", "/admin/agents/" + stranger + "/credentials?format=dc%2Bsd-jwt", null, ADMIN).statusCode());
        String id = dev.tabard.codec.JsonCodec.parse(jwt.body()).get("id").asText();
        assertEquals(204, send("POST", "/admin/credentials/" + id + "/suspend", null, ADMIN).statusCode());
        assertEquals(204, send("POST", "/admin/credentials/" + id + "/revoke", null, ADMIN).statusCode());

        PrometheusText after = scrape();
        assertEquals(1.0, issued(after, "vc_jwt"));
        assertEquals(1.0, issued(after, "eddsa_rdfc_2022"));
        assertEquals(0.0, issued(after, "ecdsa_jcs_2019"));
        assertEquals(1.0, issued(after, IssuerMetrics.SD_JWT_FORMAT));
        assertEquals(2.0, after.value("tabard_issuer_issuance_failures_total", Map.of()), "the stranger's vc+jwt and SD-JWT VC");
        assertEquals(3.0, after.value("tabard_issuer_issuance_duration_seconds_count", Map.of()));
        assertEquals(3.0, after.value("tabard_issuer_issuance_duration_seconds_bucket", Map.of("le", "+Inf")));
        assertTrue(after.value("tabard_issuer_issuance_duration_seconds_sum", Map.of()) > 0);
        assertEquals(1.0, after.value("tabard_issuer_status_changes_total", Map.of("action", "suspend")));
        assertEquals(1.0, after.value("tabard_issuer_status_changes_total", Map.of("action", "revoke")));
        assertEquals(0.0, after.value("tabard_issuer_status_changes_total", Map.of("action", "reinstate")));

        Map<String, String> created = Map.of("server", "issuer", "route", CREDENTIALS_ROUTE, "method", "POST", "status", "201");
        assertEquals(3.0, after.value("tabard_http_requests_seconds_count", created));
        assertEquals(2.0, after.value("tabard_http_requests_seconds_count", Map.of("route", CREDENTIALS_ROUTE, "status", "403")));
        assertEquals(2.0, after.value("tabard_http_requests_seconds_count", Map.of("route", "/admin/credentials/{id}/{action}",
                "status", "204")));
        assertEquals(1.0, after.value("tabard_http_requests_seconds_count", Map.of("route", "/metrics", "status", "200")),
                "the first scrape, counted once it was answered");
        for (PrometheusText.Sample s : after.samples()) {
            assertEquals("issuer", s.labels().get("server"), s.toString());
            assertFalse(s.labels().values().stream().anyMatch(v -> v.contains("did:") || v.contains(id)), s.toString());
        }
    }

    /** One dashboard reads both servers: the request timer has the same name, type and labels in each. */
    @Test
    void requestTimer_issuerAndVerifier_shareNameTypeAndLabels() throws Exception {
        Verifier verifier = Verifier.builder().resolver(new KeyDidResolver()).trustPolicy(TrustPolicy.builder().trustIssuer(agent).build())
                .build();
        try (VerifierServer v = VerifierServer.builder(verifier).domain("https://verifier.example")
                .metrics(MetricsAccess.separateListener(new InetSocketAddress("127.0.0.1", 0))).start()) {
            HttpResponse<String> challenge = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + v.port() + "/challenges"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, challenge.statusCode(), challenge.body());
            PrometheusText verifierMetrics = PrometheusText.parse(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + v.metricsPort().orElseThrow() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body());
            assertEquals(200, send("GET", "/healthz", null, ADMIN).statusCode());
            PrometheusText issuerMetrics = scrape();

            for (PrometheusText m : List.of(issuerMetrics, verifierMetrics)) {
                assertEquals("histogram", m.types().get("tabard_http_requests_seconds"));
                List<PrometheusText.Sample> counts = m.find("tabard_http_requests_seconds_count", Map.of());
                assertFalse(counts.isEmpty());
                for (PrometheusText.Sample s : counts) {
                    assertEquals(Set.of("server", "route", "method", "status"), s.labels().keySet(), s.toString());
                }
            }
            assertEquals(1.0, verifierMetrics.value("tabard_http_requests_seconds_count",
                    Map.of("server", "verifier", "route", "/challenges", "method", "POST", "status", "201")));
            assertEquals(1.0, issuerMetrics.value("tabard_http_requests_seconds_count",
                    Map.of("server", "issuer", "route", "/healthz", "method", "GET", "status", "200")));
        }
    }

    @Test
    void scrape_wrongOrNoToken_refused_andCountedUnderTheMetricsRoute() throws Exception {
        assertEquals(401, send("GET", "/metrics", null, ADMIN).statusCode(), "an admin token is not the metrics token");
        assertEquals(401, send("GET", "/metrics", null, METRICS + "x").statusCode());
        PrometheusText m = scrape();
        assertEquals(2.0, m.value("tabard_http_requests_seconds_count", Map.of("route", "/metrics", "method", "GET", "status", "401")));
    }
}
