package dev.tabard.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.crypto.Signer;
import dev.tabard.did.DidUrl;
import dev.tabard.http.HttpService;
import dev.tabard.httpsig.ComponentId;
import dev.tabard.httpsig.ContentDigest;
import dev.tabard.httpsig.HttpFields;
import dev.tabard.httpsig.HttpMessage;
import dev.tabard.httpsig.MessageSignatures;
import dev.tabard.httpsig.SignatureFields;
import dev.tabard.httpsig.SignatureParameters;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.AgentClaims;
import dev.tabard.verifier.calls.AgentCalls;
import dev.tabard.wallet.Wallet;
import dev.tabard.wallet.call.AgentHttpClient;
import dev.tabard.wallet.call.AgentRequest;
import dev.tabard.wallet.call.AgentResponse;
import dev.tabard.wallet.delegation.DelegationRequest;
import dev.tabard.wallet.present.PresentationRequest;
import dev.tabard.wallet.store.HeldDelegation;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each attack on the gate performed for real over HTTP on 127.0.0.1, with requests signed by hand so that each can be
 * bent one way: the refusal's problem type is asserted, and so is that an honest request still passes after it.
 */
class GateAdversarialTest {

    @TempDir
    Path dir;

    private final TwoOrgs orgs = new TwoOrgs(Clock.systemUTC());
    private final HttpClient raw = HttpClient.newHttpClient();
    private Wallet supplier;
    private Wallet buyer;
    private Gate gate;
    private HttpService http;

    @BeforeEach
    void start() {
        supplier = orgs.supplier(dir);
        buyer = orgs.buyer(dir, "buyer", KeyType.P256, Set.of("orders:place", "orders:read"), "500", new AgentClaims.Delegation(true, 1));
        gate = Gate.builder(orgs.gateVerifier, TwoOrgs.identity(supplier), GatePluginTest.routes(),
                DecisionLog.open(dir.resolve("decisions.jsonl"), supplier.signer(), supplier.keyId(), Clock.systemUTC())).build();
        http = TwoOrgs.orderService("gate-adversarial", gate);
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

    /** A request as the profile signs it, with {@code bend} applied to its fields after signing. */
    private HttpResponse<String> send(String method, String path, byte[] body, Signer signer, DidUrl keyId, boolean present,
                                      Instant created, String nonce, List<ComponentId> components, UnaryOperator<HttpFields> bend,
                                      byte[] sentBody) throws Exception {
        URI target = uri(path);
        HttpFields f = HttpFields.empty().with("content-digest", ContentDigest.sha256(body));
        if (body.length > 0) {
            f = f.with("content-type", "application/json");
        }
        if (present) {
            f = f.with(AgentCalls.PRESENTATION, buyer.present(new PresentationRequest(nonce, "http://127.0.0.1:" + http.port(), Set.of(), Set.of())));
        }
        SignatureParameters p = SignatureParameters.none().withCreated(created).withExpires(created.plusSeconds(30)).withNonce(nonce)
                .withKeyid(keyId.toString());
        List<ComponentId> covered = components != null ? components : AgentCalls.requestComponents(f);
        SignatureFields s = MessageSignatures.sign(HttpMessage.request(method, target, f), "sig1", covered, p, signer);
        f = bend.apply(f.with("signature-input", s.signatureInput()).with("signature", s.signature()));
        HttpRequest.Builder b = HttpRequest.newBuilder(target).method(method, sentBody.length == 0 ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(sentBody));
        f.asMap().forEach((k, vs) -> vs.forEach(v -> b.header(k, v)));
        return raw.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> honest(String path, boolean present, String nonce) throws Exception {
        return send("GET", path, new byte[0], buyer.signer(), buyer.keyId(), present, Instant.now(), nonce, null, f -> f, new byte[0]);
    }

    private static String nonce() {
        byte[] b = new byte[18];
        TwoOrgs.RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static void assertProblem(HttpResponse<String> r, int status, ProblemType type) {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode p = JsonCodec.parse(r.body());
        assertEquals(type.code(), p.path("code").asText(), r.body());
        assertEquals(status, p.path("status").asInt());
        assertTrue(r.headers().firstValue("signature").isPresent(), "refusals are signed too");
    }

    @Test
    void anUnboundKeyIsToldToPresentThenBindsWithItsPresentation() throws Exception {
        assertProblem(honest("/orders/1", false, nonce()), 401, ProblemType.PRESENTATION_REQUIRED);
        assertEquals(200, honest("/orders/1", true, nonce()).statusCode());
        assertEquals(200, honest("/orders/2", false, nonce()).statusCode());
    }

    @Test
    void replayedNonceExpiredCreatedAndUnsignedAreRefused() throws Exception {
        assertEquals(200, honest("/orders/1", true, nonce()).statusCode());
        String n = nonce();
        assertEquals(200, honest("/orders/3", false, n).statusCode());
        assertProblem(honest("/orders/3", false, n), 401, ProblemType.NONCE_REPLAYED);
        assertProblem(send("GET", "/orders/4", new byte[0], buyer.signer(), buyer.keyId(), false, Instant.now().minus(Duration.ofMinutes(7)),
                nonce(), null, f -> f, new byte[0]), 401, ProblemType.SIGNATURE_EXPIRED);
        assertProblem(send("GET", "/orders/4", new byte[0], buyer.signer(), buyer.keyId(), false, Instant.now(), nonce(), null,
                f -> f.without("signature").without("signature-input"), new byte[0]), 401, ProblemType.SIGNATURE_MISSING);
        assertEquals(200, honest("/orders/5", false, nonce()).statusCode());
    }

    @Test
    void aBodySwappedAfterSigningOrADroppedComponentIsRefused() throws Exception {
        assertEquals(200, honest("/orders/1", true, nonce()).statusCode());
        byte[] order = "{\"total\": {\"value\": \"10.00\", \"currency\": \"EUR\"}}".getBytes(StandardCharsets.UTF_8);
        byte[] bigger = "{\"total\": {\"value\": \"99.00\", \"currency\": \"EUR\"}}".getBytes(StandardCharsets.UTF_8);
        assertProblem(send("POST", "/orders", order, buyer.signer(), buyer.keyId(), false, Instant.now(), nonce(), null, f -> f, bigger),
                401, ProblemType.SIGNATURE_INVALID);
        // the digest recomputed for the new body, but the signature covers the old digest
        assertProblem(send("POST", "/orders", order, buyer.signer(), buyer.keyId(), false, Instant.now(), nonce(), null,
                f -> f.with("content-digest", ContentDigest.sha256(bigger)), bigger), 401, ProblemType.SIGNATURE_INVALID);
        // content-digest left out of the covered set
        assertProblem(send("POST", "/orders", order, buyer.signer(), buyer.keyId(), false, Instant.now(), nonce(),
                List.of(ComponentId.METHOD, ComponentId.TARGET_URI, ComponentId.field("content-type")), f -> f, order),
                401, ProblemType.SIGNATURE_INVALID);
        assertEquals(200, send("POST", "/orders", order, buyer.signer(), buyer.keyId(), false, Instant.now(), nonce(), null, f -> f, order)
                .statusCode());
    }

    @Test
    void aKeyidOfAnotherAgentIsRefused() throws Exception {
        assertEquals(200, honest("/orders/1", true, nonce()).statusCode());
        KeyPair intruder = KeyPair.generate(KeyType.ED25519, TwoOrgs.RANDOM);
        assertProblem(send("GET", "/orders/1", new byte[0], intruder, buyer.keyId(), false, Instant.now(), nonce(), null, f -> f, new byte[0]),
                401, ProblemType.SIGNATURE_INVALID);
        // the intruder presents the buyer's presentation under its own key: the signature verifies with no key it holds
        assertProblem(send("GET", "/orders/1", new byte[0], intruder, buyer.keyId(), true, Instant.now(), nonce(), null, f -> f, new byte[0]),
                401, ProblemType.SIGNATURE_INVALID);
    }

    @Test
    void anAgentOfAnUntrustedOrganizationIsRefused() throws Exception {
        Wallet stranger = orgs.wallet(dir, "stranger", KeyType.ED25519, orgs.buyerVerifier);
        stranger.store(TwoOrgs.credential(orgs.supplierOrgKey, orgs.supplierOrg, "Supplier Ltd", stranger.did(), Set.of("orders:read"), "1",
                AgentClaims.Delegation.none(), Instant.now()));
        AgentResponse r = AgentHttpClient.of(stranger, orgs.buyerVerifier, raw, Clock.systemUTC()).send(AgentRequest.get(uri("/orders/1")));
        assertEquals(401, r.status(), r.bodyText());
        assertEquals("UNAUTHORIZED", JsonCodec.parse(r.body()).path("code").asText());
        assertTrue(r.bodyText().contains("UNTRUSTED_ISSUER"), r.bodyText());
        assertTrue(r.receipt().isPresent(), "a refusal of an agent whose signature verified is logged");
        stranger.close();
    }

    @Test
    void aDelegateActingBeyondItsChainIsRefused() throws Exception {
        Wallet sub = orgs.wallet(dir, "sub", KeyType.ED25519, orgs.gateVerifier);
        HeldDelegation link = buyer.delegate(DelegationRequest.to(sub.did(), Set.of("orders:read")).lasting(Duration.ofMinutes(10)));
        sub.receiveDelegation(Wallet.handover(link));
        AgentHttpClient client = AgentHttpClient.of(sub, orgs.buyerVerifier, raw, Clock.systemUTC());
        AgentResponse read = client.send(AgentRequest.get(uri("/orders/9")).exercising("orders:read"));
        assertEquals(200, read.status(), read.bodyText());
        AgentResponse place = client.send(AgentRequest.post(uri("/orders"), "application/json",
                "{\"total\": {\"value\": \"1.00\", \"currency\": \"EUR\"}}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(403, place.status());
        assertTrue(place.bodyText().contains("MISSING_CAPABILITY"), place.bodyText());
        sub.close();
    }

    @Test
    void aResponseSignedByAnotherKeyThanTheOnePresentedIsRejectedByTheClient() throws Exception {
        KeyPair impostor = KeyPair.generate(KeyType.ED25519, TwoOrgs.RANDOM);
        GateIdentity real = TwoOrgs.identity(supplier);
        // presents the supplier's credential, signs with a key of its own under the supplier's key id
        GateIdentity forged = new GateIdentity(supplier.keyId(), impostor, real.presenter());
        try (Gate bad = Gate.builder(orgs.gateVerifier, forged, GatePluginTest.routes(),
                DecisionLog.open(dir.resolve("bad.jsonl"), impostor, dev.tabard.did.key.KeyDids.methodId(impostor.publicKey()),
                        Clock.systemUTC())).build()) {
            HttpService other = TwoOrgs.orderService("impostor", bad);
            try {
                ProblemException e = assertThrows(ProblemException.class, () -> AgentHttpClient.of(buyer, orgs.buyerVerifier, raw, Clock.systemUTC())
                        .send(AgentRequest.get(URI.create("http://127.0.0.1:" + other.port() + "/orders/1"))));
                assertEquals(ProblemType.SIGNATURE_INVALID, e.problems().get(0).type(), e.problems().toString());
            } finally {
                other.close();
            }
        }
    }

    @Test
    void aGateWhoseAgentTheClientDoesNotTrustIsNotBelieved() {
        // the client trusts only the buyer's own organization: the supplier's agent is a stranger to it
        ProblemException e = assertThrows(ProblemException.class, () -> AgentHttpClient.of(buyer, orgs.gateVerifier, raw, Clock.systemUTC())
                .send(AgentRequest.get(uri("/orders/1"))));
        assertEquals(ProblemType.UNAUTHORIZED, e.problems().get(0).type(), e.problems().toString());
        assertTrue(e.problems().stream().anyMatch(p -> p.type() == ProblemType.UNTRUSTED_ISSUER), e.problems().toString());
    }

    @Test
    void malformedSignatureFieldsAreAProblemNotAFailure() throws Exception {
        List<UnaryOperator<HttpFields>> bends = new ArrayList<>();
        bends.add(f -> f.with("signature-input", "sig1=(\"@method\";created=abc"));
        bends.add(f -> f.with("signature", "sig1=:not base64!:"));
        bends.add(f -> f.with("signature-input", "sig1=(\"@method\");keyid=\"not-a-did\"").with("signature", "sig1=:AAAA:"));
        bends.add(f -> f.with("signature", "sig1=:" + "A".repeat(20_000) + ":"));
        for (UnaryOperator<HttpFields> bend : bends) {
            HttpResponse<String> r = send("GET", "/orders/1", new byte[0], buyer.signer(), buyer.keyId(), false, Instant.now(), nonce(), null, bend,
                    new byte[0]);
            assertTrue(r.statusCode() == 401 || r.statusCode() == 431 || r.statusCode() == 400, r.statusCode() + " " + r.body());
            assertEquals(r.statusCode(), JsonCodec.parse(r.body()).path("status").asInt());
        }
    }
}
