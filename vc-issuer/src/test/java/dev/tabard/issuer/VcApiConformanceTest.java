package dev.tabard.issuer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.Base58Btc;
import dev.tabard.codec.JsonCodec;
import dev.tabard.did.Did;
import dev.tabard.did.DidResolver;
import dev.tabard.did.DidResolvers;
import dev.tabard.did.DidUrl;
import dev.tabard.did.Relationship;
import dev.tabard.did.VerificationMethod;
import dev.tabard.did.key.KeyDidResolver;
import dev.tabard.didweb.WebDidResolver;
import dev.tabard.fetch.FetchPolicy;
import dev.tabard.fetch.SafeFetcher;
import dev.tabard.fetch.SelfSignedTls;
import dev.tabard.issuer.http.IssuerServer;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.Verifier;
import dev.tabard.verifier.http.VerifierServer;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The issuer's VC-API endpoints against what the W3C suites send and expect, over real HTTPS on 127.0.0.1, with
 * the issued credentials checked by the real verifier endpoint: the Data Integrity issuer cases
 * (w3c-ccg/data-integrity-test-suite-assertion {@code suites/create.js}), the EdDSA data model and algorithm cases
 * (w3c/vc-di-eddsa-test-suite {@code suites/data-model.js}, {@code suites/algorithms.js}), the VC Data Model 2.0
 * issuer cases, and the Bitstring Status List issue, dereference and verify cases. The issuer runs as for a local
 * conformance run: a did:key issuer with its VC-API open, since the suites post without credentials.
 */
class VcApiConformanceTest {

    private static final String V2 = "https://www.w3.org/ns/credentials/v2";
    /** The XML Schema 1.1 dateTimeStamp pattern the Data Integrity assertions use. */
    private static final Pattern DATE_TIME_STAMP = Pattern.compile("-?([1-9][0-9]{3,}|0[0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
            + "T(([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]+)?|(24:00:00(\\.0+)?))(Z|(\\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))");
    private static final Pattern BASE58 = Pattern.compile("^[123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz]+$");

    private final SelfSignedTls tls = SelfSignedTls.localhost();
    @TempDir
    Path dir;
    private IssuerServer issuer;
    private VerifierServer verifier;
    private HttpClient client;
    private String issuerDid;
    private KeyDidResolver keys = new KeyDidResolver();

    @BeforeEach
    void start() throws Exception {
        issuer = IssuerServer.start(new IssuerConfig(dir, URI.create("https://localhost:0"), "key", "ACME Corp",
                "correct horse".toCharArray(), Duration.ofHours(1), Optional.of("tabard_conformance_0123456789abcdefGHIJKLMN"), 0),
                Optional.of(tls.serverContext()), Clock.systemUTC(), IssuerServer.VcApiAccess.OPEN_FOR_LOCAL_CONFORMANCE_RUNS);
        issuerDid = issuer.service().did().toString();
        SafeFetcher fetcher = new SafeFetcher(FetchPolicy.builder().allowHost("localhost").trustCertificate(tls.certificate()).build());
        DidResolver resolver = DidResolvers.of(WebDidResolver.builder().fetcher(fetcher).build(), keys);
        // a verifier configured as for a conformance run: any issuer, status lists read again on every verification
        Verifier v = Verifier.builder().resolver(resolver).trustPolicy(TrustPolicy.builder().trustAnyIssuer().build())
                .fetchPolicy(fetcher.policy()).statusListMaxAge(Duration.ZERO)
                .build();
        verifier = VerifierServer.builder(v).domain("https://verifier.example").port(0).tls(tls.serverContext()).clock(Clock.systemUTC()).requireIssuedChallenges().start();
        client = HttpClient.newBuilder().sslContext(tls.clientContext()).build();
    }

    @AfterEach
    void stop() {
        verifier.close();
        issuer.close();
    }

    // ---- helpers

    private HttpResponse<String> post(int port, String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + path)).header("Content-Type", "application/json")
                .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** What the suites post: the credential with the configured issuer id and a fresh id, and the configured options. */
    private HttpResponse<String> issue(ObjectNode credential, String options) throws Exception {
        ObjectNode c = credential.deepCopy();
        if (!c.has("issuer")) {
            c.put("issuer", issuerDid);
        }
        return post(issuer.port(), "/credentials/issue", "{\"credential\":" + c + (options == null ? "" : ",\"options\":" + options) + "}");
    }

    private ObjectNode issued(ObjectNode credential, String options) throws Exception {
        HttpResponse<String> r = issue(credential, options);
        assertEquals(201, r.statusCode(), r.body());
        return (ObjectNode) JsonCodec.parse(r.body()).get("verifiableCredential");
    }

    /** The Data Integrity suites' validVc (vc-di-eddsa-test-suite tests/vc-generator/validVc.js). */
    private static ObjectNode validVc() {
        return (ObjectNode) JsonCodec.parse("{\"@context\":[\"" + V2 + "\"],\"id\":\"urn:uuid:86294362-4254-4f36-854f-3952fe42555d\","
                + "\"type\":[\"VerifiableCredential\"],\"credentialSubject\":{\"id\":\"did:key:z6MktKwz7Ge1Yxzr4JHavN33wiwa8y81QdcMRLXQsrH9T53b\","
                + "\"name\":\"ExampleClaim\"}}");
    }

    private HttpResponse<String> verify(JsonNode vc) throws Exception {
        return post(verifier.port(), "/credentials/verify", "{\"verifiableCredential\":" + vc + ",\"options\":{\"checks\":[\"proof\"]}}");
    }

    private void assertVerifies(JsonNode vc) throws Exception {
        HttpResponse<String> r = verify(vc);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(JsonCodec.parse(r.body()).get("verified").asBoolean(), r.body());
    }

    /** The suites' shouldThrowInvalidInput: 400 or 422, never 401, and here a typed problem. */
    private static JsonNode assertInvalidInput(HttpResponse<String> r) {
        assertTrue(r.statusCode() == 400 || r.statusCode() == 422, r.statusCode() + " " + r.body());
        assertEquals("application/problem+json", r.headers().firstValue("content-type").orElse(""));
        JsonNode p = JsonCodec.parse(r.body());
        assertTrue(p.get("type").asText().startsWith("https://"), r.body());
        return p;
    }

    private static void assertProofShape(JsonNode vc, String cryptosuite) {
        JsonNode proof = vc.get("proof");
        assertTrue(proof != null && proof.isObject(), "a proof property, one object");
        assertEquals("DataIntegrityProof", proof.path("type").asText());
        assertEquals(cryptosuite, proof.path("cryptosuite").asText());
        assertTrue(DATE_TIME_STAMP.matcher(proof.path("created").asText()).matches(), proof.toString());
        assertEquals("assertionMethod", proof.path("proofPurpose").asText());
        String value = proof.path("proofValue").asText();
        assertTrue(value.startsWith("z") && BASE58.matcher(value.substring(1)).matches(), value);
        assertEquals(64, Base58Btc.decode(value.substring(1)).length, "a detached Ed25519 signature");
        assertTrue(vc.get("@context").toString().contains(V2), "the v2 context defines DataIntegrityProof");
    }

    // ---- Data Integrity issuer (data-integrity-test-suite-assertion suites/create.js) and vc-di-eddsa-test-suite

    @Test
    void eddsaRdfc2022Issuer_proofPropertyMustBeUsed_typeDataIntegrityProof_cryptosuiteAString_createdADateTimeStamp() throws Exception {
        assertProofShape(issued(validVc(), "{\"cryptosuite\":\"eddsa-rdfc-2022\"}"), "eddsa-rdfc-2022");
        // the same by proof type alone
        assertProofShape(issued(validVc(), "{\"type\":\"DataIntegrityProof\"}"), "eddsa-rdfc-2022");
    }

    @Test
    void eddsaRdfc2022Issuer_proofValueIsADetachedEdDsaSignatureInBase58btc() throws Exception {
        JsonNode vc = issued(validVc(), "{\"cryptosuite\":\"eddsa-rdfc-2022\"}");
        assertEquals(64, Base58Btc.decode(vc.get("proof").get("proofValue").asText().substring(1)).length);
    }

    @Test
    void verificationMethod_mapsToAUrl_andItsPublicKeyMultibaseStartsWithZ() throws Exception {
        JsonNode vc = issued(validVc(), "{\"cryptosuite\":\"eddsa-rdfc-2022\"}");
        DidUrl vm = DidUrl.parse(vc.get("proof").get("verificationMethod").asText());
        assertEquals(issuerDid, vm.did().toString());
        VerificationMethod method = keys.resolve(vm.did()).document().authorize(vm, Relationship.ASSERTION_METHOD);
        String multibase = method.key().toMultibase();
        assertTrue(multibase.startsWith("z6Mk") && BASE58.matcher(multibase.substring(1)).matches(), multibase);
    }

    @Test
    void mustVerifyAValidVcWithAnEddsaRdfc2022Proof_issuedHere() throws Exception {
        JsonNode vc = issued(validVc(), "{\"cryptosuite\":\"eddsa-rdfc-2022\"}");
        assertEquals(validVc().get("credentialSubject"), vc.get("credentialSubject"));
        assertVerifies(vc);
    }

    @Test
    void eddsaJcs2022Issuer_proofShapeAndVerification() throws Exception {
        JsonNode vc = issued(validVc(), "{\"cryptosuite\":\"eddsa-jcs-2022\"}");
        assertProofShape(vc, "eddsa-jcs-2022");
        assertVerifies(vc);
    }

    @Test
    void cryptosuiteThisIssuerCannotProduce_isInvalidInputNotAServerError() throws Exception {
        JsonNode p = assertInvalidInput(issue(validVc(), "{\"cryptosuite\":\"ecdsa-rdfc-2019\"}"));
        assertEquals("/options/cryptosuite", p.path("pointer").asText(), p.toString());
        assertInvalidInput(issue(validVc(), "{\"type\":\"Ed25519Signature2020\"}"));
        assertInvalidInput(issue(validVc(), "{\"format\":\"ldp_vc\"}"));
        assertInvalidInput(issue(validVc(), "[]"));
    }

    @Test
    void vc11Input_isSecuredWithEddsaRdfc2022AndVerifies() throws Exception {
        ObjectNode vc11 = (ObjectNode) JsonCodec.parse("{\"@context\":[\"https://www.w3.org/2018/credentials/v1\"],"
                + "\"id\":\"urn:uuid:1f6e1c3e-0d6b-4b7e-9d43-0d5b2c8e9a11\",\"type\":[\"VerifiableCredential\"],"
                + "\"credentialSubject\":{\"id\":\"did:key:z6MktKwz7Ge1Yxzr4JHavN33wiwa8y81QdcMRLXQsrH9T53b\"}}");
        JsonNode vc = issued(vc11, null);
        assertEquals("https://www.w3.org/2018/credentials/v1", vc.get("@context").get(0).asText());
        assertTrue(vc.get("@context").toString().contains("https://w3id.org/security/data-integrity/v2"), vc.toString());
        assertTrue(DATE_TIME_STAMP.matcher(vc.path("issuanceDate").asText()).matches(), vc.toString());
        assertEquals("eddsa-rdfc-2022", vc.get("proof").get("cryptosuite").asText());
        assertVerifies(vc);
        assertVerifies(issued(vc11, "{\"cryptosuite\":\"eddsa-jcs-2022\"}"));
    }

    // ---- VC Data Model 2.0 suite, issuer side (inputs from tests/input)

    @Test
    void credentialOk_isIssuedAsAnEnvelopedVcAndVerifies() throws Exception {
        ObjectNode ok = (ObjectNode) JsonCodec.parse("{\"@context\":[\"" + V2 + "\"],\"type\":[\"VerifiableCredential\"],"
                + "\"credentialSubject\":{\"id\":\"did:example:subject\"}}");
        JsonNode vc = issued(ok, null);
        // shouldBeSecured / shouldHaveEnvelopedProof / checkRequiredProperties
        assertEquals("EnvelopedVerifiableCredential", vc.get("type").asText());
        assertTrue(vc.get("id").asText().startsWith("data:application/vc+jwt,"));
        JsonNode payload = JsonCodec.parse(Base64.getUrlDecoder().decode(vc.get("id").asText().split(",")[1].split("\\.")[1]));
        for (String p : new String[] {"@context", "type", "issuer", "credentialSubject"}) {
            assertTrue(payload.has(p), p);
        }
        // an id the issuer adds is a URL: an RFC 9562 version 4 UUID URN
        java.util.UUID id = java.util.UUID.fromString(payload.get("id").asText().substring("urn:uuid:".length()));
        assertEquals(4, id.version());
        assertEquals(2, id.variant());
        assertEquals(V2, payload.get("@context").get(0).asText());
        assertVerifies(vc);
    }

    @Test
    void issuerThatIsNotThisService_isInvalidInputNeverUnauthorized() throws Exception {
        ObjectNode other = validVc();
        other.put("issuer", "did:example:someone-else");
        assertInvalidInput(issue(other, null));
        ObjectNode notUrl = validVc();
        notUrl.put("issuer", "not a url");
        assertInvalidInput(issue(notUrl, null));
        ObjectNode nullIssuer = validVc();
        nullIssuer.putNull("issuer");
        assertInvalidInput(issue(nullIssuer, null));
    }

    @Test
    void validUntilBeforeValidFrom_isRejectedAtIssue() throws Exception {
        ObjectNode vc = validVc();
        vc.put("validFrom", OffsetDateTime.now().plusYears(1).withNano(0).toInstant().toString());
        vc.put("validUntil", OffsetDateTime.now().minusYears(1).withNano(0).toInstant().toString());
        assertInvalidInput(issue(vc, null));
        ObjectNode ok = validVc();
        ok.put("validFrom", OffsetDateTime.now().minusYears(1).withNano(0).toInstant().toString());
        ok.put("validUntil", OffsetDateTime.now().plusYears(1).withNano(0).toInstant().toString());
        issued(ok, null);
    }

    @Test
    void credentialsThatBreakTheDataModel_areRejectedAtIssue() throws Exception {
        ObjectNode noSubject = validVc();
        noSubject.remove("credentialSubject");
        assertInvalidInput(issue(noSubject, null));
        ObjectNode noType = validVc();
        noType.remove("type");
        assertInvalidInput(issue(noType, null));
        ObjectNode contextOrder = validVc();
        contextOrder.putArray("@context").add("https://w3id.org/security/data-integrity/v2").add(V2);
        assertInvalidInput(issue(contextOrder, null));
        ObjectNode badValidFrom = validVc();
        badValidFrom.put("validFrom", "2025-13-45T00:00:00Z");
        assertInvalidInput(issue(badValidFrom, "{\"cryptosuite\":\"eddsa-rdfc-2022\"}"));
        ObjectNode undefinedTerm = validVc();
        undefinedTerm.put("undefinedTerm", "lost in JSON-LD processing");
        assertInvalidInput(issue(undefinedTerm, null));
        assertInvalidInput(post(issuer.port(), "/credentials/issue", "{\"credential\":\"not an object\"}"));
        assertInvalidInput(post(issuer.port(), "/credentials/issue", "{"));
    }

    @Test
    void inlineContextsAndTheExamplesContext_areAcceptedOnAConformanceServer() throws Exception {
        ObjectNode inline = (ObjectNode) JsonCodec.parse("{\"@context\":[\"" + V2 + "\",{\"ExampleTestCredential\":"
                + "\"https://example.org/#ExampleTestCredential\"}],\"type\":[\"VerifiableCredential\",\"ExampleTestCredential\"],"
                + "\"credentialSubject\":{\"id\":\"did:example:subject\"}}");
        issued(inline, null);
        ObjectNode examples = (ObjectNode) JsonCodec.parse("{\"@context\":[\"" + V2 + "\",\"https://www.w3.org/ns/credentials/examples/v2\"],"
                + "\"type\":[\"VerifiableCredential\",\"ExampleAlumniCredential\"],\"credentialSubject\":{\"id\":\"did:example:subject\","
                + "\"alumniOf\":\"Example University\"}}");
        issued(examples, null);
    }

    // ---- Bitstring Status List suite (10-data_model.js, 20-algorithms.js, 30-interop.js)

    private JsonNode dereference(String url) throws Exception {
        // as the suite's document loader does: a GET asking for JSON-LD, whatever the certificate
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/ld+json, application/json")
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("content-type").orElse("").contains("json"), r.headers().toString());
        return JsonCodec.parse(r.body());
    }

    private static byte[] expand(String encodedList) throws Exception {
        assertEquals('u', encodedList.charAt(0), "a Multibase base64url value");
        assertFalse(encodedList.contains("="), "base64url without padding");
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(Base64.getUrlDecoder().decode(encodedList.substring(1))))) {
            return in.readAllBytes();
        }
    }

    @Test
    void bitstringStatusListEntry_hasTheDataModelTheSuiteChecks() throws Exception {
        JsonNode vc = issued(validVc(), "{\"cryptosuite\":\"eddsa-rdfc-2022\",\"credentialStatus\":{\"type\":\"BitstringStatusListEntry\","
                + "\"statusPurpose\":\"revocation\"}}");
        JsonNode entry = vc.get("credentialStatus");
        assertTrue(entry.isObject(), "one entry for one purpose");
        assertEquals("BitstringStatusListEntry", entry.get("type").asText());
        assertEquals("revocation", entry.get("statusPurpose").asText());
        String index = entry.get("statusListIndex").asText();
        assertTrue(entry.get("statusListIndex").isTextual() && String.valueOf(Integer.parseInt(index)).equals(index)
                && Integer.parseInt(index) >= 0, "an integer >= 0 as a base-10 string");
        URI list = URI.create(entry.get("statusListCredential").asText());
        assertEquals("https", list.getScheme());
        assertNotEquals(list.toString(), entry.path("id").asText(), "an entry id is not the status list's URL");
        assertVerifies(vc);
        // an id already used for a credential with status is refused: status updates name credentials by id
        assertInvalidInput(issue(validVc(), "{\"credentialStatus\":{\"type\":\"BitstringStatusListEntry\"}}"));
        // both purposes when none is named
        ObjectNode fresh = validVc();
        fresh.put("id", "urn:uuid:0b5a3c3e-5d1e-4c55-8f6b-6c1f3d8e2a77");
        JsonNode both = issued(fresh, "{\"credentialStatus\":{\"type\":\"BitstringStatusListEntry\"}}");
        JsonNode payload = JsonCodec.parse(Base64.getUrlDecoder().decode(both.get("id").asText().split(",")[1].split("\\.")[1]));
        assertEquals(2, payload.get("credentialStatus").size(), payload.toString());
    }

    @Test
    void statusListCredential_dereferencesToAConformingBitstringStatusListCredential() throws Exception {
        JsonNode vc = issued(validVc(), "{\"cryptosuite\":\"eddsa-rdfc-2022\",\"credentialStatus\":{\"type\":\"BitstringStatusListEntry\","
                + "\"statusPurpose\":\"suspension\"}}");
        String url = vc.get("credentialStatus").get("statusListCredential").asText();
        JsonNode slc = dereference(url);
        assertEquals(V2, slc.get("@context").get(0).asText());
        assertEquals(url, slc.get("id").asText(), "the list's id is the URL it was dereferenced from");
        assertTrue(slc.get("type").isArray() && slc.get("type").toString().contains("\"BitstringStatusListCredential\""), slc.toString());
        assertEquals(issuerDid, slc.get("issuer").asText());
        JsonNode subject = slc.get("credentialSubject");
        assertEquals("BitstringStatusList", subject.get("type").asText());
        assertEquals("suspension", subject.get("statusPurpose").asText());
        assertTrue(subject.get("id").isTextual());
        assertTrue(expand(subject.get("encodedList").asText()).length >= 16 * 1024, "at least 16KB uncompressed");
        assertProofShape(slc, "eddsa-rdfc-2022");
        assertVerifies(slc);
        // a client asking for vc+jwt (as Tabard's verifier does) gets the JOSE form of the same list
        HttpResponse<String> jwt = client.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/vc+jwt").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("application/vc+jwt", jwt.headers().firstValue("content-type").orElse(""));
    }

    @Test
    void revokedCredential_failsVerification_afterAVcApiStatusUpdate() throws Exception {
        JsonNode vc = issued(validVc(), "{\"cryptosuite\":\"eddsa-rdfc-2022\",\"credentialStatus\":{\"type\":\"BitstringStatusListEntry\","
                + "\"statusPurpose\":\"revocation\"}}");
        assertVerifies(vc);
        HttpResponse<String> update = post(issuer.port(), "/credentials/status", "{\"credentialId\":\"" + vc.get("id").asText()
                + "\",\"credentialStatus\":{\"type\":\"BitstringStatusListEntry\",\"statusPurpose\":\"revocation\"}}");
        assertEquals(200, update.statusCode(), update.body());
        JsonNode slc = dereference(vc.get("credentialStatus").get("statusListCredential").asText());
        int index = vc.get("credentialStatus").get("statusListIndex").asInt();
        byte[] bits = expand(slc.get("credentialSubject").get("encodedList").asText());
        assertEquals(1, (bits[index / 8] >> (7 - index % 8)) & 1, "the bit at the entry's index is set, first bit leftmost");
        HttpResponse<String> r = verify(vc);
        assertEquals(400, r.statusCode(), r.body());
        JsonNode p = JsonCodec.parse(r.body());
        assertFalse(p.get("verified").asBoolean());
        assertTrue(p.get("type").asText().endsWith("#CREDENTIAL_REVOKED"), r.body());
        // a revocation is final
        HttpResponse<String> undo = post(issuer.port(), "/credentials/status", "{\"credentialId\":\"" + vc.get("id").asText()
                + "\",\"credentialStatus\":{\"type\":\"BitstringStatusListEntry\",\"statusPurpose\":\"revocation\"},\"status\":false}");
        assertEquals(403, undo.statusCode(), undo.body());
    }

    @Test
    void suspendedCredential_failsVerification_untilReinstated() throws Exception {
        JsonNode vc = issued(validVc(), "{\"format\":\"vc+jwt\",\"credentialStatus\":{\"type\":\"BitstringStatusListEntry\","
                + "\"statusPurpose\":\"suspension\"}}");
        JsonNode payload = JsonCodec.parse(Base64.getUrlDecoder().decode(vc.get("id").asText().split(",")[1].split("\\.")[1]));
        String id = payload.get("id").asText();
        String body = "{\"credentialId\":\"" + id + "\",\"credentialStatus\":{\"type\":\"BitstringStatusListEntry\",\"statusPurpose\":\"suspension\"},";
        assertEquals(200, post(issuer.port(), "/credentials/status", body + "\"status\":true}").statusCode());
        HttpResponse<String> r = verify(vc);
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(JsonCodec.parse(r.body()).get("type").asText().endsWith("#CREDENTIAL_SUSPENDED"), r.body());
        assertEquals(200, post(issuer.port(), "/credentials/status", body + "\"status\":false}").statusCode());
        assertVerifies(vc);
    }

    @Test
    void malformedStatusProperties_raiseMalformedValueError() throws Exception {
        // 20-algorithms.js: a status entry whose statusListIndex is not a string must be refused
        ObjectNode vc = validVc();
        vc.putObject("statusEntry").put("type", "BitstringStatusListEntry").put("statusListIndex", true)
                .put("statusListCredential", "https://example.com");
        assertInvalidInput(issue(vc, null));
        ObjectNode entry = validVc();
        entry.putObject("credentialStatus").put("type", "BitstringStatusListEntry").put("statusPurpose", "revocation")
                .put("statusListIndex", true).put("statusListCredential", "https://example.com");
        assertInvalidInput(issue(entry, null));
        JsonNode p = assertInvalidInput(issue(validVc(), "{\"credentialStatus\":{\"type\":\"StatusList2021Entry\"}}"));
        assertEquals("https://www.w3.org/TR/vc-data-model#MALFORMED_VALUE_ERROR", p.get("type").asText());
        assertInvalidInput(issue(validVc(), "{\"credentialStatus\":{\"type\":\"BitstringStatusListEntry\",\"statusPurpose\":\"refresh\"}}"));
        assertInvalidInput(post(issuer.port(), "/credentials/status", "{\"credentialId\":\"urn:uuid:x\",\"credentialStatus\":"
                + "{\"type\":\"BitstringStatusListEntry\",\"statusPurpose\":\"revocation\"},\"status\":\"yes\"}"));
        HttpResponse<String> unknown = post(issuer.port(), "/credentials/status", "{\"credentialId\":\"urn:uuid:unknown\",\"credentialStatus\":"
                + "{\"type\":\"BitstringStatusListEntry\",\"statusPurpose\":\"revocation\"}}");
        assertEquals(404, unknown.statusCode(), unknown.body());
    }
}
