package dev.tabard.vectors.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.audit.AuditFile;
import dev.tabard.audit.AuditLog;
import dev.tabard.audit.AuditVerdict;
import dev.tabard.codec.JsonCodec;
import dev.tabard.gate.DecisionLog;
import dev.tabard.gate.Gate;
import dev.tabard.gate.GateIdentity;
import dev.tabard.gate.http.GatePlugin;
import dev.tabard.http.HttpService;
import dev.tabard.httpsig.ContentDigest;
import dev.tabard.httpsig.HttpFields;
import dev.tabard.httpsig.HttpMessage;
import dev.tabard.httpsig.MessageSignatures;
import dev.tabard.httpsig.SignatureFields;
import dev.tabard.httpsig.SignatureParameters;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.jose.VcJose;
import dev.tabard.vectors.wallet.LocalIssuer;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.Verifier;
import dev.tabard.verifier.calls.AgentCalls;
import dev.tabard.wallet.Wallet;
import dev.tabard.wallet.call.AgentHttpClient;
import dev.tabard.wallet.call.AgentRequest;
import dev.tabard.wallet.call.AgentResponse;
import dev.tabard.wallet.delegation.DelegationRequest;
import dev.tabard.wallet.oid4vci.IssuanceClient;
import dev.tabard.wallet.present.PresentationRequest;
import dev.tabard.wallet.store.CredentialQuery;
import dev.tabard.wallet.store.HeldDelegation;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Revocation seen by the gate, with a real issuer: the organization's issuer (did:web on localhost over HTTPS, its admin
 * API) enrolls the agents, a gate on 127.0.0.1 binds them on first contact, and once the organization revokes a
 * credential or a registered delegation link, the bound caller's next call and any fresh presentation are refused 401
 * with {@code CREDENTIAL_REVOKED}. The gate rechecks a binding on every call here ({@code statusRecheck} of 1 ms) and
 * its verifier keeps no status list ({@code statusListMaxAge(ZERO)}), so the revocation is seen at once.
 */
@Timeout(120)
class GateRevocationTest {

    private static final String ADMIN = "tabard_gate-revocation_Wm4xT7pQ2sK9vB3nL6cR8dF1hJ5";
    @TempDir
    Path dir;
    private LocalIssuer issuer;
    private Verifier verifier;
    private Wallet gateAgent;
    private Gate gate;
    private HttpService http;
    private Path log;

    @BeforeEach
    void start() throws Exception {
        issuer = new LocalIssuer(dir.resolve("issuer"), ADMIN);
        verifier = Verifier.builder().trustPolicy(TrustPolicy.builder().trustWebDomain("localhost")
                        .formats(TrustPolicy.Format.VC_JWT, TrustPolicy.Format.DATA_INTEGRITY, TrustPolicy.Format.DC_SD_JWT).build())
                .fetchPolicy(issuer.fetcher.policy()).statusListMaxAge(Duration.ZERO).build();
        gateAgent = enrolled("gate", "[\"orders:answer\"]", false);
        GateIdentity identity = new GateIdentity(gateAgent.keyId(), gateAgent.signer(), (challenge, audience) ->
                gateAgent.present(new PresentationRequest(challenge, audience, Set.of(), Set.of())));
        log = dir.resolve("decisions.jsonl");
        gate = Gate.builder(verifier, identity, GateVectors.routes(),
                        DecisionLog.open(log, gateAgent.signer(), gateAgent.keyId(), Clock.systemUTC()))
                .statusRecheck(Duration.ofMillis(1)).build();
        http = HttpService.builder("gate-revocation").maxHeaderBytes(32 * 1024).build();
        GatePlugin.install(http.app(), gate);
        http.app().post("/orders", ctx -> ctx.json(Map.of("placed", true)));
        http.start();
    }

    @AfterEach
    void stop() {
        http.close();
        gate.close();
        gateAgent.close();
        issuer.close();
    }

    private Wallet wallet(String name) {
        return Wallet.open(dir.resolve(name + ".wallet"), "secret".toCharArray(), verifier,
                new IssuanceClient(issuer.fetcher, Clock.systemUTC()), Clock.systemUTC());
    }

    /** An agent registered with the issuer (orders up to 500 EUR) and holding the AgentCredential it issued. */
    private Wallet enrolled(String name, String capabilities, boolean mayDelegate) throws Exception {
        Wallet w = wallet(name);
        issuer.admin("POST", "/admin/agents", "{\"did\":\"" + w.did() + "\",\"name\":\"" + name + "-agent\",\"operator\":{\"name\":\"Ops\"},"
                + "\"capabilities\":" + capabilities + ",\"constraints\":{\"maxTransactionValue\":{\"amount\":\"500\",\"currency\":\"EUR\"},"
                + "\"dataRegions\":[\"EU\"]},\"delegation\":{\"allowed\":" + mayDelegate + ",\"maxDepth\":" + (mayDelegate ? 1 : 0) + "}}");
        w.store(issuer.admin("POST", "/admin/agents/" + w.did() + "/credentials", null).get("vcJwt").asText());
        return w;
    }

    private AgentHttpClient client(Wallet w) {
        return AgentHttpClient.of(w, verifier, HttpClient.newHttpClient(), Clock.systemUTC());
    }

    private AgentResponse order(AgentHttpClient client, String eur) {
        return client.send(AgentRequest.post(URI.create("http://127.0.0.1:" + http.port() + "/orders"), "application/json",
                ("{\"total\": {\"value\": \"" + eur + "\", \"currency\": \"EUR\"}}").getBytes(StandardCharsets.UTF_8))
                .exercising("orders:place"));
    }

    /**
     * A first-contact order signed by {@code w}'s key as the agent-call profile asks, carrying a vp+jwt of {@code chain}
     * made without the wallet's own checks.
     */
    private HttpResponse<String> presentedByHand(Wallet w, List<String> chain, String eur) throws Exception {
        URI target = URI.create("http://127.0.0.1:" + http.port() + "/orders");
        byte[] body = ("{\"total\": {\"value\": \"" + eur + "\", \"currency\": \"EUR\"}}").getBytes(StandardCharsets.UTF_8);
        String nonce = "by-hand-" + UUID.randomUUID();
        Instant now = Instant.now();
        String vp = VcJose.securePresentation(VcJose.presentationOf(chain), w.signer(), w.keyId(), nonce, "http://127.0.0.1:" + http.port(),
                "urn:uuid:" + UUID.randomUUID(), now, now.plus(Duration.ofMinutes(5)));
        HttpFields f = HttpFields.empty().with("content-type", "application/json").with("content-digest", ContentDigest.sha256(body))
                .with(AgentCalls.PRESENTATION, vp);
        SignatureFields sig = MessageSignatures.sign(HttpMessage.request("POST", target, f), "sig1", AgentCalls.requestComponents(f),
                SignatureParameters.none().withCreated(now).withExpires(now.plusSeconds(30)).withNonce(nonce).withKeyid(w.keyId().toString()),
                w.signer());
        f = f.with("signature-input", sig.signatureInput()).with("signature", sig.signature());
        HttpRequest.Builder b = HttpRequest.newBuilder(target).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        f.asMap().forEach((k, vs) -> vs.forEach(v -> b.header(k, v)));
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A 401 whose problems name the revocation. */
    private static void assertRevoked(AgentResponse r) {
        assertEquals(401, r.status(), r.bodyText());
        JsonNode problem = JsonCodec.parse(r.body());
        assertEquals("UNAUTHORIZED", problem.path("code").asText(), r.bodyText());
        assertTrue(r.bodyText().contains(ProblemType.CREDENTIAL_REVOKED.code()), r.bodyText());
    }

    private List<String> refusedForRevocation() throws Exception {
        return Files.readAllLines(log).stream().filter(l -> l.contains("call.refused") && l.contains(ProblemType.CREDENTIAL_REVOKED.code()))
                .toList();
    }

    @Test
    void aBoundAgentWhoseCredentialIsRevoked_isRefusedOnItsNextCall_andOnAFreshPresentation() throws Exception {
        try (Wallet agent = enrolled("buyer", "[\"orders:place\"]", false)) {
            AgentHttpClient client = client(agent);
            AgentResponse first = order(client, "120.00");
            assertEquals(200, first.status(), first.bodyText());
            assertEquals(gateAgent.did(), first.server().identity().agent());
            AgentResponse second = order(client, "80.00");
            assertEquals(200, second.status(), second.bodyText());
            assertEquals(first.receipt().orElseThrow().seq() + 1, second.receipt().orElseThrow().seq());

            String credential = agent.credentials(CredentialQuery.all()).get(0).id();
            issuer.admin("POST", "/admin/credentials/" + credential + "/revoke", null);

            assertRevoked(order(client, "80.00"));
            // a caller that starts over presents its credential again: the presentation is refused, and recorded
            assertRevoked(order(client(agent), "80.00"));
            assertEquals(2, gate.acceptedCount());
            assertTrue(gate.refusedCounts().getOrDefault(ProblemType.UNAUTHORIZED, 0L) >= 2, gate.refusedCounts()::toString);
        }
        gate.close();
        AuditVerdict verdict = AuditLog.verify(AuditFile.read(log), Optional.empty());
        assertTrue(verdict.intact(), verdict.message());
        // both refusals are decisions: the bound caller's next call, and the fresh presentation
        List<String> refused = refusedForRevocation();
        assertEquals(2, refused.size(), String.join("\n", Files.readAllLines(log)));
        assertTrue(refused.get(0).contains("\"firstContact\":false"), refused.get(0));
        assertTrue(refused.get(1).contains("\"firstContact\":true"), refused.get(1));
    }

    /**
     * An agent that holds only an SD-JWT VC, its spending limit private: the client presents it with its constraints
     * disclosed and key-bound to the gate's nonce, the gate binds it and holds it to the limit, and once the organization
     * revokes it the binding's recheck and a fresh presentation are both refused.
     */
    @Test
    void anAgentHoldingOnlyAnSdJwtVc_isBoundHeldToItsPrivateLimit_andRefusedOnceRevoked() throws Exception {
        try (Wallet agent = wallet("sd-jwt-buyer")) {
            issuer.admin("POST", "/admin/agents", "{\"did\":\"" + agent.did() + "\",\"name\":\"sd-jwt-buyer\",\"operator\":{\"name\":\"Ops\","
                    + "\"email\":\"ops@acme.example\"},\"capabilities\":[\"orders:place\"],\"constraints\":{\"maxTransactionValue\":"
                    + "{\"amount\":\"500\",\"currency\":\"EUR\"}},\"privateConstraints\":[\"maxTransactionValue\"]}");
            agent.receive(issuer.admin("POST", "/admin/agents/" + agent.did() + "/offer?format=dc%2Bsd-jwt", null).get("offer_url").asText());
            assertEquals(1, agent.credentials(CredentialQuery.all()).size());

            AgentHttpClient client = client(agent);
            AgentResponse first = order(client, "120.00");
            assertEquals(200, first.status(), first.bodyText());
            assertEquals(gateAgent.did(), first.server().identity().agent());
            AgentResponse tooMuch = order(client, "800.00");
            assertEquals(403, tooMuch.status(), tooMuch.bodyText());
            assertTrue(tooMuch.bodyText().contains("CONSTRAINT_VIOLATED"), tooMuch.bodyText());

            String credential = issuer.admin("GET", "/admin/agents/" + agent.did() + "/credentials", null).get("credentials").get(0)
                    .get("id").asText();
            issuer.admin("POST", "/admin/credentials/" + credential + "/revoke", null);
            assertRevoked(order(client, "80.00"));
            assertRevoked(order(client(agent), "80.00"));
        }
    }

    @Test
    void aDelegateBoundThroughARegisteredLink_isRefusedOnceTheLinkIsRevoked_whileItsDelegatorGoesOn() throws Exception {
        try (Wallet a = enrolled("delegator", "[\"orders:place\"]", true); Wallet b = wallet("delegate")) {
            HeldDelegation link = a.delegate(DelegationRequest.to(b.did(), Set.of("orders:place")).maxTransactionValue("250", "EUR")
                    .lasting(Duration.ofMinutes(45)).registered());
            assertEquals(HeldDelegation.Registration.REGISTERED, link.registration());
            b.receiveDelegation(Wallet.handover(link));
            AgentHttpClient delegate = client(b);
            AgentHttpClient delegator = client(a);
            AgentResponse bound = order(delegate, "100.00");
            assertEquals(200, bound.status(), bound.bodyText());
            assertEquals(200, order(delegate, "90.00").status());
            assertEquals(200, order(delegator, "300.00").status());

            issuer.admin("POST", "/admin/credentials/" + link.id() + "/revoke", null);

            assertRevoked(order(delegate, "90.00"));
            // B's wallet no longer presents a chain whose link is revoked; presented anyway, the gate refuses it
            assertEquals(ProblemType.MISSING_CAPABILITY, assertThrows(ProblemException.class, () -> order(client(b), "90.00")).type());
            HttpResponse<String> fresh = presentedByHand(b, link.chain(), "90.00");
            assertEquals(401, fresh.statusCode(), fresh.body());
            assertEquals("UNAUTHORIZED", JsonCodec.parse(fresh.body()).path("code").asText(), fresh.body());
            assertTrue(fresh.body().contains(ProblemType.CREDENTIAL_REVOKED.code()), fresh.body());
            // the organization revoked the link, not the agent that gave it
            AgentResponse stillOn = order(delegator, "300.00");
            assertEquals(200, stillOn.status(), stillOn.bodyText());
        }
        gate.close();
        List<String> refused = refusedForRevocation();
        assertEquals(2, refused.size(), String.join("\n", Files.readAllLines(log)));
    }
}
