package dev.tabard.verifier.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.key.KeyDidResolver;
import dev.tabard.did.key.KeyDids;
import dev.tabard.http.MetricsAccess;
import dev.tabard.http.ServiceMetrics;
import dev.tabard.http.testing.PrometheusText;
import dev.tabard.vc.AgentClaims;
import dev.tabard.vc.jose.EnvelopedCredential;
import dev.tabard.vc.jose.VcJose;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.Verifier;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The endpoint's meters, scraped from a real started verifier after real verifications. */
@Timeout(60)
class EndpointMetricsTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final KeyPair orgKey = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final Did org = KeyDids.of(orgKey.publicKey());
    private final Did agent = KeyDids.of(KeyPair.generate(KeyType.ED25519, RANDOM).publicKey());
    private final HttpClient client = HttpClient.newHttpClient();
    private VerifierServer server;

    @BeforeEach
    void start() {
        Verifier verifier = Verifier.builder().resolver(new KeyDidResolver()).trustPolicy(TrustPolicy.builder().trustIssuer(org).build())
                .build();
        server = VerifierServer.builder(verifier).domain("https://verifier.example").clock(Clock.systemUTC())
                .metrics(MetricsAccess.separateListener(new InetSocketAddress("127.0.0.1", 0))).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private PrometheusText scrape() throws Exception {
        HttpResponse<String> m = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.metricsPort().orElseThrow()
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, m.statusCode(), m.body());
        assertEquals(ServiceMetrics.CONTENT_TYPE, m.headers().firstValue("content-type").orElse(""));
        return PrometheusText.parse(m.body());
    }

    private String credentialRequest(KeyPair signer) {
        AgentClaims claims = new AgentClaims(agent, "agent", org, "ACME", new AgentClaims.Operator("Ops", Optional.empty()),
                Set.of("supplier:lookup"), AgentClaims.Constraints.none(), AgentClaims.Delegation.none());
        String jwt = VcJose.secureCredential(claims.credential(URI.create("urn:uuid:1"), now.minusSeconds(60), now.plusSeconds(600),
                List.of()), signer, KeyDids.methodId(orgKey.publicKey()), now);
        ObjectNode req = JsonCodec.objectNode();
        req.set("verifiableCredential", EnvelopedCredential.of(jwt));
        return req.toString();
    }

    @Test
    void scrape_afterVerificationsAndAChallenge_outcomesProblemsAndRequestsMoved() throws Exception {
        PrometheusText before = scrape();
        assertEquals(0.0, before.value("tabard_verifier_results_total", Map.of("verified", "true")));
        assertEquals(0.0, before.value("tabard_verifier_problems_total", Map.of("type", "CRYPTOGRAPHIC_SECURITY_ERROR")));
        assertEquals(0.0, before.value("tabard_verifier_open_challenges", Map.of("server", "verifier")));

        assertEquals(200, post("/credentials/verify", credentialRequest(orgKey)).statusCode());
        assertEquals(200, post("/credentials/verify", credentialRequest(orgKey)).statusCode());
        HttpResponse<String> forged = post("/credentials/verify", credentialRequest(KeyPair.generate(KeyType.ED25519, RANDOM)));
        assertEquals(400, forged.statusCode(), forged.body());
        assertEquals(201, post("/challenges", "{}").statusCode());
        assertEquals(400, post("/credentials/verify", "{}").statusCode(), "no credential: a malformed request, not a verification");

        PrometheusText after = scrape();
        assertEquals(2.0, after.value("tabard_verifier_results_total", Map.of("server", "verifier", "verified", "true")));
        assertEquals(1.0, after.value("tabard_verifier_results_total", Map.of("verified", "false")));
        assertEquals(1.0, after.value("tabard_verifier_problems_total", Map.of("type", "CRYPTOGRAPHIC_SECURITY_ERROR")));
        assertEquals(0.0, after.value("tabard_verifier_problems_total", Map.of("type", "MALFORMED_VALUE_ERROR")),
                "a refused request is no verification result");
        assertEquals(1.0, after.value("tabard_verifier_open_challenges", Map.of()));
        Map<String, String> verify = Map.of("server", "verifier", "route", "/credentials/verify", "method", "POST");
        assertEquals(2.0, after.value("tabard_http_requests_seconds_count", with(verify, "status", "200")));
        assertEquals(2.0, after.value("tabard_http_requests_seconds_count", with(verify, "status", "400")));
        assertEquals(1.0, after.value("tabard_http_requests_seconds_count", Map.of("route", "/challenges", "status", "201")));
        assertTrue(after.value("tabard_http_requests_seconds_sum", with(verify, "status", "200")) > 0);
        for (PrometheusText.Sample s : after.samples()) {
            assertFalse(s.labels().values().stream().anyMatch(v -> v.contains("did:")), s.toString());
        }
    }

    private static Map<String, String> with(Map<String, String> labels, String name, String value) {
        Map<String, String> out = new java.util.HashMap<>(labels);
        out.put(name, value);
        return out;
    }
}
