package dev.tabard.issuer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.did.DidResolver;
import dev.tabard.did.DidResolvers;
import dev.tabard.did.key.KeyDidResolver;
import dev.tabard.didweb.WebDidResolver;
import dev.tabard.fetch.FetchPolicy;
import dev.tabard.fetch.SafeFetcher;
import dev.tabard.fetch.SelfSignedTls;
import dev.tabard.issuer.http.IssuerServer;
import dev.tabard.problem.ProblemType;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.VerificationResult;
import dev.tabard.verifier.Verifier;
import dev.tabard.http.MetricsAccess;
import dev.tabard.http.TransportLimits;
import dev.tabard.http.testing.PrometheusText;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * VC-API issuance with the optional P-256 org key: the cryptosuite, type and format/alg options select it as the admin
 * API's format and alg do, what is issued verifies in the real verifier over HTTPS, and an issuer without the key
 * answers a problem that points at the option, never a 500.
 */
class VcApiP256Test {

    private static final String ADMIN = "tabard_v82Lpomr-JFRFgAh5NCNrnQ3TVDbpqX1n_Rze61D2bA";
    private static final String SUBJECT = "did:key:z6MktKwz7Ge1Yxzr4JHavN33wiwa8y81QdcMRLXQsrH9T53b";

    private final SelfSignedTls tls = SelfSignedTls.localhost();
    @TempDir
    Path dir;
    private IssuerServer server;
    private HttpClient client;

    private void start(boolean p256) throws Exception {
        server = IssuerServer.start(new IssuerConfig(dir, URI.create("https://localhost:0"), "web", "ACME Corp",
                "correct horse".toCharArray(), Duration.ofHours(1), Optional.of(ADMIN), 0, p256), Optional.of(tls.serverContext()),
                Clock.systemUTC(), IssuerServer.VcApiAccess.TOKEN,
                // this test sends one bearer token with every request, metrics included
                new IssuerServer.Transport(TransportLimits.defaults(), MetricsAccess.bearerToken(ADMIN)));
        client = HttpClient.newBuilder().sslContext(tls.clientContext()).build();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + path))
                .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String credential() {
        return "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":[\"VerifiableCredential\"],"
                + "\"credentialSubject\":{\"id\":\"" + SUBJECT + "\"}}";
    }

    private HttpResponse<String> issue(String credential, String options) throws Exception {
        return send("POST", "/credentials/issue", "{\"credential\":" + credential + ",\"options\":" + options + "}");
    }

    private JsonNode issued(String credential, String options) throws Exception {
        HttpResponse<String> r = issue(credential, options);
        assertEquals(201, r.statusCode(), r.body());
        return JsonCodec.parse(r.body()).get("verifiableCredential");
    }

    private Verifier verifier() {
        SafeFetcher fetcher = new SafeFetcher(FetchPolicy.builder().allowHost("localhost").trustCertificate(tls.certificate()).build());
        DidResolver resolver = DidResolvers.of(WebDidResolver.builder().fetcher(fetcher).build(), new KeyDidResolver());
        return Verifier.builder().resolver(resolver).trustPolicy(TrustPolicy.builder().trustWebDomain("localhost").build())
                .fetchPolicy(fetcher.policy()).statusListMaxAge(Duration.ZERO)
                .build();
    }

    private void assertVerifies(String secured) {
        VerificationResult r = verifier().verifyCredential(secured);
        assertTrue(r.verified(), () -> r.errors().toString());
    }

    private static String jwtHeader(JsonNode enveloped, String member) {
        String jwt = enveloped.get("id").asText().substring("data:application/vc+jwt,".length());
        return JsonCodec.parse(Base64.getUrlDecoder().decode(jwt.split("\\.")[0])).get(member).asText();
    }

    private static String jwt(JsonNode enveloped) {
        return enveloped.get("id").asText().substring("data:application/vc+jwt,".length());
    }

    @Test
    void p256Issuer_ecdsaCryptosuitesAndEs256_verifyAndAreCounted() throws Exception {
        start(true);
        String did = server.service().did().toString();

        JsonNode rdfc = issued(credential(), "{\"cryptosuite\":\"ecdsa-rdfc-2019\"}");
        assertEquals("ecdsa-rdfc-2019", rdfc.get("proof").get("cryptosuite").asText());
        assertEquals(did + "#p256-1-multikey", rdfc.get("proof").get("verificationMethod").asText());
        assertVerifies(rdfc.toString());

        JsonNode jcs = issued(credential(), "{\"cryptosuite\":\"ecdsa-jcs-2019\"}");
        assertEquals("ecdsa-jcs-2019", jcs.get("proof").get("cryptosuite").asText());
        assertVerifies(jcs.toString());

        // the proof type alone with ES256 is the RDFC suite of the P-256 key; the default stays Ed25519
        assertEquals("ecdsa-rdfc-2019", issued(credential(), "{\"type\":\"DataIntegrityProof\",\"alg\":\"ES256\"}")
                .get("proof").get("cryptosuite").asText());
        assertEquals("eddsa-rdfc-2022", issued(credential(), "{\"type\":\"DataIntegrityProof\"}").get("proof").get("cryptosuite").asText());

        JsonNode es256 = issued(credential(), "{\"format\":\"vc+jwt\",\"alg\":\"ES256\"}");
        assertEquals("ES256", jwtHeader(es256, "alg"));
        assertEquals(did + "#p256-1", jwtHeader(es256, "kid"));
        assertVerifies(jwt(es256));
        assertEquals("EdDSA", jwtHeader(issued(credential(), "{}"), "alg"));

        // VC 1.1 has no vc+jwt here: asked for ES256, it gets the P-256 key's Data Integrity suite
        String v11 = "{\"@context\":[\"https://www.w3.org/2018/credentials/v1\"],\"type\":[\"VerifiableCredential\"],"
                + "\"credentialSubject\":{\"id\":\"" + SUBJECT + "\"}}";
        JsonNode v11Vc = issued(v11, "{\"alg\":\"ES256\"}");
        assertEquals("ecdsa-rdfc-2019", v11Vc.get("proof").get("cryptosuite").asText());
        assertVerifies(v11Vc.toString());

        // a suite and a key that do not fit
        HttpResponse<String> mismatch = issue(credential(), "{\"cryptosuite\":\"ecdsa-rdfc-2019\",\"alg\":\"EdDSA\"}");
        assertEquals(400, mismatch.statusCode(), mismatch.body());
        assertEquals("/options/alg", JsonCodec.parse(mismatch.body()).get("pointer").asText(), mismatch.body());

        PrometheusText metrics = PrometheusText.parse(send("GET", "/metrics", null).body());
        assertEquals(3.0, metrics.value("tabard_issuer_credentials_issued_total", Map.of("format", "ecdsa_rdfc_2019")));
        assertEquals(1.0, metrics.value("tabard_issuer_credentials_issued_total", Map.of("format", "ecdsa_jcs_2019")));
        assertEquals(1.0, metrics.value("tabard_issuer_credentials_issued_total", Map.of("format", "vc_jwt_es256")));
        assertEquals(1.0, metrics.value("tabard_issuer_credentials_issued_total", Map.of("format", "eddsa_rdfc_2022")));
        assertEquals(1.0, metrics.value("tabard_issuer_credentials_issued_total", Map.of("format", "vc_jwt")));
    }

    @Test
    void p256Issuer_ecdsaCredentialWithStatus_revokedThroughVcApiStatus() throws Exception {
        start(true);
        JsonNode vc = issued(credential(), "{\"cryptosuite\":\"ecdsa-rdfc-2019\",\"credentialStatus\":"
                + "{\"type\":\"BitstringStatusListEntry\",\"statusPurpose\":\"revocation\"}}");
        assertEquals("revocation", vc.get("credentialStatus").get("statusPurpose").asText(), vc.toString());
        assertVerifies(vc.toString());
        HttpResponse<String> revoked = send("POST", "/credentials/status", "{\"credentialId\":\"" + vc.get("id").asText()
                + "\",\"credentialStatus\":{\"type\":\"BitstringStatusListEntry\",\"statusPurpose\":\"revocation\"},\"status\":true}");
        assertEquals(200, revoked.statusCode(), revoked.body());
        assertEquals(ProblemType.CREDENTIAL_REVOKED, verifier().verifyCredential(vc.toString()).errors().get(0).type());
        assertEquals(1.0, PrometheusText.parse(send("GET", "/metrics", null).body())
                .value("tabard_issuer_status_changes_total", Map.of("action", "revoke")));
    }

    @Test
    void adminApi_takesTheSameFormatNames_includingTheJcsSuites() throws Exception {
        start(true);
        assertEquals(201, send("POST", "/admin/agents", "{\"did\":\"" + SUBJECT + "\",\"name\":\"a\",\"operator\":{\"name\":\"o\"}}")
                .statusCode());
        for (String format : new String[] {"eddsa-jcs-2022", "ecdsa-jcs-2019"}) {
            HttpResponse<String> r = send("POST", "/admin/agents/" + SUBJECT + "/credentials?format=" + format, null);
            assertEquals(201, r.statusCode(), r.body());
            JsonNode vc = JsonCodec.parse(r.body()).get("verifiableCredential");
            assertEquals(format, vc.get("proof").get("cryptosuite").asText());
            assertVerifies(vc.toString());
        }
        HttpResponse<String> mismatch = send("POST", "/admin/agents/" + SUBJECT + "/credentials?format=eddsa-jcs-2022&alg=ES256", null);
        assertEquals(400, mismatch.statusCode(), mismatch.body());
    }

    @Test
    void withoutAP256Key_p256FormatsAreAProblemAtTheOption() throws Exception {
        start(false);
        String[][] cases = {
            {"{\"cryptosuite\":\"ecdsa-rdfc-2019\"}", "/options/cryptosuite"},
            {"{\"cryptosuite\":\"ecdsa-jcs-2019\"}", "/options/cryptosuite"},
            {"{\"format\":\"ecdsa-rdfc-2019\"}", "/options/format"},
            {"{\"alg\":\"ES256\"}", "/options/alg"},
            {"{\"format\":\"vc+jwt\",\"alg\":\"ES256\"}", "/options/alg"},
            {"{\"type\":\"DataIntegrityProof\",\"alg\":\"ES256\"}", "/options/alg"},
        };
        for (String[] c : cases) {
            HttpResponse<String> r = issue(credential(), c[0]);
            assertEquals(400, r.statusCode(), c[0] + " -> " + r.body());
            JsonNode p = JsonCodec.parse(r.body());
            assertTrue(p.get("type").asText().endsWith("ALGORITHM_NOT_ALLOWED"), c[0] + " -> " + r.body());
            assertEquals(c[1], p.get("pointer").asText(), c[0] + " -> " + r.body());
        }
        for (String bad : new String[] {"{\"cryptosuite\":\"ecdsa-sd-2023\"}", "{\"cryptosuite\":\"vc+jwt\"}", "{\"alg\":\"RS256\"}",
            "{\"cryptosuite\":7}"}) {
            HttpResponse<String> r = issue(credential(), bad);
            assertEquals(400, r.statusCode(), bad + " -> " + r.body());
            assertTrue(JsonCodec.parse(r.body()).get("type").asText().endsWith("MALFORMED_VALUE_ERROR"), bad + " -> " + r.body());
        }
        // the Ed25519 suites still work, and are counted
        assertVerifies(issued(credential(), "{\"cryptosuite\":\"eddsa-jcs-2022\"}").toString());
        assertEquals(1.0, PrometheusText.parse(send("GET", "/metrics", null).body())
                .value("tabard_issuer_credentials_issued_total", Map.of("format", "eddsa_jcs_2022")));
    }
}
