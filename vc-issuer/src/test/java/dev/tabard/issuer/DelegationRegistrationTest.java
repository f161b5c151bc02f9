package dev.tabard.issuer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.key.KeyDids;
import dev.tabard.fetch.SelfSignedTls;
import dev.tabard.issuer.http.IssuerServer;
import dev.tabard.vc.AgentClaims;
import dev.tabard.vc.DelegationClaims;
import dev.tabard.vc.DelegationRegistration;
import dev.tabard.vc.ParentReference;
import dev.tabard.vc.jose.CompactJws;
import dev.tabard.vc.jose.JwsHeader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent registers the delegation links it makes with its organization's issuer, proven by its own key, over HTTPS
 * to a real issuer on 127.0.0.1; the organization lists and revokes them like any credential.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DelegationRegistrationTest {

    private static final String ADMIN = "tabard_Jd8qv0L1s3vQpWm4xYz7Ab2Cd5Ef8Gh1Ij4Kl7Mn0Op";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SelfSignedTls tls = SelfSignedTls.localhost();
    private final KeyPair agentKey = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final Did agent = KeyDids.of(agentKey.publicKey());
    private final KeyPair subKey = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final Did subAgent = KeyDids.of(subKey.publicKey());
    @TempDir
    Path dir;
    private IssuerServer server;
    private HttpClient client;
    private Did issuer;
    private String rootJwt;
    private URI rootId;

    @BeforeEach
    void start() throws Exception {
        server = IssuerServer.start(new IssuerConfig(dir, URI.create("https://localhost:0"), "web", "ACME Corp",
                "correct horse".toCharArray(), Duration.ofHours(1), Optional.of(ADMIN), 0), Optional.of(tls.serverContext()),
                Clock.systemUTC());
        client = HttpClient.newBuilder().sslContext(tls.clientContext()).build();
        issuer = server.service().did();
        registerAgent(agent, true);
        HttpResponse<String> issued = send("POST", "/admin/agents/" + agent + "/credentials", "{}", ADMIN);
        assertEquals(201, issued.statusCode(), issued.body());
        rootJwt = JsonCodec.parse(issued.body()).get("vcJwt").asText();
        rootId = URI.create(JsonCodec.parse(issued.body()).get("id").asText());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void registerAgent(Did did, boolean mayDelegate) throws Exception {
        HttpResponse<String> r = send("POST", "/admin/agents", "{\"did\":\"" + did + "\",\"name\":\"procurement-agent\","
                + "\"operator\":{\"name\":\"Procurement\"},\"capabilities\":[\"supplier:lookup\",\"purchase-order:negotiate\"],"
                + "\"constraints\":{\"maxTransactionValue\":{\"amount\":\"5000\",\"currency\":\"EUR\"},\"dataRegions\":[\"EU\"]},"
                + "\"delegation\":{\"allowed\":" + mayDelegate + ",\"maxDepth\":" + (mayDelegate ? 2 : 0) + "}}", ADMIN);
        assertEquals(201, r.statusCode(), r.body());
    }

    private HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        b.header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private ObjectNode link(Set<String> caps, String amount) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return new DelegationClaims(URI.create("urn:uuid:" + UUID.randomUUID()), agent, subAgent, caps,
                new AgentClaims.Constraints(Optional.of(new AgentClaims.Money(amount, "EUR")), List.of("EU"), "{}"),
                AgentClaims.Delegation.none(), Optional.of("find a paper supplier"), ParentReference.ofToken(rootId, rootJwt), now,
                now.plus(Duration.ofMinutes(30))).credential(List.of());
    }

    private HttpResponse<String> register(KeyPair key, ObjectNode link, Instant at) throws Exception {
        String request = DelegationRegistration.request(key, KeyDids.methodId(key.publicKey()), issuer, link,
                List.of(TextNode.valueOf(rootJwt)), at);
        return send("POST", "/delegations", JsonCodec.writeString(JsonCodec.objectNode().put("request", request)), null);
    }

    private static void assertProblem(HttpResponse<String> r, int status, String code) {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode p = JsonCodec.parse(r.body());
        assertTrue(p.path("type").asText().endsWith("#" + code), r.body());
        assertEquals(status, p.path("status").asInt());
    }

    @Test
    void aRegisteredLinkCarriesTheOrganizationsStatusEntriesAndIsRevokedLikeACredential() throws Exception {
        ObjectNode link = link(Set.of("supplier:lookup"), "200");
        HttpResponse<String> r = register(agentKey, link, Instant.now());
        assertEquals(201, r.statusCode(), r.body());
        JsonNode registered = JsonCodec.parse(r.body()).get("delegation");
        assertEquals(2, registered.path("credentialStatus").size());
        assertTrue(registered.path("credentialStatus").get(0).path("statusListCredential").asText()
                .startsWith("https://localhost:" + server.port() + "/status/"));
        ObjectNode withoutStatus = registered.deepCopy();
        withoutStatus.remove("credentialStatus");
        assertEquals(link, withoutStatus, "the issuer adds the status entries and changes nothing else");

        String id = link.get("id").asText();
        JsonNode listed = JsonCodec.parse(send("GET", "/admin/agents/" + agent + "/delegations", null, ADMIN).body()).get("delegations");
        assertEquals(1, listed.size());
        assertEquals(subAgent.toString(), listed.get(0).get("delegate").asText());
        assertEquals(rootId.toString(), listed.get(0).get("rootCredential").asText());
        assertTrue(listed.get(0).get("active").asBoolean());

        assertEquals(204, send("POST", "/admin/credentials/" + id + "/revoke", null, ADMIN).statusCode());
        listed = JsonCodec.parse(send("GET", "/admin/agents/" + subAgent + "/delegations", null, ADMIN).body()).get("delegations");
        assertEquals(0, listed.size(), "a delegate's own list holds what it gave, not what it received");
        listed = JsonCodec.parse(send("GET", "/admin/agents/" + agent + "/delegations", null, ADMIN).body()).get("delegations");
        assertFalse(listed.get(0).get("active").asBoolean());
        JsonNode audit = JsonCodec.parse(send("GET", "/admin/audit", null, ADMIN).body()).get("entries");
        boolean audited = false;
        for (JsonNode e : audit) {
            audited |= e.path("action").asText().equals("delegation.register") && e.path("actor").asText().equals("agent:" + agent);
        }
        assertTrue(audited, audit.toString());

        assertProblem(register(agentKey, link, Instant.now()), 409, "ALREADY_REGISTERED");
    }

    @Test
    void onlyTheDelegatorsKeyRegistersItsLink() throws Exception {
        HttpResponse<String> r = register(subKey, link(Set.of("supplier:lookup"), "200"), Instant.now());
        assertProblem(r, 400, "LINK_ISSUER_MISMATCH");
        String forged = DelegationRegistration.request(agentKey, KeyDids.methodId(agentKey.publicKey()), issuer,
                link(Set.of("supplier:lookup"), "200"), List.of(TextNode.valueOf(rootJwt)), Instant.now());
        String[] parts = forged.split("\\.");
        String otherSig = CompactJws.sign(subKey, JwsHeader.of(KeyDids.methodId(agentKey.publicKey()).toString(), DelegationRegistration.TYPE),
                "{}".getBytes(StandardCharsets.UTF_8)).split("\\.")[2];
        HttpResponse<String> bad = send("POST", "/delegations", "{\"request\":\"" + parts[0] + "." + parts[1] + "." + otherSig + "\"}", null);
        assertEquals(400, bad.statusCode(), bad.body());
    }

    @Test
    void aLinkBeyondItsParentIsRefusedBeforeAnythingIsRecorded() throws Exception {
        assertProblem(register(agentKey, link(Set.of("supplier:lookup", "payments:send"), "200"), Instant.now()), 400, "CAPABILITY_WIDENED");
        assertProblem(register(agentKey, link(Set.of("supplier:lookup"), "5000.01"), Instant.now()), 400, "CONSTRAINT_LOOSENED");
        ObjectNode longLived = link(Set.of("supplier:lookup"), "200");
        longLived.put("validUntil", Instant.now().plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS).toString());
        assertProblem(register(agentKey, longLived, Instant.now()), 400, "LINK_OUTLIVES_PARENT");
        assertProblem(register(agentKey, link(Set.of("supplier:lookup"), "200"), Instant.now().minus(Duration.ofMinutes(6))), 400,
                "RANGE_ERROR");
        JsonNode listed = JsonCodec.parse(send("GET", "/admin/agents/" + agent + "/delegations", null, ADMIN).body()).get("delegations");
        assertEquals(0, listed.size());
    }

    @Test
    void aRevokedRootOrAnAgentNoLongerAllowedToDelegateRegistersNothing() throws Exception {
        registerAgent(agent, false);
        assertProblem(register(agentKey, link(Set.of("supplier:lookup"), "200"), Instant.now()), 400, "DELEGATION_NOT_ALLOWED");
        registerAgent(agent, true);
        assertEquals(201, register(agentKey, link(Set.of("supplier:lookup"), "200"), Instant.now()).statusCode());
        assertEquals(204, send("POST", "/admin/credentials/" + rootId + "/revoke", null, ADMIN).statusCode());
        assertProblem(register(agentKey, link(Set.of("supplier:lookup"), "200"), Instant.now()), 403, "NOT_GRANTED");
    }

    @Test
    void aMalformedRequestIsAProblemNeverAServerError() throws Exception {
        assertProblem(send("POST", "/delegations", "{}", null), 400, "MALFORMED_VALUE_ERROR");
        assertProblem(send("POST", "/delegations", "{\"request\":\"a.b.c\"}", null), 400, "PARSING_ERROR");
        String vpTyped = CompactJws.sign(agentKey, JwsHeader.of(KeyDids.methodId(agentKey.publicKey()).toString(), "vp+jwt"),
                "{}".getBytes(StandardCharsets.UTF_8));
        assertProblem(send("POST", "/delegations", "{\"request\":\"" + vpTyped + "\"}", null), 400, "MALFORMED_VALUE_ERROR");
        String noChain = DelegationRegistration.request(agentKey, KeyDids.methodId(agentKey.publicKey()), issuer,
                link(Set.of("supplier:lookup"), "200"), List.of(), Instant.now());
        assertProblem(send("POST", "/delegations", "{\"request\":\"" + noChain + "\"}", null), 400, "MALFORMED_VALUE_ERROR");
    }
}
