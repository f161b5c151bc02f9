package dev.tabard.issuer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import dev.tabard.issuer.http.IssuerServer;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.VerificationResult;
import dev.tabard.verifier.Verifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Defect 1 of issue 23, performed for real: an issue-role token holder asks the VC-API to sign an AgentCredential the
 * registry never granted (an unregistered DID, {@code admin:all}, delegation depth 16, ten years, a status entry of
 * its own or none). Each attempt goes over HTTPS to a real issuer on 127.0.0.1 with a real SQLite store; what is
 * issued is checked by the real verifier under a trust policy, and the audit log is read back over the admin API.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IssuanceGrantTest {

    private static final String ADMIN = "tabard_5xOnc_3wXSxllvhES67m6_c_5x4kPatwXT04vzx0a5E";
    private static final String V2 = "https://www.w3.org/ns/credentials/v2";
    private static final String TABARD = "https://w3id.org/tabard/v1";

    private final SelfSignedTls tls = SelfSignedTls.localhost();
    private final Did agent = KeyDids.of(KeyPair.generate(KeyType.ED25519, new SecureRandom()).publicKey());
    @TempDir
    Path dir;
    private IssuerServer server;
    private HttpClient client;
    private String issuerDid;
    private String issueToken;

    @BeforeEach
    void start() throws Exception {
        server = IssuerServer.start(new IssuerConfig(dir, URI.create("https://localhost:0"), "web", "ACME Corp",
                "correct horse".toCharArray(), Duration.ofHours(1), Optional.of(ADMIN), 0), Optional.of(tls.serverContext()),
                Clock.systemUTC());
        client = HttpClient.newBuilder().sslContext(tls.clientContext()).build();
        issuerDid = server.service().did().toString();
        HttpResponse<String> t = send("POST", "/admin/tokens", "{\"name\":\"ci\",\"role\":\"issue\"}", ADMIN);
        assertEquals(201, t.statusCode(), t.body());
        issueToken = JsonCodec.parse(t.body()).get("token").asText();
    }

    @AfterEach
    void stop() {
        server.close();
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

    private HttpResponse<String> vcApi(ObjectNode credential, String options) throws Exception {
        return send("POST", "/credentials/issue", "{\"credential\":" + credential + (options == null ? "" : ",\"options\":" + options) + "}",
                issueToken);
    }

    private void register() throws Exception {
        HttpResponse<String> r = send("POST", "/admin/agents", "{\"did\":\"" + agent + "\",\"name\":\"procurement-agent\","
                + "\"operator\":{\"name\":\"Procurement\",\"email\":\"p@acme.example\"},\"capabilities\":[\"supplier:lookup\","
                + "\"purchase-order:negotiate\"],\"constraints\":{\"maxTransactionValue\":{\"amount\":\"5000\",\"currency\":\"EUR\"},"
                + "\"dataRegions\":[\"EU\"]},\"delegation\":{\"allowed\":true,\"maxDepth\":1}}", ADMIN);
        assertEquals(201, r.statusCode(), r.body());
    }

    /** An AgentCredential as the attacker writes it: the registered shape, with whatever claims and dates they like. */
    private ObjectNode agentCredential(Did subject, List<String> capabilities, String maxAmount, int depth, Instant until) {
        ObjectNode vc = (ObjectNode) JsonCodec.parse("{\"@context\":[\"" + V2 + "\",\"" + TABARD + "\"],"
                + "\"type\":[\"VerifiableCredential\",\"AgentCredential\"],\"issuer\":\"" + issuerDid + "\"}");
        vc.put("validUntil", until.toString());
        ObjectNode s = vc.putObject("credentialSubject");
        s.put("id", subject.toString()).put("type", "Agent").put("name", "procurement-agent");
        s.putObject("memberOf").put("id", issuerDid).put("name", "ACME Corp");
        s.putObject("operator").put("name", "Procurement").put("email", "p@acme.example");
        capabilities.forEach(s.putArray("capabilities")::add);
        ObjectNode c = s.putObject("constraints");
        c.putObject("maxTransactionValue").put("amount", maxAmount).put("currency", "EUR");
        c.putArray("dataRegions").add("EU");
        s.putObject("delegation").put("allowed", depth > 0).put("maxDepth", depth);
        return vc;
    }

    private static ObjectNode plainCredential() {
        return (ObjectNode) JsonCodec.parse("{\"@context\":[\"" + V2 + "\"],\"type\":[\"VerifiableCredential\"],"
                + "\"credentialSubject\":{\"id\":\"did:example:subject\",\"name\":\"x\"}}");
    }

    private static Instant inYears(int years) {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).plus(Duration.ofDays(365L * years));
    }

    private static JsonNode problem(HttpResponse<String> r, int status, String type) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("content-type").orElse(""), r.body());
        JsonNode p = JsonCodec.parse(r.body());
        assertTrue(p.path("type").asText().endsWith("#" + type), r.body());
        assertEquals(status, p.path("status").asInt(), r.body());
        assertFalse(r.body().contains("verifiableCredential"), r.body());
        return p;
    }

    /** The audit entries for signed credentials, in order. */
    private List<JsonNode> issuedAudit() throws Exception {
        HttpResponse<String> r = send("GET", "/admin/audit", null, ADMIN);
        assertEquals(200, r.statusCode(), r.body());
        List<JsonNode> out = new ArrayList<>();
        JsonCodec.parse(r.body()).get("entries").forEach(e -> {
            if (e.get("action").asText().equals("credential.issue")) {
                out.add(e);
            }
        });
        return out;
    }

    private static JsonNode payload(JsonNode enveloped) {
        String jwt = enveloped.get("id").asText().substring("data:application/vc+jwt,".length());
        return JsonCodec.parse(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    private Verifier verifier(String... capabilities) {
        SafeFetcher fetcher = new SafeFetcher(FetchPolicy.builder().allowHost("localhost").trustCertificate(tls.certificate()).build());
        DidResolver resolver = DidResolvers.of(WebDidResolver.builder().fetcher(fetcher).build(), new KeyDidResolver());
        return Verifier.builder().resolver(resolver)
                .trustPolicy(TrustPolicy.builder().trustWebDomain("localhost").requireCapabilities(capabilities).build())
                .fetchPolicy(fetcher.policy()).statusListMaxAge(Duration.ZERO).build();
    }

    @Test
    void theAttackOfTheIssue_anUnregisteredAgentWithAdminAllDepth16TenYears_isNotGranted_andNothingIsSigned() throws Exception {
        ObjectNode forged = agentCredential(agent, List.of("admin:all"), "999999999", 16, inYears(10));
        JsonNode p = problem(vcApi(forged, null), 403, "NOT_GRANTED");
        assertTrue(p.get("detail").asText().contains("not registered") && p.get("detail").asText().contains("POST /admin/agents"),
                p.toString());
        // the same with the caller's own status entry, and with the issuer's asked for
        ObjectNode withStatus = forged.deepCopy();
        withStatus.putObject("credentialStatus").put("type", "BitstringStatusListEntry").put("statusPurpose", "revocation")
                .put("statusListIndex", "0").put("statusListCredential", "https://attacker.example/status/1");
        assertEquals(400, vcApi(withStatus, null).statusCode());
        problem(vcApi(forged, "{\"credentialStatus\":{\"type\":\"BitstringStatusListEntry\"}}"), 403, "NOT_GRANTED");
        problem(vcApi(forged, "{\"cryptosuite\":\"eddsa-rdfc-2022\"}"), 403, "NOT_GRANTED");
        assertEquals(List.of(), issuedAudit(), "no credential was signed");
    }

    @Test
    void aRegisteredAgentAskingForMore_isRefusedWithEveryClaimNotGranted() throws Exception {
        register();
        ObjectNode wider = agentCredential(agent, List.of("supplier:lookup", "admin:all"), "50000", 16, inYears(0).plusSeconds(600));
        ObjectNode subject = (ObjectNode) wider.get("credentialSubject");
        ((ObjectNode) subject.get("constraints")).putArray("dataRegions").add("EU").add("US");
        subject.put("name", "ceo-agent");
        JsonNode p = problem(vcApi(wider, null), 403, "NOT_GRANTED");
        assertEquals(5, p.path("problems").size(), "one problem per claim not granted: " + p);
        String all = p.toString();
        for (String claim : new String[] {"/credentialSubject/name", "/credentialSubject/capabilities",
            "/credentialSubject/constraints/maxTransactionValue", "/credentialSubject/constraints/dataRegions", "/credentialSubject/delegation"}) {
            assertTrue(all.contains("/credential" + claim), claim + " not named in " + all);
        }
        assertTrue(all.contains("admin:all") && all.contains("update agent " + agent), all);
        // a subject property the issuer does not write is refused before any grant is weighed
        ObjectNode extra = agentCredential(agent, List.of("supplier:lookup"), "5000", 1, inYears(0).plusSeconds(600));
        ((ObjectNode) extra.get("credentialSubject")).put("role", "administrator");
        JsonNode shape = problem(vcApi(extra, null), 400, "MALFORMED_VALUE_ERROR");
        assertEquals("/credential/credentialSubject/role", shape.path("pointer").asText(), shape.toString());
        assertEquals(List.of(), issuedAudit());
    }

    @Test
    void longerThanTheBounds_isRefusedNotTrimmed() throws Exception {
        register();
        ObjectNode granted = agentCredential(agent, List.of("supplier:lookup"), "5000", 1, inYears(10));
        JsonNode p = problem(vcApi(granted, null), 400, "LIFETIME_TOO_LONG");
        assertEquals("/credential/validUntil", p.path("pointer").asText(), p.toString());
        // the AgentCredential bound is the issuer's credential validity (one hour here)
        problem(vcApi(agentCredential(agent, List.of("supplier:lookup"), "5000", 1, Instant.now().plus(Duration.ofHours(2))), null),
                400, "LIFETIME_TOO_LONG");
        // any credential: at most ValidityBounds.MAX_LIFETIME, starting now
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        ObjectNode plain = plainCredential();
        plain.put("validFrom", now.toString()).put("validUntil", now.plus(ValidityBounds.MAX_LIFETIME).plusSeconds(1).toString());
        problem(vcApi(plain, null), 400, "LIFETIME_TOO_LONG");
        plain.put("validUntil", now.plus(ValidityBounds.MAX_LIFETIME).toString());
        assertEquals(201, vcApi(plain, null).statusCode(), "exactly the maximum is signed");
        ObjectNode backdated = plainCredential();
        backdated.put("validFrom", "2010-01-01T00:00:00Z");
        assertEquals("/credential/validFrom", problem(vcApi(backdated, null), 400, "RANGE_ERROR").path("pointer").asText());
        ObjectNode postdated = plainCredential();
        postdated.put("validFrom", now.plus(ValidityBounds.MAX_VALID_FROM_SKEW).plusSeconds(120).toString());
        problem(vcApi(postdated, null), 400, "RANGE_ERROR");
        ObjectNode vc11 = (ObjectNode) JsonCodec.parse("{\"@context\":[\"https://www.w3.org/2018/credentials/v1\"],\"type\":"
                + "[\"VerifiableCredential\"],\"credentialSubject\":{\"id\":\"did:example:subject\"},\"expirationDate\":\""
                + inYears(10) + "\"}");
        assertEquals("/credential/expirationDate", problem(vcApi(vc11, null), 400, "LIFETIME_TOO_LONG").path("pointer").asText());
        assertEquals(1, issuedAudit().size(), "only the credential within the bounds was signed");
    }

    @Test
    void aCallerWrittenCredentialStatus_isRefusedOnAnyCredential() throws Exception {
        ObjectNode plain = plainCredential();
        plain.putObject("credentialStatus").put("id", "https://attacker.example/status/1#0").put("type", "BitstringStatusListEntry")
                .put("statusPurpose", "revocation").put("statusListIndex", "0").put("statusListCredential", "https://attacker.example/status/1");
        JsonNode p = problem(vcApi(plain, null), 400, "MALFORMED_VALUE_ERROR");
        assertEquals("/credential/credentialStatus", p.path("pointer").asText(), p.toString());
        assertTrue(p.path("detail").asText().contains("options.credentialStatus"), p.toString());
        register();
        ObjectNode agentVc = agentCredential(agent, List.of("supplier:lookup"), "5000", 1, Instant.now().plusSeconds(600));
        agentVc.set("credentialStatus", plain.get("credentialStatus"));
        problem(vcApi(agentVc, null), 400, "MALFORMED_VALUE_ERROR");
        assertEquals(List.of(), issuedAudit());
    }

    @Test
    void anAgentCredentialWithinTheGrant_isIssuedWithTheIssuersStatus_verifies_isAudited_andCanBeRevoked() throws Exception {
        register();
        ObjectNode narrower = agentCredential(agent, List.of("supplier:lookup"), "1000", 0, Instant.now().plusSeconds(1800));
        HttpResponse<String> r = vcApi(narrower, null);
        assertEquals(201, r.statusCode(), r.body());
        JsonNode enveloped = JsonCodec.parse(r.body()).get("verifiableCredential");
        JsonNode vc = payload(enveloped);
        JsonNode status = vc.get("credentialStatus");
        assertEquals(2, status.size(), vc.toString());
        String base = "https://localhost:" + server.port() + "/status/";
        status.forEach(e -> assertTrue(e.get("statusListCredential").asText().startsWith(base), e.toString()));
        String jwt = enveloped.get("id").asText().substring("data:application/vc+jwt,".length());
        VerificationResult ok = verifier("supplier:lookup").verifyCredential(jwt);
        assertTrue(ok.verified(), () -> ok.errors().toString());
        assertEquals(java.util.Set.of("supplier:lookup"), ok.agent().orElseThrow().capabilities());
        assertFalse(verifier("purchase-order:negotiate").verifyCredential(jwt).verified(), "only what was asked for is carried");
        // one audit entry, naming the credential, its type and validity, the token's holder as actor
        List<JsonNode> audit = issuedAudit();
        assertEquals(1, audit.size(), audit.toString());
        JsonNode details = audit.get(0).get("details");
        assertEquals(vc.get("id").asText(), audit.get(0).get("subject").asText());
        assertEquals(vc.get("id").asText(), details.get("id").asText());
        assertEquals(vc.get("validUntil").asText(), details.get("validUntil").asText());
        assertTrue(details.get("type").toString().contains("AgentCredential"), details.toString());
        assertEquals(agent.toString(), details.get("agent").asText());
        assertTrue(audit.get(0).get("actor").asText().startsWith("token:"));
        // the issuer's own status entry works: revoked, it no longer verifies
        assertEquals(204, send("POST", "/admin/credentials/" + vc.get("id").asText() + "/revoke", null, ADMIN).statusCode());
        VerificationResult revoked = verifier().verifyCredential(jwt);
        assertFalse(revoked.verified());
        assertEquals("CREDENTIAL_REVOKED", revoked.errors().get(0).type().name(), revoked.errors().toString());
    }

    @Test
    void everyPlainCredentialSigned_isAuditedOnce_withOrWithoutStatus() throws Exception {
        assertEquals(201, vcApi(plainCredential(), null).statusCode());
        assertEquals(201, vcApi(plainCredential(), "{\"cryptosuite\":\"eddsa-rdfc-2022\"}").statusCode());
        HttpResponse<String> withStatus = vcApi(plainCredential(), "{\"credentialStatus\":{\"type\":\"BitstringStatusListEntry\"}}");
        assertEquals(201, withStatus.statusCode(), withStatus.body());
        JsonNode vc = payload(JsonCodec.parse(withStatus.body()).get("verifiableCredential"));
        assertTrue(vc.has("validUntil"), "the issuer bounds a credential that did not ask for an end: " + vc);
        List<JsonNode> audit = issuedAudit();
        assertEquals(3, audit.size(), audit.toString());
        assertEquals(vc.get("id").asText(), audit.get(2).get("subject").asText());
        assertEquals("[\"revocation\",\"suspension\"]", audit.get(2).get("details").get("status").toString());
        assertEquals("[]", audit.get(0).get("details").get("status").toString());
        HttpResponse<String> chain = send("GET", "/admin/audit/verify", null, ADMIN);
        assertTrue(JsonCodec.parse(chain.body()).get("intact").asBoolean(), chain.body());
    }

    @Test
    void delegationsAreNeverSigned() throws Exception {
        register();
        ObjectNode delegation = agentCredential(agent, List.of("supplier:lookup"), "5000", 1, Instant.now().plusSeconds(600));
        delegation.putArray("type").add("VerifiableCredential").add("DelegationCredential");
        problem(vcApi(delegation, null), 403, "NOT_GRANTED");
        ObjectNode plainDelegation = plainCredential();
        plainDelegation.putArray("type").add("VerifiableCredential").add("AgentDelegation");
        problem(vcApi(plainDelegation, null), 403, "NOT_GRANTED");
        assertEquals(List.of(), issuedAudit());
    }

    @Test
    void theAdminRoute_refusesUnregisteredAndDeactivatedAgents_asNotGranted() throws Exception {
        problem(send("POST", "/admin/agents/" + agent + "/credentials", null, ADMIN), 403, "NOT_GRANTED");
        register();
        assertEquals(201, send("POST", "/admin/agents/" + agent + "/credentials", null, ADMIN).statusCode());
        assertEquals(204, send("POST", "/admin/agents/" + agent + "/deactivate", null, ADMIN).statusCode());
        JsonNode p = problem(send("POST", "/admin/agents/" + agent + "/credentials", null, ADMIN), 403, "NOT_GRANTED");
        assertTrue(p.get("detail").asText().contains("deactivated"), p.toString());
        problem(vcApi(agentCredential(agent, List.of("supplier:lookup"), "5000", 1, Instant.now().plusSeconds(600)), null), 403,
                "NOT_GRANTED");
        assertEquals(1, issuedAudit().size());
    }

    @Test
    void aRotatedKey_staysPublishedAsLongAsACredentialItSignedMayLive() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        ObjectNode longest = plainCredential();
        longest.put("validFrom", now.toString()).put("validUntil", now.plus(ValidityBounds.MAX_LIFETIME).toString());
        assertEquals(201, vcApi(longest, null).statusCode());
        HttpResponse<String> added = send("POST", "/admin/keys", null, ADMIN);
        assertEquals(201, added.statusCode(), added.body());
        String next = JsonCodec.parse(added.body()).get("id").asText();
        assertEquals(204, send("POST", "/admin/keys/" + next + "/activate", null, ADMIN).statusCode());
        JsonNode keys = JsonCodec.parse(send("GET", "/admin/keys", null, ADMIN).body()).get("keys");
        for (JsonNode k : keys) {
            if (k.get("state").asText().equals("DEPRECATED")) {
                Instant retire = Instant.parse(k.get("retireAfter").asText());
                assertFalse(retire.isBefore(now.plus(ValidityBounds.MAX_LIFETIME)), k.toString());
                return;
            }
        }
        throw new AssertionError("no deprecated key in " + keys);
    }
}
