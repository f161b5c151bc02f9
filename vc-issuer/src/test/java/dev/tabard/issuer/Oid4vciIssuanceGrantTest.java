package dev.tabard.issuer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.DidResolver;
import dev.tabard.did.DidResolvers;
import dev.tabard.did.DidUrl;
import dev.tabard.did.key.KeyDidResolver;
import dev.tabard.did.key.KeyDids;
import dev.tabard.didweb.WebDidResolver;
import dev.tabard.fetch.FetchPolicy;
import dev.tabard.fetch.SafeFetcher;
import dev.tabard.fetch.SelfSignedTls;
import dev.tabard.issuer.http.IssuerServer;
import dev.tabard.vc.jose.CompactJws;
import dev.tabard.vc.jose.JwsHeader;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.VerificationResult;
import dev.tabard.verifier.Verifier;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenID4VCI credential endpoint signs through the same registry-bound path as the admin API: the credential
 * carries what the registry holds when it is signed (not when the offer was made), is audited, and verifies. Over
 * real HTTPS to an issuer on 127.0.0.1, with a real key proof from the agent's key.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Oid4vciIssuanceGrantTest {

    private static final String ADMIN = "tabard_rUL59WO1LJtiTs07zU2f_EQVJX7XdteT97tnAZ-XGyU";

    private final SelfSignedTls tls = SelfSignedTls.localhost();
    private final KeyPair agentKey = KeyPair.generate(KeyType.ED25519, new SecureRandom());
    private final Did agent = KeyDids.of(agentKey.publicKey());
    @TempDir
    Path dir;
    private IssuerServer server;
    private HttpClient client;
    private String base;

    @BeforeEach
    void start() throws Exception {
        server = IssuerServer.start(new IssuerConfig(dir, URI.create("https://localhost:0"), "web", "ACME Corp",
                "correct horse".toCharArray(), Duration.ofHours(1), Optional.of(ADMIN), 0), Optional.of(tls.serverContext()),
                Clock.systemUTC());
        client = HttpClient.newBuilder().sslContext(tls.clientContext()).build();
        base = "https://localhost:" + server.port();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> post(String path, String contentType, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void register(String capabilities, boolean active) throws Exception {
        HttpResponse<String> r = post("/admin/agents", "application/json", "{\"did\":\"" + agent + "\",\"name\":\"buyer\","
                + "\"operator\":{\"name\":\"Procurement\"},\"capabilities\":[" + capabilities + "]}", ADMIN);
        assertEquals(201, r.statusCode(), r.body());
        if (!active) {
            assertEquals(204, post("/admin/agents/" + agent + "/deactivate", "application/json", "", ADMIN).statusCode());
        }
    }

    /** Offer, token and nonce, then the credential request with the agent's key proof. */
    private HttpResponse<String> receive(Runnable betweenOfferAndRequest) throws Exception {
        HttpResponse<String> offer = post("/admin/agents/" + agent + "/offer", "application/json", "", ADMIN);
        assertEquals(201, offer.statusCode(), offer.body());
        String code = JsonCodec.parse(offer.body()).get("credential_offer").get("grants")
                .get("urn:ietf:params:oauth:grant-type:pre-authorized_code").get("pre-authorized_code").asText();
        HttpResponse<String> token = post("/oid4vci/token", "application/x-www-form-urlencoded", "grant_type="
                + URLEncoder.encode("urn:ietf:params:oauth:grant-type:pre-authorized_code", StandardCharsets.UTF_8)
                + "&pre-authorized_code=" + URLEncoder.encode(code, StandardCharsets.UTF_8), null);
        assertEquals(200, token.statusCode(), token.body());
        String access = JsonCodec.parse(token.body()).get("access_token").asText();
        betweenOfferAndRequest.run();
        String nonce = JsonCodec.parse(post("/oid4vci/nonce", "application/json", "", null).body()).get("c_nonce").asText();
        ObjectNode claims = JsonCodec.objectNode();
        claims.put("aud", base).put("iat", Instant.now().getEpochSecond()).put("nonce", nonce);
        DidUrl kid = KeyDids.methodId(agentKey.publicKey());
        String proof = CompactJws.sign(agentKey, new JwsHeader(Optional.of(kid.toString()), Optional.of("openid4vci-proof+jwt"),
                Optional.empty()), JsonCodec.write(claims));
        return post("/oid4vci/credential", "application/json", "{\"credential_configuration_id\":\"AgentCredential_vc+jwt\","
                + "\"proofs\":{\"jwt\":[\"" + proof + "\"]}}", access);
    }

    private List<JsonNode> issuedAudit() throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/admin/audit"))
                .header("Authorization", "Bearer " + ADMIN).GET().build(), HttpResponse.BodyHandlers.ofString());
        List<JsonNode> out = new ArrayList<>();
        JsonCodec.parse(r.body()).get("entries").forEach(e -> {
            if (e.get("action").asText().equals("credential.issue")) {
                out.add(e);
            }
        });
        return out;
    }

    private Verifier verifier() {
        SafeFetcher fetcher = new SafeFetcher(FetchPolicy.builder().allowHost("localhost").trustCertificate(tls.certificate()).build());
        DidResolver resolver = DidResolvers.of(WebDidResolver.builder().fetcher(fetcher).build(), new KeyDidResolver());
        return Verifier.builder().resolver(resolver).trustPolicy(TrustPolicy.builder().trustWebDomain("localhost").build())
                .fetchPolicy(fetcher.policy()).build();
    }

    @Test
    void theCredentialCarriesWhatTheRegistryGrantsWhenItIsSigned_andIsAudited() throws Exception {
        register("\"supplier:lookup\",\"purchase-order:negotiate\"", true);
        HttpResponse<String> r = receive(() -> {
            try {
                register("\"supplier:lookup\"", true); // narrowed after the offer went out
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals(200, r.statusCode(), r.body());
        String vcJwt = JsonCodec.parse(r.body()).get("credentials").get(0).get("credential").asText();
        VerificationResult v = verifier().verifyCredential(vcJwt);
        assertTrue(v.verified(), () -> v.errors().toString());
        assertEquals(Set.of("supplier:lookup"), v.agent().orElseThrow().capabilities());
        List<JsonNode> audit = issuedAudit();
        assertEquals(1, audit.size(), audit.toString());
        assertEquals("oid4vci:" + agent, audit.get(0).get("actor").asText());
        assertEquals(agent.toString(), audit.get(0).get("details").get("agent").asText());
        assertEquals("[\"revocation\",\"suspension\"]", audit.get(0).get("details").get("status").toString());
    }

    @Test
    void anAgentDeactivatedAfterItsOffer_getsNothing() throws Exception {
        register("\"supplier:lookup\"", true);
        HttpResponse<String> r = receive(() -> {
            try {
                register("\"supplier:lookup\"", false);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(r.statusCode() == 400 || r.statusCode() == 403, r.statusCode() + " " + r.body());
        assertTrue(!r.body().contains("\"credential\""), r.body());
        assertEquals(List.of(), issuedAudit());
    }
}
