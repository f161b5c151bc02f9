package dev.tabard.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyType;
import dev.tabard.gate.http.GateServer;
import dev.tabard.http.HttpService;
import dev.tabard.vc.AgentClaims;
import dev.tabard.wallet.Wallet;
import dev.tabard.wallet.call.AgentHttpClient;
import dev.tabard.wallet.call.AgentRequest;
import dev.tabard.wallet.call.AgentResponse;
import java.net.URI;
import java.net.http.HttpClient;
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
