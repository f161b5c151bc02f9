package dev.tabard.issuer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.codec.Base64Url;
import dev.tabard.codec.JsonCodec;
import dev.tabard.codec.Multibase;
import dev.tabard.codec.Multicodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.jwk.JwkDidResolver;
import dev.tabard.did.key.KeyDids;
import dev.tabard.fetch.SelfSignedTls;
import dev.tabard.issuer.agents.Agent;
import dev.tabard.issuer.http.IssuerServer;
import dev.tabard.issuer.store.IssuerStore;
import dev.tabard.vc.AgentClaims;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry weak spot of issue 23: {@code POST /admin/agents} took a small-order did:key and did:web:127.0.0.1. The
 * registry now refuses every DID a verifier would refuse, over real HTTPS to an issuer on 127.0.0.1.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AgentRegistryDidTest {

    private static final String ADMIN = "tabard_Tk80-a_mJrujnWgw8B97Ue3_dkcJ3WyTHlriQHYZ26Y";

    private final SelfSignedTls tls = SelfSignedTls.localhost();
    @TempDir
    Path dir;
    private IssuerServer server;
    private HttpClient client;

    @BeforeEach
    void start() throws Exception {
        server = IssuerServer.start(new IssuerConfig(dir, URI.create("https://localhost:0"), "web", "ACME Corp",
                "correct horse".toCharArray(), Duration.ofHours(1), Optional.of(ADMIN), 0), Optional.of(tls.serverContext()),
                Clock.systemUTC());
        client = HttpClient.newBuilder().sslContext(tls.clientContext()).build();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + path))
                .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> register(String did) throws Exception {
        return send("POST", "/admin/agents", "{\"did\":\"" + did + "\",\"name\":\"a\",\"operator\":{\"name\":\"ops\"},"
                + "\"capabilities\":[\"supplier:lookup\"]}");
    }

    private static String didKey(KeyType type, byte[] key) {
        Multicodec codec = type == KeyType.ED25519 ? Multicodec.ED25519_PUB : Multicodec.P256_PUB;
        byte[] prefix = codec.prefix();
        byte[] all = new byte[prefix.length + key.length];
        System.arraycopy(prefix, 0, all, 0, prefix.length);
        System.arraycopy(key, 0, all, prefix.length, key.length);
        return "did:key:" + Multibase.encodeBase58Btc(all);
    }

    private void assertRefused(String did, String type) throws Exception {
        HttpResponse<String> r = register(did);
        assertEquals(400, r.statusCode(), did + " -> " + r.body());
        JsonNode p = JsonCodec.parse(r.body());
        assertTrue(p.path("type").asText().endsWith("#" + type), did + " -> " + r.body());
        assertEquals(400, p.path("status").asInt());
        assertTrue(p.path("detail").asText().contains("register"), "says what to do: " + r.body());
        assertEquals(404, send("GET", "/admin/agents/" + URLEncoder.encode(did, StandardCharsets.UTF_8), null).statusCode(),
                did + " must not be in the registry");
    }

    @Test
    void keysAVerifierRefuses_areNotRegistered() throws Exception {
        byte[] identity = new byte[32]; // the Ed25519 neutral element (0, 1): order 1, "verifies" forged signatures
        identity[0] = 1;
        assertRefused(didKey(KeyType.ED25519, identity), "INVALID_DID");
        byte[] order8 = new byte[32]; // (0, -1): a point of small order
        order8[0] = (byte) 0xec;
        for (int i = 1; i < 31; i++) {
            order8[i] = (byte) 0xff;
        }
        order8[31] = 0x7f;
        assertRefused(didKey(KeyType.ED25519, order8), "INVALID_DID");
        byte[] nonCanonical = new byte[32]; // y = 2^255 - 1, not reduced mod p
        java.util.Arrays.fill(nonCanonical, (byte) 0xff);
        nonCanonical[31] = 0x7f;
        assertRefused(didKey(KeyType.ED25519, nonCanonical), "INVALID_DID");
        byte[] offCurve = new byte[33]; // x = 1: x^3 - 3x + b is not a square mod p, so no P-256 point has it
        offCurve[0] = 0x02;
        offCurve[32] = 0x01;
        assertRefused(didKey(KeyType.P256, offCurve), "INVALID_DID");
        // a did:jwk carrying a private key, or an off-curve one
        String withD = "{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"" + Base64Url.encode(new byte[32]) + "\",\"d\":\"AAAA\"}";
        assertRefused("did:jwk:" + Base64Url.encode(withD.getBytes(StandardCharsets.UTF_8)), "INVALID_DID");
    }

    @Test
    void didWebsAVerifierRefuses_areNotRegistered() throws Exception {
        for (String did : new String[] {"did:web:127.0.0.1", "did:web:127.0.0.1%3A8443", "did:web:2130706433", "did:web:127.1",
            "did:web:localhost", "did:web:localhost%3A8443:agents:a", "did:web:agent.localhost", "did:web:example.com::a",
            "did:web:example.com:..:a", "did:example:agent-7"}) {
            assertRefused(did, "INVALID_DID");
        }
    }

    @Test
    void didsAVerifierAccepts_areRegistered() throws Exception {
        KeyPair ed = KeyPair.generate(KeyType.ED25519, new SecureRandom());
        KeyPair p256 = KeyPair.generate(KeyType.P256, new SecureRandom());
        for (String did : new String[] {KeyDids.of(ed.publicKey()).toString(), KeyDids.of(p256.publicKey()).toString(),
            JwkDidResolver.of(ed.publicKey()).toString(), "did:web:agents.acme.example", "did:web:acme.example%3A8443:agents:buyer"}) {
            HttpResponse<String> r = register(did);
            assertEquals(201, r.statusCode(), did + " -> " + r.body());
        }
    }

    @Test
    void anAgentRegisteredBeforeTheRule_getsNoCredential_butCanBeDeactivated() throws Exception {
        Did loopback = Did.parse("did:web:127.0.0.1");
        Instant now = Instant.now();
        // as an older issuer wrote it, straight into the real SQLite store
        server.service().store().putAgent(new Agent(loopback, "old", new AgentClaims.Operator("ops", Optional.empty()),
                Set.of("supplier:lookup"), AgentClaims.Constraints.none(), AgentClaims.Delegation.none(), true, now, now),
                new IssuerStore.Audit("test", "agent.put", loopback.toString(), "{}"));
        HttpResponse<String> r = send("POST", "/admin/agents/" + loopback + "/credentials", null);
        assertEquals(403, r.statusCode(), r.body());
        assertTrue(JsonCodec.parse(r.body()).path("type").asText().endsWith("#NOT_GRANTED"), r.body());
        assertEquals(204, send("POST", "/admin/agents/" + loopback + "/deactivate", null).statusCode());
    }
}
