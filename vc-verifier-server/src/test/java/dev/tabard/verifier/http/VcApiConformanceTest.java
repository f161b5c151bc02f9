package dev.tabard.verifier.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.Verifier;
import dev.tabard.codec.Base58Btc;
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
import dev.tabard.jsonld.BundledContexts;
import dev.tabard.jsonld.Rdfc;
import dev.tabard.vc.di.DataIntegrity;
import dev.tabard.vc.di.Jcs;
import dev.tabard.vc.di.ProofOptions;
import dev.tabard.vc.jose.EnvelopedCredential;
import dev.tabard.vc.jose.VcJose;
import dev.tabard.vc.status.Bitstring;
import dev.tabard.vc.status.StatusListCredentials;
import dev.tabard.vc.status.StatusPurpose;
import dev.tabard.verifier.http.VerifierServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The verifier's VC-API endpoints against the cases the W3C suites send them, over real HTTPS on 127.0.0.1: the
 * Data Integrity verify cases (w3c-ccg/data-integrity-test-suite-assertion {@code suites/verify.js}), the
 * eddsa-rdfc-2022 verifier cases (w3c/vc-di-eddsa-test-suite {@code 20-rdfc-verify.js}), the VC Data Model 2.0
 * verifier negatives, and Bitstring Status List verification against lists served over HTTPS. Each test is named
 * after the suite's assertion. The suites accept 400 or 422 for a failure; we answer 400 with problem details.
 *
 * <p>The suites sign their negative fixtures with a deliberately wrong field; where our signer cannot produce that
 * field, the test changes it after signing. A verifier must refuse both, and ours checks the field before the
 * signature.
 */
class VcApiConformanceTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String V2 = "https://www.w3.org/ns/credentials/v2";
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final KeyPair issuerKey = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final Did issuer = KeyDids.of(issuerKey.publicKey());
    private final SelfSignedTls tls = SelfSignedTls.localhost();
    private final Map<String, String> lists = new ConcurrentHashMap<>();
    private HttpsServer listHost;
    private VerifierServer server;
    private HttpClient client;

    @BeforeEach
    void start() throws Exception {
        listHost = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        listHost.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
        listHost.createContext("/status/", exchange -> {
            String body = lists.get(exchange.getRequestURI().getPath());
            byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/vc+ld+json");
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        listHost.start();
        SafeFetcher fetcher = new SafeFetcher(FetchPolicy.builder().allowHost("localhost").trustCertificate(tls.certificate()).build());
        DidResolver resolver = DidResolvers.of(WebDidResolver.builder().fetcher(fetcher).build(), new KeyDidResolver());
        // status lists are read again on every verification, so a change shows at once
        Verifier verifier = Verifier.builder().resolver(resolver).trustPolicy(TrustPolicy.builder().trustAnyIssuer().acceptCredentialsNotBoundToHolder().build())
                .fetchPolicy(fetcher.policy()).statusListMaxAge(Duration.ZERO)
                .build();
        server = VerifierServer.builder(verifier).domain("https://verifier.example").port(0).tls(tls.serverContext()).clock(Clock.systemUTC()).requireIssuedChallenges().start();
        client = HttpClient.newBuilder().sslContext(tls.clientContext()).build();
    }

    @AfterEach
    void stop() {
        server.close();
        listHost.stop(0);
    }

    // ---- helpers

    private ObjectNode validVc() {
        ObjectNode vc = JsonCodec.objectNode();
        vc.putArray("@context").add(V2);
        vc.put("id", "urn:uuid:86294362-4254-4f36-854f-3952fe42555d");
        vc.putArray("type").add("VerifiableCredential");
        vc.put("issuer", issuer.toString());
        vc.putObject("credentialSubject").put("id", "did:key:z6MktKwz7Ge1Yxzr4JHavN33wiwa8y81QdcMRLXQsrH9T53b").put("name", "ExampleClaim");
        return vc;
    }

    private ObjectNode sign(ObjectNode vc, String cryptosuite) {
        return DataIntegrity.sign(vc, issuerKey, ProofOptions.assertion(cryptosuite, KeyDids.methodId(issuerKey.publicKey()), now),
                BundledContexts.standard());
    }

    private ObjectNode issuedVc() {
        return sign(validVc(), "eddsa-rdfc-2022");
    }

    private static ObjectNode proof(ObjectNode vc) {
        return (ObjectNode) vc.get("proof");
    }

    /** Signs {@code hashData} in place of the real signature, to make proofs over the wrong transformation or hash. */
    private ObjectNode resigned(ObjectNode secured, byte[] hashData) {
        proof(secured).put("proofValue", "z" + Base58Btc.encode(issuerKey.sign(hashData)));
        return secured;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] digest(String algorithm, byte[] data) throws Exception {
        return MessageDigest.getInstance(algorithm).digest(data);
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> verify(JsonNode credential, ObjectNode options) throws Exception {
        ObjectNode body = JsonCodec.objectNode();
        body.set("verifiableCredential", credential);
        ObjectNode o = body.putObject("options");
        o.putArray("checks").add("proof");
        if (options != null) {
            o.setAll(options);
        }
        return post("/credentials/verify", body.toString());
    }

    private static void assertVerified(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r.body());
        JsonNode body = JsonCodec.parse(r.body());
        assertTrue(body.get("verified").asBoolean(), r.body());
        assertEquals(0, body.path("errors").size(), r.body());
    }

    /** What every suite asks of a refusal: 400 (or 422), and here a typed problem with verified false. */
    private static JsonNode assertRefused(HttpResponse<String> r, String typeSuffix) {
        assertEquals(400, r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("content-type").orElse(""));
        JsonNode p = JsonCodec.parse(r.body());
        assertFalse(p.get("verified").asBoolean(), r.body());
        assertTrue(p.get("type").asText().endsWith(typeSuffix), typeSuffix + " expected: " + r.body());
        assertTrue(p.has("title") && p.has("detail"), r.body());
        return p;
    }

    // ---- vc-di-eddsa-test-suite 20-rdfc-verify.js

    @Test
    void mustVerifyAValidVcWithAnEddsaRdfc2022Proof() throws Exception {
        assertVerified(verify(issuedVc(), null));
    }

    @Test
    void proofValueNot64BytesForA32BytePublicKey_errorMustBeRaised() throws Exception {
        ObjectNode vc = issuedVc();
        byte[] sig = Base58Btc.decode(proof(vc).get("proofValue").asText().substring(1));
        byte[] longer = new byte[32];
        RANDOM.nextBytes(longer);
        proof(vc).put("proofValue", "z" + Base58Btc.encode(concat(sig, longer)));
        assertRefused(verify(vc, null), "#PROOF_VERIFICATION_ERROR");
    }

    @Test
    void canonicalizationOtherThanRdfc_errorMustBeRaised() throws Exception {
        ObjectNode vc = issuedVc();
        ObjectNode config = proof(vc).deepCopy();
        config.remove("proofValue");
        config.set("@context", vc.get("@context").deepCopy());
        ObjectNode doc = vc.deepCopy();
        doc.remove("proof");
        byte[] jcsHash = concat(digest("SHA-256", Jcs.canonicalize(config)), digest("SHA-256", Jcs.canonicalize(doc)));
        assertRefused(verify(resigned(vc, jcsHash), null), "#PROOF_VERIFICATION_ERROR");
    }

    @Test
    void hashOtherThanSha256_errorMustBeRaised() throws Exception {
        ObjectNode vc = issuedVc();
        ObjectNode config = proof(vc).deepCopy();
        config.remove("proofValue");
        config.set("@context", vc.get("@context").deepCopy());
        ObjectNode doc = vc.deepCopy();
        doc.remove("proof");
        byte[] sha512 = concat(digest("SHA-512", Rdfc.canonicalize(config, BundledContexts.standard()).getBytes(StandardCharsets.UTF_8)),
                digest("SHA-512", Rdfc.canonicalize(doc, BundledContexts.standard()).getBytes(StandardCharsets.UTF_8)));
        assertRefused(verify(resigned(vc, sha512), null), "#PROOF_VERIFICATION_ERROR");
    }

    @Test
    void cryptosuiteNotEddsaRdfc2022_errorMustBeRaised() throws Exception {
        ObjectNode vc = issuedVc();
        proof(vc).put("cryptosuite", "unknown-cryptosuite-2017");
        assertRefused(verify(vc, null), "_ERROR");
        // signed as eddsa-jcs-2022 but labelled eddsa-rdfc-2022: the label decides the transformation, and it fails
        ObjectNode jcs = sign(validVc(), "eddsa-jcs-2022");
        proof(jcs).put("cryptosuite", "eddsa-rdfc-2022");
        assertRefused(verify(jcs, null), "#PROOF_VERIFICATION_ERROR");
    }

    @Test
    void eddsaJcs2022CredentialVerifies() throws Exception {
        assertVerified(verify(sign(validVc(), "eddsa-jcs-2022"), null));
    }

    // ---- vc-di-ecdsa-test-suite, verifier side (its issuer cases need a P-256 did:key issuer, which a Tabard issuer cannot be)

    private ObjectNode signP256(String cryptosuite) {
        KeyPair p256 = KeyPair.generate(KeyType.P256, RANDOM);
        ObjectNode vc = validVc();
        vc.put("issuer", KeyDids.of(p256.publicKey()).toString());
        return DataIntegrity.sign(vc, p256, ProofOptions.assertion(cryptosuite, KeyDids.methodId(p256.publicKey()), now),
                BundledContexts.standard());
    }

    @Test
    void mustVerifyAValidVcWithAnEcdsaRdfc2019OrEcdsaJcs2019Proof_P256() throws Exception {
        assertVerified(verify(signP256("ecdsa-rdfc-2019"), null));
        assertVerified(verify(signP256("ecdsa-jcs-2019"), null));
    }

    @Test
    void ecdsaProofWithAlteredClaimOrAnotherSuitesName_errorMustBeRaised() throws Exception {
        ObjectNode altered = signP256("ecdsa-rdfc-2019");
        ((ObjectNode) altered.get("credentialSubject")).put("name", "AnotherClaim");
        assertRefused(verify(altered, null), "#PROOF_VERIFICATION_ERROR");
        ObjectNode relabelled = signP256("ecdsa-rdfc-2019");
        proof(relabelled).put("cryptosuite", "eddsa-rdfc-2022");
        assertRefused(verify(relabelled, null), "#PROOF_VERIFICATION_ERROR");
    }

    // ---- data-integrity-test-suite-assertion suites/verify.js

    @Test
    void proofFieldMissing_errorMustBeRaised() throws Exception {
        ObjectNode vc = issuedVc();
        vc.remove("proof");
        assertRefused(verify(vc, null), "#PROOF_VERIFICATION_ERROR");
    }

    @Test
    void proofFieldInvalid_errorMustBeRaised() throws Exception {
        ObjectNode vc = issuedVc();
        vc.putNull("proof");
        assertRefused(verify(vc, null), "_ERROR");
    }

    @Test
    void proofTypeMissing_errorMustBeRaised() throws Exception {
        ObjectNode vc = issuedVc();
        proof(vc).remove("type");
        assertRefused(verify(vc, null), "#MALFORMED_VALUE_ERROR");
    }

    @Test
    void proofTypeNotDataIntegrityProof_errorMustBeRaised() throws Exception {
        ObjectNode vc = issuedVc();
        proof(vc).put("type", "UnknownProofType");
        assertRefused(verify(vc, null), "#PROOF_VERIFICATION_ERROR");
    }

    @Test
    void verificationMethodMissing_errorMustBeRaised() throws Exception {
        ObjectNode vc = issuedVc();
        proof(vc).remove("verificationMethod");
        assertRefused(verify(vc, null), "#INVALID_VERIFICATION_METHOD_URL");
    }

    @Test
    void verificationMethodInvalid_errorMustBeRaised() throws Exception {
        ObjectNode vc = issuedVc();
        proof(vc).put("verificationMethod", "did:key:invalidVm");
        assertRefused(verify(vc, null), "#INVALID_DID");
        proof(vc).put("verificationMethod", "did:key:@invalidVm@");
        assertRefused(verify(vc, null), "#INVALID_VERIFICATION_METHOD_URL");
    }

    @Test
    void proofPurposeMissing_errorMustBeRaised() throws Exception {
        ObjectNode vc = issuedVc();
        proof(vc).remove("proofPurpose");
        assertRefused(verify(vc, null), "#PROOF_VERIFICATION_ERROR");
    }

    @Test
    void proofPurposeInvalid_errorMustBeRaised() throws Exception {
        ObjectNode vc = issuedVc();
        proof(vc).put("proofPurpose", "invalidPurpose");
        assertRefused(verify(vc, null), "#PROOF_VERIFICATION_ERROR");
    }

    @Test
    void proofPurposeNotExpectedProofPurpose_errorMustBeRaised() throws Exception {
        ObjectNode options = JsonCodec.objectNode().put("expectedProofPurpose", "authentication");
        assertRefused(verify(issuedVc(), options), "#PROOF_VERIFICATION_ERROR");
        ObjectNode bad = JsonCodec.objectNode().put("expectedProofPurpose", "capabilityDelegation");
        assertRefused(verify(issuedVc(), bad), "#MALFORMED_VALUE_ERROR");
    }

    @Test
    void proofValueMissing_errorMustBeRaised() throws Exception {
        ObjectNode vc = issuedVc();
        proof(vc).remove("proofValue");
        assertRefused(verify(vc, null), "#PROOF_VERIFICATION_ERROR");
    }

    @Test
    void proofValueInvalid_errorMustBeRaised() throws Exception {
        ObjectNode vc = issuedVc();
        proof(vc).putNull("proofValue");
        assertRefused(verify(vc, null), "#PROOF_VERIFICATION_ERROR");
    }

    @Test
    void proofValueNotMultibase_errorMustBeRaised() throws Exception {
        ObjectNode vc = issuedVc();
        proof(vc).put("proofValue", proof(vc).get("proofValue").asText().substring(1));
        assertRefused(verify(vc, null), "#PROOF_VERIFICATION_ERROR");
    }

    @Test
    void createdNotAnXmlSchemaDateTimeStamp_errorMustBeRaised() throws Exception {
        ObjectNode vc = issuedVc();
        proof(vc).put("created", "invalidDate");
        assertRefused(verify(vc, null), "#PROOF_VERIFICATION_ERROR");
    }

    @Test
    void createdWithoutOffset_mustBeRefused() throws Exception {
        ObjectNode vc = issuedVc();
        proof(vc).put("created", now.toString().replace("Z", ""));
        assertRefused(verify(vc, null), "#PROOF_VERIFICATION_ERROR");
    }

    @Test
    void expiresWithoutOffset_mustBeRefused() throws Exception {
        ObjectNode vc = issuedVc();
        proof(vc).put("expires", now.toString().replace("Z", ""));
        assertRefused(verify(vc, null), "#PROOF_VERIFICATION_ERROR");
    }

    @Test
    void cryptosuiteNotAKnownString_errorMustBeRaised() throws Exception {
        ObjectNode vc = issuedVc();
        proof(vc).put("cryptosuite", "UnknownCryptosuite");
        assertRefused(verify(vc, null), "_ERROR");
    }

    @Test
    void optionsDomainDoesNotMatchProofDomain_errorMustBeRaised() throws Exception {
        ObjectNode vc = DataIntegrity.sign(validVc(), issuerKey, ProofOptions.authentication("eddsa-rdfc-2022",
                KeyDids.methodId(issuerKey.publicKey()), now, now.plusSeconds(300), "1235abcd6789", "invalid-vc-domain.example.com"),
                BundledContexts.standard());
        ObjectNode options = JsonCodec.objectNode().put("expectedProofPurpose", "authentication")
                .put("domain", "domain.example").put("challenge", "1235abcd6789");
        assertRefused(verify(vc, options), "#INVALID_DOMAIN_ERROR");
        // the same proof with the options it was made for verifies, so the refusal was the domain's
        options.put("domain", "invalid-vc-domain.example.com");
        assertVerified(verify(vc, options));
    }

    @Test
    void optionsChallengeDoesNotMatchProofChallenge_errorMustBeRaised() throws Exception {
        ObjectNode vc = DataIntegrity.sign(validVc(), issuerKey, ProofOptions.authentication("eddsa-rdfc-2022",
                KeyDids.methodId(issuerKey.publicKey()), now, now.plusSeconds(300), "invalid-challenge", "domain.example"),
                BundledContexts.standard());
        ObjectNode options = JsonCodec.objectNode().put("expectedProofPurpose", "authentication")
                .put("domain", "domain.example").put("challenge", "1235abcd6789");
        assertRefused(verify(vc, options), "#INVALID_CHALLENGE_ERROR");
    }

    // ---- vc-data-model-2.0-test-suite, verifier side

    @Test
    void verifiersMustProduceErrorsWhenNonConformingDocumentsAreDetected() throws Exception {
        String doc = "{\"type\":[\"NonconformingDocument\"]}";
        assertRefused(post("/credentials/verify", "{\"verifiableCredential\":" + doc + ",\"options\":{\"checks\":[\"proof\"]}}"), "_ERROR");
        HttpResponse<String> vp = post("/presentations/verify", "{\"verifiablePresentation\":" + doc + ",\"options\":{\"checks\":[]}}");
        assertEquals(400, vp.statusCode(), vp.body());
    }

    @Test
    void credentialWithoutContextOrType_isRefused() throws Exception {
        ObjectNode noContext = issuedVc();
        noContext.remove("@context");
        assertRefused(verify(noContext, null), "_ERROR");
        ObjectNode noType = issuedVc();
        noType.remove("type");
        assertRefused(verify(noType, null), "_ERROR");
    }

    @Test
    void alteredSignedClaim_isRefused() throws Exception {
        ObjectNode vc = issuedVc();
        ((ObjectNode) vc.get("credentialSubject")).put("name", "AnotherClaim");
        assertRefused(verify(vc, null), "#PROOF_VERIFICATION_ERROR");
    }

    @Test
    void envelopedCredential_isAcceptedAndItsNegativeFixturesRefused() throws Exception {
        String jwt = VcJose.secureCredential(validVc(), issuerKey, KeyDids.methodId(issuerKey.publicKey()), now);
        ObjectNode envelope = EnvelopedCredential.of(jwt);
        assertVerified(verify(envelope, null));
        ObjectNode noContext = envelope.deepCopy();
        noContext.putArray("@context");
        assertRefused(verify(noContext, null), "#MALFORMED_VALUE_ERROR");
        ObjectNode notData = envelope.deepCopy();
        notData.put("id", "https://example.org/credential");
        assertRefused(verify(notData, null), "#MALFORMED_VALUE_ERROR");
        // a JWT is an assertion: it cannot meet an expected authentication purpose
        assertRefused(verify(envelope, JsonCodec.objectNode().put("expectedProofPurpose", "authentication")),
                "#PROOF_VERIFICATION_ERROR");
        String[] parts = jwt.split("\\.");
        char c = parts[2].charAt(5);
        String tampered = parts[0] + "." + parts[1] + "." + parts[2].substring(0, 5) + (c == 'A' ? 'B' : 'A') + parts[2].substring(6);
        assertRefused(verify(EnvelopedCredential.of(tampered), null), "_ERROR");
    }

    // ---- vc-bitstring-status-list-test-suite, verifier side (status list credentials as the suite publishes them)

    private String listUrl(String name) {
        return "https://localhost:" + listHost.getAddress().getPort() + "/status/" + name;
    }

    private void publish(String name, StatusPurpose purpose, int setIndex) {
        Bitstring bits = Bitstring.create(Bitstring.MIN_ENTRIES, 1);
        if (setIndex >= 0) {
            bits = bits.with(setIndex, 1);
        }
        ObjectNode list = StatusListCredentials.credential(URI.create(listUrl(name)), issuer.toString(), purpose, bits,
                now.minusSeconds(60), now.plusSeconds(600));
        lists.put("/status/" + name, sign(list, "eddsa-rdfc-2022").toString());
    }

    private ObjectNode withStatus(String name, String purpose, String index) {
        ObjectNode vc = validVc();
        vc.putObject("credentialStatus").put("type", "BitstringStatusListEntry").put("statusPurpose", purpose)
                .put("statusListIndex", index).put("statusListCredential", listUrl(name));
        return sign(vc, "eddsa-rdfc-2022");
    }

    @Test
    void validateAlgorithm_credentialWithAnUnsetStatusVerifies() throws Exception {
        publish("1", StatusPurpose.REVOCATION, 201);
        ObjectNode options = JsonCodec.objectNode();
        options.putArray("checks").add("proof").add("credentialStatus");
        assertVerified(verify(withStatus("1", "revocation", "94567"), options));
    }

    @Test
    void revokedCredential_failsVerification() throws Exception {
        publish("1", StatusPurpose.REVOCATION, 201);
        assertRefused(verify(withStatus("1", "revocation", "201"), null), "#CREDENTIAL_REVOKED");
    }

    @Test
    void suspendedCredential_failsVerification() throws Exception {
        publish("2", StatusPurpose.SUSPENSION, 94023);
        assertRefused(verify(withStatus("2", "suspension", "94023"), null), "#CREDENTIAL_SUSPENDED");
    }

    @Test
    void invalidStatusListCredentialUrl_failsVerification() throws Exception {
        assertRefused(verify(withStatus("missing", "revocation", "1"), null), "#STATUS_RETRIEVAL_ERROR");
    }

    @Test
    void invalidCredentialStatusType_failsVerification() throws Exception {
        publish("1", StatusPurpose.REVOCATION, -1);
        ObjectNode vc = validVc();
        vc.putObject("credentialStatus").put("type", "StatusList2021Entry").put("statusPurpose", "revocation")
                .put("statusListIndex", "1").put("statusListCredential", listUrl("1"));
        // no bundled context defines StatusList2021Entry, so the credential is secured with eddsa-jcs-2022
        assertRefused(verify(sign(vc, "eddsa-jcs-2022"), null), "_ERROR");
    }

    @Test
    void credentialIndexOutsideTheBitstring_rangeErrorMustBeRaised() throws Exception {
        publish("1", StatusPurpose.REVOCATION, -1);
        assertRefused(verify(withStatus("1", "revocation", String.valueOf(Bitstring.MIN_ENTRIES)), null), "#RANGE_ERROR");
    }

    @Test
    void statusListWithAPurposeOtherThanTheEntrys_failsVerification() throws Exception {
        publish("1", StatusPurpose.REVOCATION, -1);
        assertRefused(verify(withStatus("1", "suspension", "1"), null), "#STATUS_VERIFICATION_ERROR");
    }

    @Test
    void statusListWhoseProofDoesNotVerify_failsVerification() throws Exception {
        publish("1", StatusPurpose.REVOCATION, 201);
        ObjectNode list = (ObjectNode) JsonCodec.parse(lists.get("/status/1"));
        // the issuer revoked index 201; a list altered to clear it must not be believed
        ((ObjectNode) list.get("credentialSubject")).put("encodedList", Bitstring.create(Bitstring.MIN_ENTRIES, 1).encode());
        lists.put("/status/1", list.toString());
        assertRefused(verify(withStatus("1", "revocation", "201"), null), "#STATUS_VERIFICATION_ERROR");
    }
}
