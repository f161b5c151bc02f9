package dev.tabard.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyType;
import dev.tabard.gate.http.GateServer;
import dev.tabard.http.HttpService;
import dev.tabard.http.MetricsAccess;
import dev.tabard.http.ServiceMetrics;
import dev.tabard.http.testing.PrometheusText;
import dev.tabard.vc.AgentClaims;
import dev.tabard.wallet.Wallet;
import dev.tabard.wallet.call.AgentHttpClient;
import dev.tabard.wallet.call.AgentRequest;
import dev.tabard.wallet.call.AgentResponse;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gate as a reverse proxy: what reaches the service behind it, and what happens when that service fails. */
class GateServerTest {

    @TempDir
    Path dir;

    private final TwoOrgs orgs = new TwoOrgs(Clock.systemUTC());

    private Gate gate(Wallet supplier, String log) {
        return Gate.builder(orgs.gateVerifier, TwoOrgs.identity(supplier), GatePluginTest.routes(),
                        DecisionLog.open(dir.resolve(log), supplier.signer(), supplier.keyId(), Clock.systemUTC()))
                .limits(GateLimits.defaults().withBreaker(new GateLimits.Breaker(3, Duration.ofMinutes(1), Duration.ofMinutes(1)))).build();
    }

    @Test
    void failingUpstreamAnswersAreSignedAndPauseTheCaller() throws Exception {
        try (Wallet supplier = orgs.supplier(dir);
             Wallet buyer = orgs.buyer(dir, "buyer", KeyType.ED25519, Set.of("orders:read"), "10", AgentClaims.Delegation.none())) {
            AtomicInteger calls = new AtomicInteger();
            HttpService upstream = HttpService.builder("failing").build();
            upstream.app().get("/orders/{id}", ctx -> {
                calls.incrementAndGet();
                ctx.status(500).json(Map.of("error", "database down"));
            });
            upstream.start();
            try (GateServer proxy = GateServer.builder(gate(supplier, "a.jsonl"), URI.create("http://127.0.0.1:" + upstream.port())).port(0).start()) {
                AgentHttpClient client = AgentHttpClient.of(buyer, orgs.buyerVerifier, HttpClient.newHttpClient(), Clock.systemUTC());
                for (int i = 0; i < 3; i++) {
                    AgentResponse r = client.send(AgentRequest.get(URI.create("http://127.0.0.1:" + proxy.port() + "/orders/" + i)));
                    assertEquals(500, r.status(), "the upstream's own answer, signed by the gate");
                }
                AgentResponse paused = client.send(AgentRequest.get(URI.create("http://127.0.0.1:" + proxy.port() + "/orders/9")));
                assertEquals(503, paused.status(), paused.bodyText());
                assertEquals("AGENT_PAUSED", JsonCodec.parse(paused.body()).path("code").asText());
                assertEquals(3, calls.get(), "a paused caller's call never reaches the service");
            } finally {
                upstream.close();
            }
        }
    }

    /** The gate's /metrics: on its own listener only, unsigned there, counting calls by route template and status. */
    @Test
    void metrics_separateListener_countsAcceptedAndRefusedCallsByRouteTemplate() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> GateServer.builder(gate(orgs.supplier(dir), "m0.jsonl"), URI.create("http://127.0.0.1:1"))
                .metrics(MetricsAccess.bearerToken("gate-metrics-token-0123456789")), "no bearer token on the gate's own port");
        try (Wallet supplier = orgs.supplier(dir);
             Wallet buyer = orgs.buyer(dir, "buyer", KeyType.ED25519, Set.of("orders:read"), "10", AgentClaims.Delegation.none())) {
            HttpService upstream = HttpService.builder("orders").build();
            upstream.app().get("/orders/{id}", ctx -> ctx.json(Map.of("id", ctx.pathParam("id"))));
            upstream.start();
            try (GateServer proxy = GateServer.builder(gate(supplier, "m.jsonl"), URI.create("http://127.0.0.1:" + upstream.port()))
                    .metrics(MetricsAccess.separateListener(new InetSocketAddress("127.0.0.1", 0))).start()) {
                AgentHttpClient client = AgentHttpClient.of(buyer, orgs.buyerVerifier, HttpClient.newHttpClient(), Clock.systemUTC());
                assertEquals(200, client.send(AgentRequest.get(URI.create("http://127.0.0.1:" + proxy.port() + "/orders/1"))).status());
                assertEquals(200, client.send(AgentRequest.get(URI.create("http://127.0.0.1:" + proxy.port() + "/orders/2"))).status());
                HttpClient plain = HttpClient.newHttpClient();
                HttpResponse<String> unsigned = plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + "/orders/3"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(401, unsigned.statusCode(), unsigned.body());
                HttpResponse<String> onGatePort = plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + "/metrics"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(401, onGatePort.statusCode(), "on the gate's port /metrics is a call like any other: unsigned, refused");

                HttpResponse<String> scrape = plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.metricsPort().orElseThrow()
                        + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, scrape.statusCode(), scrape.body());
                PrometheusText m = PrometheusText.parse(scrape.body());
                Map<String, String> call = Map.of("server", "gate", "route", "/<path>", "method", "GET");
                assertEquals(2.0, m.value("tabard_http_requests_seconds_count", with(call, "200")));
                // refused in the gate's before handler, before any route matched: the unsigned call and the unsigned /metrics
                assertEquals(2.0, m.value("tabard_http_requests_seconds_count",
                        Map.of("server", "gate", "route", ServiceMetrics.UNMATCHED_ROUTE, "method", "GET", "status", "401")));
                assertEquals(0, m.find("tabard_http_requests_seconds_count", with(call, "401")).size());
            } finally {
                upstream.close();
            }
        }
    }

    private static Map<String, String> with(Map<String, String> labels, String status) {
        Map<String, String> out = new java.util.HashMap<>(labels);
        out.put("status", status);
        return out;
    }

    @Test
    void anUnreachableUpstreamIsA502ProblemSignedByTheGate() throws Exception {
        // a port held by a socket that never listens: connections are refused, and no other process can take it meanwhile
        try (java.net.Socket held = new java.net.Socket()) {
            held.bind(new java.net.InetSocketAddress(java.net.InetAddress.getByName("127.0.0.1"), 0));
            assertUpstreamFailed(held.getLocalPort());
        }
    }

    private void assertUpstreamFailed(int closed) throws Exception {
        try (Wallet supplier = orgs.supplier(dir);
             Wallet buyer = orgs.buyer(dir, "buyer", KeyType.ED25519, Set.of("orders:read"), "10", AgentClaims.Delegation.none());
             GateServer proxy = GateServer.builder(gate(supplier, "b.jsonl"), URI.create("http://127.0.0.1:" + closed)).port(0).start()) {
            AgentResponse r = AgentHttpClient.of(buyer, orgs.buyerVerifier, HttpClient.newHttpClient(), Clock.systemUTC())
                    .send(AgentRequest.get(URI.create("http://127.0.0.1:" + proxy.port() + "/orders/1")));
            assertEquals(502, r.status(), r.bodyText());
            assertEquals("UPSTREAM_FAILED", JsonCodec.parse(r.body()).path("code").asText());
            assertEquals(502, JsonCodec.parse(r.body()).path("status").asInt());
            assertTrue(r.receipt().isPresent());
        }
    }
}
