package dev.tabard.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.audit.AuditFile;
import dev.tabard.audit.AuditLog;
import dev.tabard.audit.AuditVerdict;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyType;
import dev.tabard.http.HttpService;
import dev.tabard.vc.AgentClaims;
import dev.tabard.verifier.AgentIdentity;
import dev.tabard.verifier.Verifier;
import dev.tabard.verifier.calls.DecisionReceipt;
import dev.tabard.wallet.Wallet;
import dev.tabard.wallet.call.AgentHttpClient;
import dev.tabard.wallet.call.AgentRequest;
import dev.tabard.wallet.call.AgentResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two organizations' agents calling through the gate, for real: a Javalin service on 127.0.0.1 behind the gate's
 * plugin, the buyer's wallet signing every request, both sides verifying each other's credentials.
 */
class GatePluginTest {

    @TempDir
    Path dir;

    private final TwoOrgs orgs = new TwoOrgs(Clock.systemUTC());
    private Wallet supplier;
    private Wallet buyer;
    private Gate gate;
    private HttpService http;
    private Path log;

    static RouteActions routes() {
        return new RouteActions(List.of(
                RouteActions.Route.of("POST", "/orders", "orders:place").amount(Param.parse("body:/total/value"), Param.parse("body:/total/currency")),
                RouteActions.Route.of("GET", "/orders/{id}", "orders:read").resource(Param.parse("path:id"))));
    }

    @BeforeEach
    void start() {
        supplier = orgs.supplier(dir);
        buyer = orgs.buyer(dir, "buyer", KeyType.ED25519, Set.of("orders:place", "orders:read"), "500", AgentClaims.Delegation.none());
        log = dir.resolve("decisions.jsonl");
        gate = Gate.builder(orgs.gateVerifier, TwoOrgs.identity(supplier), routes(),
                        DecisionLog.open(log, supplier.signer(), supplier.keyId(), Clock.systemUTC()))
                .limits(GateLimits.defaults().withCapability("orders:read", new GateLimits.Rate(3, Duration.ofMinutes(1)))
                        .withBreaker(new GateLimits.Breaker(5, Duration.ofMinutes(1), Duration.ofMinutes(2))))
                .build();
        http = TwoOrgs.orderService("gate-test", gate);
    }

    @AfterEach
    void stop() {
        http.close();
        gate.close();
        supplier.close();
        buyer.close();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + http.port() + path);
    }

    private AgentHttpClient client() {
        return AgentHttpClient.of(buyer, orgs.buyerVerifier, HttpClient.newHttpClient(), Clock.systemUTC());
    }

    private static byte[] order(String value) {
        return ("{\"total\": {\"value\": \"" + value + "\", \"currency\": \"EUR\"}}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void bothSidesAreProvenAndEveryDecisionIsLogged() {
        AgentHttpClient client = client();
        AgentResponse first = client.send(AgentRequest.post(uri("/orders"), "application/json", order("120.00")));
        assertEquals(200, first.status(), first.bodyText());
        assertEquals(supplier.did(), first.server().identity().agent());
        assertEquals(orgs.supplierOrg, first.server().identity().organization());
        assertEquals(buyer.did().toString(), JsonCodec.parse(first.body()).path("by").asText());
        DecisionReceipt r1 = first.receipt().orElseThrow();

        AgentResponse second = client.send(AgentRequest.get(uri("/orders/42")));
        assertEquals(200, second.status(), second.bodyText());
        assertEquals(r1.seq() + 1, second.receipt().orElseThrow().seq());

        AgentResponse tooMuch = client.send(AgentRequest.post(uri("/orders"), "application/json", order("900.00")));
        assertEquals(403, tooMuch.status());
        JsonNode problem = JsonCodec.parse(tooMuch.body());
        assertEquals("ACTION_FORBIDDEN", problem.path("code").asText());
        assertEquals(403, problem.path("status").asInt());
        assertTrue(tooMuch.bodyText().contains("CONSTRAINT_VIOLATED"), tooMuch.bodyText());

        AgentResponse unknown = client.send(AgentRequest.get(uri("/admin")));
        assertEquals(404, unknown.status());
        assertEquals("ROUTE_NOT_FOUND", JsonCodec.parse(unknown.body()).path("code").asText());

        gate.close();
        AuditVerdict verdict = AuditLog.verify(AuditFile.read(log), Optional.empty());
        assertTrue(verdict.intact(), verdict.message());
        List<String> lines = lines(log);
        assertTrue(lines.stream().anyMatch(l -> l.contains("call.accepted") && l.contains("\"firstContact\":true")), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.contains("call.accepted") && l.contains("\"firstContact\":false")));
        assertTrue(lines.stream().anyMatch(l -> l.contains("call.refused") && l.contains("CONSTRAINT_VIOLATED")));
    }

    @Test
    void aFloodIsLimitedThenTheCallerIsPaused() {
        AgentHttpClient client = client();
        int ok = 0;
        int limited = 0;
        AgentResponse last = null;
        for (int i = 0; i < 12; i++) {
            last = client.send(AgentRequest.get(uri("/orders/" + i)));
            if (last.status() == 200) {
                ok++;
            } else if (last.status() == 429) {
                limited++;
                assertTrue(last.fields().first("retry-after").isPresent());
            } else {
                break;
            }
        }
        assertEquals(3, ok);
        assertEquals(5, limited);
        assertEquals(503, last.status(), last.bodyText());
        assertEquals("AGENT_PAUSED", JsonCodec.parse(last.body()).path("code").asText());
        assertTrue(Long.parseLong(last.fields().first("retry-after").orElseThrow()) > 60);
        assertFalse(gate.refusedCounts().isEmpty());
    }

    @Test
    void readmeExample_signsACallAndVerifiesTheAnsweringAgent() {
        Wallet wallet = buyer;
        Verifier verifier = orgs.buyerVerifier;
        String gateUrl = "http://127.0.0.1:" + http.port();
        byte[] body = order("42.00");
        // README:gate-begin
        AgentHttpClient client = AgentHttpClient.of(wallet, verifier, HttpClient.newHttpClient(), Clock.systemUTC());
        AgentResponse answer = client.send(AgentRequest.post(URI.create(gateUrl + "/orders"), "application/json", body)
                .exercising("orders:place"));
        AgentIdentity supplierAgent = answer.server().identity();   // verified under this client's trust policy
        DecisionReceipt receipt = answer.receipt().orElseThrow();   // where the gate logged its decision
        // README:gate-end
        assertEquals(200, answer.status());
        assertEquals(orgs.supplierOrg, supplierAgent.organization());
        assertEquals(1, receipt.seq());
    }

    @Test
    void readme_gateExample_isTheTestedCode() throws java.io.IOException {
        String source = java.nio.file.Files.readString(Path.of("src/test/java/dev/tabard/gate/GatePluginTest.java"));
        java.util.regex.Matcher tested = java.util.regex.Pattern.compile("// README:gate-begin\\n(.*?)\\n\\s*// README:gate-end",
                java.util.regex.Pattern.DOTALL).matcher(source);
        assertTrue(tested.find(), "markers in this test");
        String readme = java.nio.file.Files.readString(Path.of("../README.md"));
        java.util.regex.Matcher shown = java.util.regex.Pattern.compile("<!-- embed-example: agent-gate/src/test/java/dev/tabard/gate/"
                + "GatePluginTest.java -->\\n```java\\n(.*?)\\n```", java.util.regex.Pattern.DOTALL).matcher(readme);
        assertTrue(shown.find(), "the README marks its gate example");
        assertEquals(normalize(tested.group(1)), normalize(shown.group(1)), "the README's gate example and GatePluginTest differ: change both");
    }

    private static String normalize(String code) {
        return code.lines().map(String::strip).filter(l -> !l.isEmpty()).reduce((a, b) -> a + "\n" + b).orElse("");
    }

    static List<String> lines(Path p) {
        try {
            return java.nio.file.Files.readAllLines(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
