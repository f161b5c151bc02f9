package dev.tabard.issuer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.key.KeyDids;
import dev.tabard.fetch.SelfSignedTls;
import dev.tabard.issuer.http.IssuerServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The open VC-API of a local conformance run signs no AgentCredential and no delegation, whatever the body and
 * whoever asks, while plain credentials keep the behaviour the W3C suites need (their dates and status entries as
 * written) and are audited. Over real HTTPS to an issuer on 127.0.0.1.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OpenVcApiAgentCredentialTest {

    private static final String ADMIN = "tabard_QPTKDyEXzsfw0cZhltyHioCVeW5VsWQ-SdrK-HqmKQI";
    private static final String V2 = "https://www.w3.org/ns/credentials/v2";

    private final SelfSignedTls tls = SelfSignedTls.localhost();
    private final Did agent = KeyDids.of(KeyPair.generate(KeyType.ED25519, new SecureRandom()).publicKey());
    @TempDir
    Path dir;
    private IssuerServer server;
    private HttpClient client;
    private String issuerDid;

    @BeforeEach
    void start() throws Exception {
        server = IssuerServer.start(new IssuerConfig(dir, URI.create("https://localhost:0"), "key", "ACME Corp",
                "correct horse".toCharArray(), Duration.ofHours(1), Optional.of(ADMIN), 0), Optional.of(tls.serverContext()),
                Clock.systemUTC(), IssuerServer.VcApiAccess.OPEN_FOR_LOCAL_CONFORMANCE_RUNS);
        client = HttpClient.newBuilder().sslContext(tls.clientContext()).build();
        issuerDid = server.service().did().toString();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> post(String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private ObjectNode agentCredential() {
        ObjectNode vc = (ObjectNode) JsonCodec.parse("{\"@context\":[\"" + V2 + "\",\"https://w3id.org/tabard/v1\"],"
                + "\"type\":[\"VerifiableCredential\",\"AgentCredential\"]}");
        vc.put("validUntil", Instant.now().plusSeconds(600).toString());
        ObjectNode s = vc.putObject("credentialSubject");
        s.put("id", agent.toString()).put("type", "Agent").put("name", "procurement-agent");
        s.putObject("memberOf").put("id", issuerDid).put("name", "ACME Corp");
        s.putObject("operator").put("name", "Procurement");
        s.putArray("capabilities").add("supplier:lookup");
        return vc;
    }

    private static void assertNotGranted(HttpResponse<String> r) {
        assertEquals(403, r.statusCode(), r.body());
        JsonNode p = JsonCodec.parse(r.body());
        assertTrue(p.path("type").asText().endsWith("#NOT_GRANTED"), r.body());
        assertEquals(403, p.path("status").asInt());
        assertTrue(p.path("detail").asText().contains("/admin/agents/{did}/credentials"), r.body());
    }

    private long issuedAuditEntries() throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + "/admin/audit"))
                .header("Authorization", "Bearer " + ADMIN).GET().build(), HttpResponse.BodyHandlers.ofString());
        long n = 0;
        for (JsonNode e : JsonCodec.parse(r.body()).get("entries")) {
            n += e.get("action").asText().equals("credential.issue") ? 1 : 0;
        }
        return n;
    }

    @Test
    void agentCredentialsAndDelegations_areNotGranted_whateverTheBodyOrToken() throws Exception {
        // registered and within its grant: still not on this server's open VC-API
        assertEquals(201, post("/admin/agents", "{\"did\":\"" + agent + "\",\"name\":\"procurement-agent\",\"operator\":"
                + "{\"name\":\"Procurement\"},\"capabilities\":[\"supplier:lookup\"]}", ADMIN).statusCode());
        assertNotGranted(post("/credentials/issue", "{\"credential\":" + agentCredential() + "}", null));
        assertNotGranted(post("/credentials/issue", "{\"credential\":" + agentCredential() + "}", ADMIN));
        ObjectNode fullIri = agentCredential();
        fullIri.putArray("type").add("VerifiableCredential").add("https://w3id.org/tabard#AgentCredential");
        assertNotGranted(post("/credentials/issue", "{\"credential\":" + fullIri + "}", null));
        ObjectNode noContext = agentCredential();
        noContext.putArray("@context").add(V2);
        assertNotGranted(post("/credentials/issue", "{\"credential\":" + noContext + "}", null));
        ObjectNode untypedAgent = agentCredential();
        untypedAgent.putArray("@context").add(V2);
        untypedAgent.putArray("type").add("VerifiableCredential");
        assertNotGranted(post("/credentials/issue", "{\"credential\":" + untypedAgent + "}", null));
        ObjectNode malformed = agentCredential();
        malformed.remove("credentialSubject");
        malformed.put("issuer", "did:example:someone-else");
        assertNotGranted(post("/credentials/issue", "{\"credential\":" + malformed + "}", null));
        ObjectNode delegation = agentCredential();
        delegation.putArray("type").add("VerifiableCredential").add("DelegationCredential");
        assertNotGranted(post("/credentials/issue", "{\"credential\":" + delegation + ",\"options\":{\"cryptosuite\":\"eddsa-rdfc-2022\"}}",
                null));
        assertEquals(0, issuedAuditEntries(), "nothing was signed");
        // the admin route still issues the registered agent its credential on this server
        assertEquals(201, post("/admin/agents/" + agent + "/credentials", "", ADMIN).statusCode());
    }

    @Test
    void plainCredentials_keepTheConformanceSuitesDatesAndStatus_andAreAudited() throws Exception {
        ObjectNode suiteInput = (ObjectNode) JsonCodec.parse("{\"@context\":[\"" + V2 + "\"],\"type\":[\"VerifiableCredential\"],"
                + "\"validFrom\":\"2020-01-01T00:00:00Z\",\"validUntil\":\"2040-01-01T00:00:00Z\",\"credentialStatus\":{\"id\":"
                + "\"https://example.com/credentials/status/3#94567\",\"type\":\"BitstringStatusListEntry\",\"statusPurpose\":\"revocation\","
                + "\"statusListIndex\":\"94567\",\"statusListCredential\":\"https://example.com/credentials/status/3\"},"
                + "\"credentialSubject\":{\"id\":\"did:example:subject\"}}");
        HttpResponse<String> r = post("/credentials/issue", "{\"credential\":" + suiteInput + ",\"options\":{\"cryptosuite\":"
                + "\"eddsa-rdfc-2022\"}}", null);
        assertEquals(201, r.statusCode(), r.body());
        JsonNode vc = JsonCodec.parse(r.body()).get("verifiableCredential");
        assertEquals("2040-01-01T00:00:00Z", vc.get("validUntil").asText());
        assertEquals(suiteInput.get("credentialStatus"), vc.get("credentialStatus"));
        assertEquals(1, issuedAuditEntries());
    }
}
