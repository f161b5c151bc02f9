package dev.tabard.issuer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.audit.AuditLog;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.DidResolver;
import dev.tabard.did.DidResolvers;
import dev.tabard.did.key.KeyDidResolver;
import dev.tabard.did.key.KeyDids;
import dev.tabard.didweb.WebDidResolver;
import dev.tabard.fetch.FetchPolicy;
import dev.tabard.fetch.SafeFetcher;
import dev.tabard.fetch.SelfSignedTls;
import dev.tabard.http.MetricsAccess;
import dev.tabard.http.TransportLimits;
import dev.tabard.http.testing.PrometheusText;
import dev.tabard.issuer.http.IssuerServer;
import dev.tabard.issuer.store.SqliteIssuerStore;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.VerificationResult;
import dev.tabard.verifier.Verifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The issuer over real HTTPS on 127.0.0.1 with a real SQLite file; credentials checked by the real verifier. */
class IssuerServerTest {

    private static final String ADMIN = "tabard_SjqiBDmmH4UhlFuhiHv67kpuVU73HHbdggMirA6LT2k";
    private static final String METRICS = "test-metrics-token-0123456789";
    private final SelfSignedTls tls = SelfSignedTls.localhost();
    private final KeyPair agentKey = KeyPair.generate(KeyType.ED25519, new SecureRandom());
    private final Did agent = KeyDids.of(agentKey.publicKey());
    @TempDir
    Path dir;
    private IssuerServer server;
    private HttpClient client;
    private String base;

    private IssuerConfig config(int port, String secret) {
        return new IssuerConfig(dir, URI.create("https://localhost:" + port), "web", "ACME Corp", secret.toCharArray(),
                Duration.ofHours(1), Optional.of(ADMIN), port);
    }

    @BeforeEach
    void start() throws Exception {
        server = IssuerServer.start(config(0, "correct horse"), Optional.of(tls.serverContext()), Clock.systemUTC(),
                IssuerServer.VcApiAccess.TOKEN, new IssuerServer.Transport(TransportLimits.defaults(), MetricsAccess.bearerToken(METRICS)));
        base = "https://localhost:" + server.port();
        client = HttpClient.newBuilder().sslContext(tls.clientContext()).build();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String agentJson() {
        return "{\"did\":\"" + agent + "\",\"name\":\"procurement-agent\",\"operator\":{\"name\":\"Procurement\",\"email\":\"p@acme.example\"},"
                + "\"capabilities\":[\"supplier:lookup\",\"purchase-order:negotiate\"],"
                + "\"constraints\":{\"maxTransactionValue\":{\"amount\":\"5000\",\"currency\":\"EUR\"},\"dataRegions\":[\"EU\"]},"
                + "\"delegation\":{\"allowed\":true,\"maxDepth\":1}}";
    }

    private Verifier verifier() {
        SafeFetcher fetcher = new SafeFetcher(FetchPolicy.builder().allowHost("localhost").trustCertificate(tls.certificate()).build());
        DidResolver resolver = DidResolvers.of(WebDidResolver.builder().fetcher(fetcher).build(), new KeyDidResolver());
        return Verifier.builder().resolver(resolver).trustPolicy(TrustPolicy.builder().trustWebDomain("localhost").build())
                .fetchPolicy(fetcher.policy()).build();
    }

    @Test
    void registerIssueVerifyRevoke() throws Exception {
        assertEquals(201, send("POST", "/admin/agents", agentJson(), ADMIN).statusCode());
        HttpResponse<String> issued = send("POST", "/admin/agents/" + agent + "/credentials", null, ADMIN);
        assertEquals(201, issued.statusCode(), issued.body());
        JsonNode body = JsonCodec.parse(issued.body());
        String vcJwt = body.get("vcJwt").asText();
        VerificationResult r = verifier().verifyCredential(vcJwt);
        assertTrue(r.verified(), () -> r.errors().toString());
        assertEquals(agent, r.agent().orElseThrow().agent());
        assertTrue(r.agent().get().capabilities().contains("supplier:lookup"));

        HttpResponse<String> di = send("POST", "/admin/agents/" + agent + "/credentials?format=eddsa-rdfc-2022", null, ADMIN);
        assertEquals(201, di.statusCode(), di.body());
        VerificationResult rdi = verifier().verifyCredential(JsonCodec.parse(di.body()).get("verifiableCredential").toString());
        assertTrue(rdi.verified(), () -> rdi.errors().toString());

        String id = body.get("id").asText();
        assertEquals(204, send("POST", "/admin/credentials/" + id + "/suspend", null, ADMIN).statusCode());
        assertEquals(ProblemType.CREDENTIAL_SUSPENDED, verifier().verifyCredential(vcJwt).errors().get(0).type());
        assertEquals(204, send("POST", "/admin/credentials/" + id + "/reinstate", null, ADMIN).statusCode());
        assertTrue(verifier().verifyCredential(vcJwt).verified());
        assertEquals(204, send("POST", "/admin/credentials/" + id + "/revoke", null, ADMIN).statusCode());
        assertEquals(ProblemType.CREDENTIAL_REVOKED, verifier().verifyCredential(vcJwt).errors().get(0).type());

        JsonNode audit = JsonCodec.parse(send("GET", "/admin/audit/verify", null, ADMIN).body());
        assertTrue(audit.get("intact").asBoolean());
        assertTrue(audit.get("entries").asInt() >= 7);

        assertEquals(401, send("GET", "/metrics", null, null).statusCode(), "metrics need their token");
        assertEquals(401, send("GET", "/metrics", null, ADMIN).statusCode(), "an admin token is not the metrics token");
        HttpResponse<String> m = send("GET", "/metrics", null, METRICS);
        assertEquals(200, m.statusCode());
        assertTrue(m.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"));
        PrometheusText metrics = PrometheusText.parse(m.body());
        assertEquals(1.0, metrics.value("tabard_issuer_credentials_issued_total", Map.of("format", "vc_jwt")));
        assertEquals(1.0, metrics.value("tabard_issuer_credentials_issued_total", Map.of("format", "eddsa_rdfc_2022")));
        assertEquals(1.0, metrics.value("tabard_issuer_status_changes_total", Map.of("action", "revoke")));
    }

    @Test
    void vcApiIssuesVc2AndVc11InputWithStatusWhenAsked() throws Exception {
        String vc2 = "{\"credential\":{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":[\"VerifiableCredential\"],"
                + "\"credentialSubject\":{\"id\":\"" + agent + "\",\"name\":\"x\"}},\"options\":{\"credentialStatus\":{\"type\":"
                + "\"BitstringStatusListEntry\"}}}";
        HttpResponse<String> r = send("POST", "/credentials/issue", vc2, ADMIN);
        assertEquals(201, r.statusCode(), r.body());
        JsonNode env = JsonCodec.parse(r.body()).get("verifiableCredential");
        assertEquals("EnvelopedVerifiableCredential", env.get("type").asText());
        VerificationResult v = verifier().verifyCredential(env.get("id").asText().substring("data:application/vc+jwt,".length()));
        assertTrue(v.verified(), () -> v.errors().toString());
        String vc11 = "{\"credential\":{\"@context\":[\"https://www.w3.org/2018/credentials/v1\"],\"type\":[\"VerifiableCredential\"],"
                + "\"credentialSubject\":{\"id\":\"" + agent + "\"}}}";
        HttpResponse<String> r11 = send("POST", "/credentials/issue", vc11, ADMIN);
        assertEquals(201, r11.statusCode(), r11.body());
        assertEquals("eddsa-rdfc-2022", JsonCodec.parse(r11.body()).get("verifiableCredential").get("proof").get("cryptosuite").asText());
        HttpResponse<String> bad = send("POST", "/credentials/issue", "{\"credential\":{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],"
                + "\"type\":[\"VerifiableCredential\"],\"issuer\":\"did:web:someone.else\",\"credentialSubject\":{\"id\":\"did:ex:1\"}}}", ADMIN);
        assertEquals(400, bad.statusCode(), bad.body());
        assertEquals(401, send("POST", "/credentials/issue", vc2, null).statusCode());
    }

    @Test
    void keyRotationIsStagedAndOldCredentialsKeepVerifying() throws Exception {
        send("POST", "/admin/agents", agentJson(), ADMIN);
        String before = JsonCodec.parse(send("POST", "/admin/agents/" + agent + "/credentials", null, ADMIN).body()).get("vcJwt").asText();
        HttpResponse<String> added = send("POST", "/admin/keys", null, ADMIN);
        assertEquals(201, added.statusCode(), added.body());
        String newKey = JsonCodec.parse(added.body()).get("id").asText();
        String doc = send("GET", "/.well-known/did.json", null, null).body();
        assertTrue(doc.contains("#" + newKey + "\""), doc);
        // published, not signing yet
        String stillOld = JsonCodec.parse(send("POST", "/admin/agents/" + agent + "/credentials", null, ADMIN).body()).get("vcJwt").asText();
        assertTrue(JsonCodec.parse(java.util.Base64.getUrlDecoder().decode(stillOld.split("\\.")[0])).get("kid").asText().endsWith("#key-1"));
        assertEquals(204, send("POST", "/admin/keys/" + newKey + "/activate", null, ADMIN).statusCode());
        String after = JsonCodec.parse(send("POST", "/admin/agents/" + agent + "/credentials", null, ADMIN).body()).get("vcJwt").asText();
        assertTrue(JsonCodec.parse(java.util.Base64.getUrlDecoder().decode(after.split("\\.")[0])).get("kid").asText().endsWith("#" + newKey));
        Verifier v = verifier();
        assertTrue(v.verifyCredential(before).verified(), "credentials signed by the deprecated key still verify");
        assertTrue(v.verifyCredential(after).verified());
        assertEquals(403, send("POST", "/admin/keys/" + newKey + "/activate", null, ADMIN).statusCode());
        JsonNode keys = JsonCodec.parse(send("GET", "/admin/keys", null, ADMIN).body()).get("keys");
        assertEquals("DEPRECATED", keys.get(0).get("state").asText());
        assertEquals(0, JsonCodec.parse(send("POST", "/admin/keys/retire-expired", null, ADMIN).body()).get("retired").size());
    }

    private static String header(String jwt, String member) {
        return JsonCodec.parse(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[0])).get(member).asText();
    }

    @Test
    void p256Key_publishedBothWaysSelectableRotatableAndVerifiable() throws Exception {
        int port = server.port();
        server.close();
        IssuerConfig p256 = new IssuerConfig(dir, URI.create("https://localhost:" + port), "web", "ACME Corp", "correct horse".toCharArray(),
                Duration.ofHours(1), Optional.of(ADMIN), port, true);
        server = IssuerServer.start(p256, Optional.of(tls.serverContext()), Clock.systemUTC());
        JsonNode doc = JsonCodec.parse(send("GET", "/.well-known/did.json", null, null).body());
        String did = doc.get("id").asText();
        boolean jwk = false;
        boolean multikey = false;
        for (JsonNode vm : doc.get("verificationMethod")) {
            if (vm.get("id").asText().equals(did + "#p256-1")) {
                jwk = vm.get("type").asText().equals("JsonWebKey") && vm.get("publicKeyJwk").get("crv").asText().equals("P-256")
                        && !vm.get("publicKeyJwk").has("d");
            }
            if (vm.get("id").asText().equals(did + "#p256-1-multikey")) {
                multikey = vm.get("type").asText().equals("Multikey") && vm.get("publicKeyMultibase").asText().startsWith("zDn");
            }
        }
        assertTrue(jwk && multikey, doc.toString());
        assertTrue(JsonCodec.writeString(doc.get("assertionMethod")).contains("#p256-1"), doc.toString());

        assertEquals(201, send("POST", "/admin/agents", agentJson(), ADMIN).statusCode());
        HttpResponse<String> es = send("POST", "/admin/agents/" + agent + "/credentials?alg=ES256", null, ADMIN);
        assertEquals(201, es.statusCode(), es.body());
        String es256 = JsonCodec.parse(es.body()).get("vcJwt").asText();
        assertEquals("ES256", header(es256, "alg"));
        assertEquals(did + "#p256-1", header(es256, "kid"));
        VerificationResult r = verifier().verifyCredential(es256);
        assertTrue(r.verified(), () -> r.errors().toString());
        String eddsa = JsonCodec.parse(send("POST", "/admin/agents/" + agent + "/credentials", null, ADMIN).body()).get("vcJwt").asText();
        assertEquals("EdDSA", header(eddsa, "alg"), "Ed25519 stays the default");

        HttpResponse<String> di = send("POST", "/admin/agents/" + agent + "/credentials?format=ecdsa-rdfc-2019", null, ADMIN);
        assertEquals(201, di.statusCode(), di.body());
        JsonNode diVc = JsonCodec.parse(di.body()).get("verifiableCredential");
        assertEquals("ecdsa-rdfc-2019", diVc.get("proof").get("cryptosuite").asText());
        assertEquals(did + "#p256-1-multikey", diVc.get("proof").get("verificationMethod").asText());
        VerificationResult rdi = verifier().verifyCredential(diVc.toString());
        assertTrue(rdi.verified(), () -> rdi.errors().toString());

        String vcApi = "{\"credential\":{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":[\"VerifiableCredential\"],"
                + "\"credentialSubject\":{\"id\":\"" + agent + "\"}},\"options\":{\"alg\":\"ES256\"}}";
        HttpResponse<String> api = send("POST", "/credentials/issue", vcApi, ADMIN);
        assertEquals(201, api.statusCode(), api.body());
        String apiJwt = JsonCodec.parse(api.body()).get("verifiableCredential").get("id").asText().substring("data:application/vc+jwt,".length());
        assertEquals("ES256", header(apiJwt, "alg"));
        VerificationResult rapi = verifier().verifyCredential(apiJwt);
        assertTrue(rapi.verified(), () -> rapi.errors().toString());
        HttpResponse<String> mismatch = send("POST", "/credentials/issue", vcApi.replace("\"alg\":\"ES256\"",
                "\"alg\":\"ES256\",\"format\":\"eddsa-rdfc-2022\""), ADMIN);
        assertEquals(400, mismatch.statusCode(), mismatch.body());
        assertEquals("/options/alg", JsonCodec.parse(mismatch.body()).get("pointer").asText(), mismatch.body());

        // rotation of the P-256 key follows the same three stages, and the Ed25519 key is untouched
        HttpResponse<String> added = send("POST", "/admin/keys?type=P-256", null, ADMIN);
        assertEquals(201, added.statusCode(), added.body());
        assertEquals("p256-2", JsonCodec.parse(added.body()).get("id").asText());
        assertEquals(204, send("POST", "/admin/keys/p256-2/activate", null, ADMIN).statusCode());
        String rotated = JsonCodec.parse(send("POST", "/admin/agents/" + agent + "/credentials?alg=ES256", null, ADMIN).body()).get("vcJwt").asText();
        assertEquals(did + "#p256-2", header(rotated, "kid"));
        assertTrue(verifier().verifyCredential(rotated).verified());
        assertTrue(verifier().verifyCredential(es256).verified(), "the deprecated P-256 key stays published");
        String stillEd = JsonCodec.parse(send("POST", "/admin/agents/" + agent + "/credentials", null, ADMIN).body()).get("vcJwt").asText();
        assertEquals(did + "#key-1", header(stillEd, "kid"));

        // the keys come back, sealed, on a restart, with the same kids
        server.close();
        server = IssuerServer.start(p256, Optional.of(tls.serverContext()), Clock.systemUTC());
        String again = JsonCodec.parse(send("POST", "/admin/agents/" + agent + "/credentials?alg=ES256", null, ADMIN).body()).get("vcJwt").asText();
        assertEquals(did + "#p256-2", header(again, "kid"));
        assertTrue(verifier().verifyCredential(again).verified());
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("issuer.db"));
             var rs = c.createStatement().executeQuery("SELECT sealed_private FROM org_keys WHERE id = 'p256-1'")) {
            assertTrue(rs.next());
            assertFalse(rs.getString(1).isEmpty());
        }
        JsonNode keys = JsonCodec.parse(send("GET", "/admin/keys", null, ADMIN).body()).get("keys");
        assertEquals(3, keys.size(), keys.toString());
    }

    @Test
    void es256WithoutAP256Key_isAProblem() throws Exception {
        send("POST", "/admin/agents", agentJson(), ADMIN);
        HttpResponse<String> r = send("POST", "/admin/agents/" + agent + "/credentials?alg=ES256", null, ADMIN);
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(JsonCodec.parse(r.body()).get("type").asText().endsWith("ALGORITHM_NOT_ALLOWED"), r.body());
        assertEquals(400, send("POST", "/admin/agents/" + agent + "/credentials?alg=RS256", null, ADMIN).statusCode());
        assertEquals(400, send("POST", "/admin/agents/" + agent + "/credentials?format=ecdsa-sd-2023", null, ADMIN).statusCode());
        assertEquals(403, send("POST", "/admin/keys?type=P-256", null, ADMIN).statusCode());
        assertEquals(400, send("POST", "/admin/keys?type=RSA", null, ADMIN).statusCode());
    }

    @Test
    void deactivatedAgentsGetNoCredentials() throws Exception {
        send("POST", "/admin/agents", agentJson(), ADMIN);
        assertEquals(204, send("POST", "/admin/agents/" + agent + "/deactivate", null, ADMIN).statusCode());
        HttpResponse<String> r = send("POST", "/admin/agents/" + agent + "/credentials", null, ADMIN);
        assertEquals(403, r.statusCode());
        assertEquals(403, send("POST", "/admin/agents/did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK/credentials", null, ADMIN)
                .statusCode(), "nothing is granted to an unregistered agent");
    }

    @Test
    void nothingAdministrativeWithoutTheRightToken() throws Exception {
        assertEquals(401, send("POST", "/admin/agents", agentJson(), null).statusCode());
        assertEquals(401, send("POST", "/admin/agents", agentJson(), "wrong").statusCode());
        assertEquals(401, send("GET", "/admin/audit", null, ADMIN + "x").statusCode());
        HttpResponse<String> t = send("POST", "/admin/tokens", "{\"name\":\"ci\",\"role\":\"issue\"}", ADMIN);
        assertEquals(201, t.statusCode(), t.body());
        String issueToken = JsonCodec.parse(t.body()).get("token").asText();
        assertEquals(201, send("POST", "/admin/agents", agentJson(), issueToken).statusCode());
        assertEquals(403, send("POST", "/admin/agents/" + agent + "/deactivate", null, issueToken).statusCode());
        assertEquals(403, send("GET", "/admin/audit", null, issueToken).statusCode());
    }

    @Test
    void badInputIsAProblemNeverA500() throws Exception {
        for (String body : new String[] {"", "{", "[]", "{\"did\":\"nope\"}", "{\"did\":\"" + agent + "\"}",
            agentJson().replace("\"supplier:lookup\"", "\"Bad Cap!\""), agentJson().replace("\"5000\"", "\"lots\"")}) {
            HttpResponse<String> r = send("POST", "/admin/agents", body, ADMIN);
            assertEquals(400, r.statusCode(), body + " -> " + r.body());
            JsonNode p = JsonCodec.parse(r.body());
            assertTrue(p.has("type") && p.has("title") && p.has("detail"));
        }
        assertEquals(413, send("POST", "/admin/agents", "{\"x\":\"" + "a".repeat(IssuerServer.MAX_BODY_BYTES) + "\"}", ADMIN).statusCode());
        assertEquals(404, send("GET", "/status/999", null, null).statusCode());
        assertEquals(404, send("GET", "/status/abc", null, null).statusCode());
        assertEquals(404, send("GET", "/nothing", null, null).statusCode());
        assertEquals(404, send("POST", "/admin/credentials/urn:uuid:none/revoke", null, ADMIN).statusCode());
        HttpResponse<String> doc = send("GET", "/.well-known/did.json", null, null);
        assertEquals("application/did+json", doc.headers().firstValue("content-type").orElse(""));
        assertEquals(200, send("GET", "/healthz", null, null).statusCode());
    }

    @Test
    void tamperedAuditIsDetectedAndAWrongSecretRefusesToStart() throws Exception {
        send("POST", "/admin/agents", agentJson(), ADMIN);
        send("POST", "/admin/agents/" + agent + "/credentials", null, ADMIN);
        int port = server.port();
        server.close();
        server = null;
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("issuer.db"))) {
            c.createStatement().executeUpdate("UPDATE audit SET actor = 'someone-else' WHERE seq = 2");
        }
        try (SqliteIssuerStore store = SqliteIssuerStore.open(dir.resolve("issuer.db"), Clock.systemUTC(), new SecureRandom())) {
            assertEquals("BROKEN: entry 2 edited: its content no longer gives its stored hash",
                    AuditLog.verify(store, Optional.empty()).message());
        }
        ProblemException e = assertThrows(ProblemException.class,
                () -> IssuerServer.start(config(port, "wrong secret"), Optional.of(tls.serverContext()), Clock.systemUTC()));
        assertEquals(ProblemType.UNAUTHORIZED, e.type());
        assertFalse(e.getMessage().contains("correct horse"));
    }
}
