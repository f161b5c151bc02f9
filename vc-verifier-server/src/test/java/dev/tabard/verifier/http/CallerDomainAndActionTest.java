package dev.tabard.verifier.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.key.KeyDids;
import dev.tabard.fetch.SelfSignedTls;
import dev.tabard.vc.AgentClaims;
import dev.tabard.vc.DelegationClaims;
import dev.tabard.vc.ParentReference;
import dev.tabard.vc.jose.CompactJws;
import dev.tabard.vc.jose.VcJose;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.Verifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

/**
 * A verifier started without domains, as {@code verifier serve} is by default: each caller names the domain it expects,
 * a presentation is checked against it, and {@code options.action} is authorized against the presenter's authority —
 * here a delegation chain. Over real HTTPS on 127.0.0.1.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CallerDomainAndActionTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final KeyPair orgKey = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final Did org = KeyDids.of(orgKey.publicKey());
    private final KeyPair aKey = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final KeyPair bKey = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final SelfSignedTls tls = SelfSignedTls.localhost();
    private VerifierServer server;
    private HttpClient client;

    @BeforeEach
    void start() {
        Verifier verifier = Verifier.builder().trustPolicy(TrustPolicy.builder().trustIssuer(org).build()).build();
        server = VerifierServer.builder(verifier).port(0).tls(tls.serverContext()).clock(Clock.systemUTC()).start();
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

    /** B's presentation of A's AgentCredential and A's link to B (at most 250 EUR), for {@code domain}. */
    private String chainPresentation(String challenge, String domain) {
        AgentClaims claims = new AgentClaims(KeyDids.of(aKey.publicKey()), "procurement-agent", org, "ACME",
                new AgentClaims.Operator("Procurement", Optional.empty()), Set.of("purchase-order:negotiate"),
                new AgentClaims.Constraints(Optional.of(new AgentClaims.Money("5000", "EUR")), List.of(), "{}"),
                new AgentClaims.Delegation(true, 1));
        String root = VcJose.secureCredential(claims.credential(URI.create("urn:uuid:" + UUID.randomUUID()), now.minusSeconds(60),
                now.plus(Duration.ofHours(1)), List.of()), orgKey, KeyDids.methodId(orgKey.publicKey()), now);
        URI rootId = URI.create(CompactJws.parse(root).payloadJson().get("id").asText());
        String link = VcJose.secureCredential(new DelegationClaims(URI.create("urn:uuid:" + UUID.randomUUID()), KeyDids.of(aKey.publicKey()),
                KeyDids.of(bKey.publicKey()), Set.of("purchase-order:negotiate"),
                new AgentClaims.Constraints(Optional.of(new AgentClaims.Money("250", "EUR")), List.of(), "{}"), AgentClaims.Delegation.none(),
                Optional.empty(), ParentReference.ofToken(rootId, root), now.minusSeconds(60), now.plus(Duration.ofMinutes(10)))
                .credential(List.of()), aKey, KeyDids.methodId(aKey.publicKey()), now);
        return VcJose.securePresentation(VcJose.presentationOf(List.of(root, link)), bKey, KeyDids.methodId(bKey.publicKey()), challenge,
                domain, "urn:uuid:" + UUID.randomUUID(), now, now.plus(Duration.ofMinutes(2)));
    }

    private static String request(String vp, String challenge, String domain, String action) {
        ObjectNode body = JsonCodec.objectNode();
        body.putObject("verifiablePresentation").put("@context", "https://www.w3.org/ns/credentials/v2")
                .put("type", "EnvelopedVerifiablePresentation").put("id", "data:application/vp+jwt," + vp);
        ObjectNode options = body.putObject("options").put("challenge", challenge);
        if (domain != null) {
            options.put("domain", domain);
        }
        if (action != null) {
            options.set("action", JsonCodec.parse(action));
        }
        return body.toString();
    }

    private static void assertProblem(HttpResponse<String> r, String code, String pointer) {
        assertEquals(400, r.statusCode(), r.body());
        JsonNode p = JsonCodec.parse(r.body());
        assertTrue(p.path("type").asText().endsWith("#" + code), r.body());
        assertFalse(p.path("verified").asBoolean(true));
        if (pointer != null) {
            assertTrue(r.body().contains(pointer), r.body());
        }
    }

    @Test
    void theCallersDomainIsTheOneChecked() throws Exception {
        String vp = chainPresentation("c-1", "https://shop.example");
        HttpResponse<String> ok = post("/presentations/verify", request(vp, "c-1", "https://shop.example", null));
        assertEquals(200, ok.statusCode(), ok.body());
        JsonNode agent = JsonCodec.parse(ok.body()).get("agent");
        assertEquals(KeyDids.of(bKey.publicKey()).toString(), agent.get("id").asText());
        assertEquals(2, agent.get("delegationChain").size());
        assertProblem(post("/presentations/verify", request(chainPresentation("c-2", "https://shop.example"), "c-2",
                "https://other.example", null)), "INVALID_DOMAIN_ERROR", null);
        assertProblem(post("/presentations/verify", request(chainPresentation("c-3", "https://shop.example"), "c-3", null, null)),
                "INVALID_DOMAIN_ERROR", "/options/domain");
        assertProblem(post("/challenges", "{}"), "INVALID_DOMAIN_ERROR", "/domain");
        HttpResponse<String> issued = post("/challenges", "{\"domain\":\"https://shop.example\"}");
        assertEquals(201, issued.statusCode(), issued.body());
        assertEquals("https://shop.example", JsonCodec.parse(issued.body()).get("domain").asText());
    }

    @Test
    void anActionIsAuthorizedAgainstTheChainsEffectiveLimit() throws Exception {
        String domain = "https://shop.example";
        HttpResponse<String> within = post("/presentations/verify", request(chainPresentation("a-1", domain), "a-1", domain,
                "{\"capability\":\"purchase-order:negotiate\",\"amount\":{\"value\":\"250\",\"currency\":\"EUR\"}}"));
        assertEquals(200, within.statusCode(), within.body());
        assertProblem(post("/presentations/verify", request(chainPresentation("a-2", domain), "a-2", domain,
                "{\"capability\":\"purchase-order:negotiate\",\"amount\":{\"value\":\"250.01\",\"currency\":\"EUR\"}}")),
                "CONSTRAINT_VIOLATED", "/verifiableCredential/1/credentialSubject/constraints/maxTransactionValue");
        assertProblem(post("/presentations/verify", request(chainPresentation("a-3", domain), "a-3", domain,
                "{\"capability\":\"purchase-order:negotiate\",\"perDay\":3}")), "UNKNOWN_CONSTRAINT", "/options/action/perDay");
    }

    @Test
    void aCallerMayReuseItsChallengeButNotReplayAPresentation() throws Exception {
        String domain = "https://shop.example";
        String vp = chainPresentation("same", domain);
        assertEquals(200, post("/presentations/verify", request(vp, "same", domain, null)).statusCode());
        assertProblem(post("/presentations/verify", request(vp, "same", domain, null)), "PRESENTATION_REPLAYED", null);
        assertEquals(200, post("/presentations/verify", request(chainPresentation("same", domain), "same", domain, null)).statusCode());
    }
}
