package dev.tabard.verifier.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.Verifier;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.key.KeyDidResolver;
import dev.tabard.did.key.KeyDids;
import dev.tabard.fetch.SelfSignedTls;
import dev.tabard.jsonld.BundledContexts;
import dev.tabard.vc.AgentClaims;
import dev.tabard.vc.di.DataIntegrity;
import dev.tabard.vc.di.ProofOptions;
import dev.tabard.vc.jose.EnvelopedCredential;
import dev.tabard.vc.jose.VcJose;
import dev.tabard.verifier.http.VerifierServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The VC-API endpoints over real HTTPS on 127.0.0.1: results, problem details, limits. */
class VerifierServerTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String DOMAIN = "https://verifier.example";
    private final Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    private final KeyPair orgKey = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final Did org = KeyDids.of(orgKey.publicKey());
    private final KeyPair agentKey = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final Did agent = KeyDids.of(agentKey.publicKey());
    private final SelfSignedTls tls = SelfSignedTls.localhost();
    private VerifierServer server;
    private HttpClient client;

    @BeforeEach
    void start() throws Exception {
        KeyDidResolver resolver = new KeyDidResolver();
        Verifier verifier = Verifier.builder().resolver(resolver).trustPolicy(TrustPolicy.builder().trustIssuer(org).build()).build();
        server = VerifierServer.builder(verifier).domain(DOMAIN).port(0).tls(tls.serverContext()).clock(Clock.systemUTC()).requireIssuedChallenges().start();
        client = HttpClient.newBuilder().sslContext(tls.clientContext()).build();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String vcJwt() {
        AgentClaims claims = new AgentClaims(agent, "agent", org, "ACME", new AgentClaims.Operator("Ops", Optional.empty()),
                Set.of("supplier:lookup"), AgentClaims.Constraints.none(), AgentClaims.Delegation.none());
        return VcJose.secureCredential(claims.credential(URI.create("urn:uuid:1"), now.minusSeconds(60), now.plusSeconds(600), List.of()),
                orgKey, KeyDids.methodId(orgKey.publicKey()), now);
    }

    private String challenge() throws Exception {
        HttpResponse<String> r = post("/challenges", "{}");
        assertEquals(201, r.statusCode());
        return JsonCodec.parse(r.body()).get("challenge").asText();
    }

    @Test
    void credentialVerifiesAndFailuresAreProblemDetails() throws Exception {
        ObjectNode req = JsonCodec.objectNode();
        req.set("verifiableCredential", EnvelopedCredential.of(vcJwt()));
        HttpResponse<String> ok = post("/credentials/verify", req.toString());
        assertEquals(200, ok.statusCode(), ok.body());
        JsonNode body = JsonCodec.parse(ok.body());
        assertTrue(body.get("verified").asBoolean());
        assertEquals(agent.toString(), body.get("agent").get("id").asText());

        ObjectNode forged = JsonCodec.objectNode();
        forged.set("verifiableCredential", EnvelopedCredential.of(VcJose.secureCredential(JsonCodec.parseObject(
                java.util.Base64.getUrlDecoder().decode(vcJwt().split("\\.")[1])).without(List.of("iat", "exp")),
                KeyPair.generate(KeyType.ED25519, RANDOM), KeyDids.methodId(orgKey.publicKey()), now)));
        HttpResponse<String> bad = post("/credentials/verify", forged.toString());
        assertEquals(400, bad.statusCode(), bad.body());
        assertEquals("application/problem+json", bad.headers().firstValue("content-type").orElse(""));
        JsonNode problem = JsonCodec.parse(bad.body());
        assertFalse(problem.get("verified").asBoolean());
        assertEquals("https://www.w3.org/TR/vc-data-model#CRYPTOGRAPHIC_SECURITY_ERROR", problem.get("type").asText());
        assertTrue(problem.has("title") && problem.has("detail"));
    }

    @Test
    void aSecuredDocumentSentAsAJsonString_isAParsingError_notVerified() throws Exception {
        AgentClaims claims = new AgentClaims(agent, "agent", org, "ACME", new AgentClaims.Operator("Ops", Optional.empty()),
                Set.of(), AgentClaims.Constraints.none(), AgentClaims.Delegation.none());
        ObjectNode signed = DataIntegrity.sign(claims.credential(URI.create("urn:uuid:3"), now.minusSeconds(60), now.plusSeconds(600),
                List.of()), orgKey, ProofOptions.assertion("eddsa-rdfc-2022", KeyDids.methodId(orgKey.publicKey()), now),
                BundledContexts.standard());
        ObjectNode asObject = JsonCodec.objectNode();
        asObject.set("verifiableCredential", signed);
        assertEquals(200, post("/credentials/verify", asObject.toString()).statusCode(), "the same document as an object verifies");
        ObjectNode asString = JsonCodec.objectNode();
        asString.put("verifiableCredential", signed.toString());
        HttpResponse<String> r = post("/credentials/verify", asString.toString());
        assertEquals(400, r.statusCode(), r.body());
        JsonNode problem = JsonCodec.parse(r.body());
        assertEquals("https://www.w3.org/TR/vc-data-model#PARSING_ERROR", problem.get("type").asText(), r.body());
        assertEquals(400, problem.get("status").asInt());
        assertFalse(problem.get("verified").asBoolean());
        ObjectNode bareJwt = JsonCodec.objectNode();
        bareJwt.put("verifiableCredential", vcJwt());
        assertEquals(200, post("/credentials/verify", bareJwt.toString()).statusCode(), "a bare compact JWT is still a token");
    }

    @Test
    void dataIntegrityCredentialVerifies() throws Exception {
        AgentClaims claims = new AgentClaims(agent, "agent", org, "ACME", new AgentClaims.Operator("Ops", Optional.empty()),
                Set.of(), AgentClaims.Constraints.none(), AgentClaims.Delegation.none());
        ObjectNode signed = DataIntegrity.sign(claims.credential(URI.create("urn:uuid:2"), now.minusSeconds(60), now.plusSeconds(600),
                List.of()), orgKey, ProofOptions.assertion("eddsa-rdfc-2022", KeyDids.methodId(orgKey.publicKey()), now),
                BundledContexts.standard());
        ObjectNode req = JsonCodec.objectNode();
        req.set("verifiableCredential", signed);
        HttpResponse<String> r = post("/credentials/verify", req.toString());
        assertEquals(200, r.statusCode(), r.body());
    }

    @Test
    void presentationsNeedAnIssuedSingleUseChallenge() throws Exception {
        String c = challenge();
        String vp = VcJose.securePresentation(VcJose.presentationOf(List.of(vcJwt())), agentKey, KeyDids.methodId(agentKey.publicKey()),
                c, DOMAIN, "urn:uuid:p", now, now.plusSeconds(60));
        String req = "{\"verifiablePresentation\":\"" + vp + "\",\"options\":{\"challenge\":\"" + c + "\",\"domain\":\"" + DOMAIN + "\"}}";
        HttpResponse<String> ok = post("/presentations/verify", req);
        assertEquals(200, ok.statusCode(), ok.body());
        HttpResponse<String> again = post("/presentations/verify", req);
        assertEquals(400, again.statusCode(), again.body());
        assertEquals("https://w3id.org/security#INVALID_CHALLENGE_ERROR", JsonCodec.parse(again.body()).get("type").asText());
        HttpResponse<String> made = post("/presentations/verify", req.replace(c, "made-up"));
        assertEquals(400, made.statusCode());
    }

    @Test
    void batchVerifiesEachItemOnItsOwn() throws Exception {
        String c1 = challenge();
        String c2 = challenge();
        String vp1 = VcJose.securePresentation(VcJose.presentationOf(List.of(vcJwt())), agentKey, KeyDids.methodId(agentKey.publicKey()),
                c1, DOMAIN, "urn:uuid:b1", now, now.plusSeconds(60));
        String req = "{\"items\":[{\"verifiablePresentation\":\"" + vp1 + "\",\"options\":{\"challenge\":\"" + c1 + "\"}},"
                + "{\"verifiablePresentation\":\"a.b.c\",\"options\":{\"challenge\":\"" + c2 + "\"}}, 7]}";
        HttpResponse<String> r = post("/presentations/verify-batch", req);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode results = JsonCodec.parse(r.body()).get("results");
        assertEquals(3, results.size());
        assertTrue(results.get(0).get("verified").asBoolean());
        assertFalse(results.get(1).get("verified").asBoolean());
        assertFalse(results.get(2).get("verified").asBoolean());
    }

    @Test
    void malformedOversizedAndUnknownRequestsAreNever500() throws Exception {
        for (String body : new String[] {"", "{", "[]", "{\"a\":1,\"a\":2}", "{\"verifiableCredential\":7}", "{\"verifiableCredential\":null}",
            "{\"verifiableCredential\":\"not.a.jwt\"}", "{}"}) {
            HttpResponse<String> r = post("/credentials/verify", body);
            assertTrue(r.statusCode() == 400 || r.statusCode() == 422, body + " -> " + r.statusCode() + " " + r.body());
            JsonNode p = JsonCodec.parse(r.body());
            assertTrue(p.has("type") && p.has("title") && p.has("detail"), r.body());
            assertFalse(r.body().contains("Exception"), r.body());
        }
        String big = "{\"verifiableCredential\":\"" + "a".repeat(VerifierServer.MAX_BODY_BYTES) + "\"}";
        assertEquals(413, post("/credentials/verify", big).statusCode());
        HttpResponse<String> chunked = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + "/credentials/verify"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big.getBytes()))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(413, chunked.statusCode(), chunked.body());
        HttpResponse<String> missing = post("/nope", "{}");
        assertEquals(404, missing.statusCode());
        assertEquals(200, client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        HttpResponse<String> metrics = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + "/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, metrics.statusCode(), "metrics are not served unless configured");
        assertEquals("https://w3id.org/tabard/problems#ROUTE_NOT_FOUND", JsonCodec.parse(metrics.body()).get("type").asText());
    }
}
