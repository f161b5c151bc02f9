package dev.tabard.verifier.issuers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.didweb.ResolutionBundle;
import dev.tabard.fetch.TestHttpsServer;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.sdjwt.ClaimPath;
import dev.tabard.sdjwt.KeyBinding;
import dev.tabard.sdjwt.Presentations;
import dev.tabard.sdjwt.status.StatusList;
import dev.tabard.sdjwt.status.StatusListToken;
import dev.tabard.sdjwt.status.StatusReference;
import dev.tabard.sdjwt.vc.AgentSdJwtVc;
import dev.tabard.sdjwt.vc.JwtVcIssuerMetadata;
import dev.tabard.sdjwt.vc.SdJwtVcIssuer;
import dev.tabard.testing.ManualClock;
import dev.tabard.verifier.PresentationOptions;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.VerificationResult;
import dev.tabard.verifier.Verifier;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SD-JWT VCs from an issuer named by an https URL, its keys in JWT VC Issuer Metadata served over HTTPS on 127.0.0.1:
 * fetched only for a trusted issuer, checked against {@code iss}, selected by {@code kid}, kept, refetched once on
 * rotation, and read from a resolution bundle offline.
 */
@Timeout(60)
class IssuerMetadataTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String AUD = "https://verifier.example";
    private static final String VCT = "https://credentials.example/Supplier";
    private final ManualClock clock = new ManualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private final KeyPair key1 = KeyPair.generate(KeyType.P256, RANDOM);
    private final KeyPair key2 = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final KeyPair wallet = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final Map<String, String> documents = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private TestHttpsServer server;
    private URI issuer;

    @BeforeEach
    void start() throws IOException {
        server = new TestHttpsServer();
        server.handle("/", ex -> {
            String path = ex.getRequestURI().getPath();
            hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            String body = documents.get(path);
            TestHttpsServer.send(ex, body == null ? 404 : 200, "application/json", body == null ? "" : body);
        });
        issuer = URI.create(server.origin() + "/tenants/acme");
        publish(issuer.toString(), jwks(jwk(key1, "k1")));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static ObjectNode jwk(KeyPair key, String kid) {
        ObjectNode jwk = JsonCodec.tree(key.publicKey().toJwk());
        return jwk.put("kid", kid);
    }

    private static String jwks(ObjectNode... keys) {
        return "{\"keys\":" + JsonCodec.writeString(JsonCodec.arrayNode().addAll(List.of(keys))) + "}";
    }

    private void publish(String issuerName, String jwks) {
        documents.put("/.well-known/jwt-vc-issuer/tenants/acme", "{\"issuer\":\"" + issuerName + "\",\"jwks\":" + jwks + "}");
    }

    private int metadataFetches() {
        return hits.getOrDefault("/.well-known/jwt-vc-issuer/tenants/acme", new AtomicInteger()).get();
    }

    private String present(URI iss, String vct, KeyPair signer, String kid, String nonce) {
        ObjectNode claims = vct.equals(AgentSdJwtVc.VCT) ? JsonCodec.objectNode().put("name", "x")
                : JsonCodec.objectNode().put("name", "Supplier One").put("tier", "gold");
        var issued = SdJwtVcIssuer.builder(signer).kid(kid).issuer(iss.toString()).vct(vct).claims(claims)
                .disclosable(ClaimPath.of("name")).holderKey(wallet.publicKey()).issuedAt(clock.instant().minusSeconds(60))
                .expiresAt(clock.instant().plus(Duration.ofDays(1))).issue();
        return KeyBinding.sign(wallet, Presentations.select(issued, List.of(ClaimPath.of("name"))), AUD, nonce, clock.instant())
                .serialize();
    }

    private String present(KeyPair signer, String kid, String nonce) {
        return present(issuer, VCT, signer, kid, nonce);
    }

    private TrustPolicy.Builder policy() {
        return TrustPolicy.builder().formats(TrustPolicy.Format.DC_SD_JWT).allowKeyTypes(KeyType.ED25519, KeyType.P256);
    }

    private Verifier verifier(TrustPolicy policy) {
        return Verifier.builder().trustPolicy(policy).fetchPolicy(server.policy().build()).clock(clock).build();
    }

    private static VerificationResult verify(Verifier v, String presentation, String nonce) {
        return v.verifyPresentation(presentation, new PresentationOptions(nonce, AUD));
    }

    private static void assertRefused(ProblemType type, VerificationResult r) {
        assertFalse(r.verified());
        assertEquals(type, r.errors().get(0).type(), r.errors().toString());
    }

    @Test
    void trustedHttpsIssuer_verifiesWithTheKeyItsMetadataPublishes_fetchedOnce() {
        Verifier v = verifier(policy().trustIssuerUrl(issuer).build());
        VerificationResult r = verify(v, present(key1, "k1", "n1"), "n1");
        assertTrue(r.verified(), r.errors().toString());
        assertEquals(List.of(ClaimPath.of("name")), r.disclosed());
        assertTrue(r.agent().isEmpty());
        ObjectNode claims = r.claims().orElseThrow();
        assertEquals(issuer.toString(), claims.get("iss").asText());
        assertEquals("Supplier One", claims.get("name").asText());
        assertEquals("gold", claims.get("tier").asText());
        assertEquals(claims, r.toJson().get("claims"));
        assertTrue(verify(v, present(key1, "k1", "n2"), "n2").verified());
        assertEquals(1, metadataFetches());
        // signed by another key under k1's kid
        assertRefused(ProblemType.ALGORITHM_NOT_ALLOWED, verify(v, present(key2, "k1", "n3"), "n3"));
        KeyPair impostor = KeyPair.generate(KeyType.P256, RANDOM);
        assertRefused(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, verify(v, present(impostor, "k1", "n4"), "n4"));
    }

    @Test
    void untrustedHttpsIssuer_isRefusedWithoutAnyRequest() {
        Verifier v = verifier(policy().trustIssuerUrl(URI.create(server.origin() + "/tenants/other")).build());
        assertRefused(ProblemType.UNTRUSTED_ISSUER, verify(v, present(key1, "k1", "n"), "n"));
        assertEquals(0, server.requests.get());
    }

    @Test
    void linkedJwks_areFetchedFromJwksUri() {
        documents.put("/keys/jwks.json", jwks(jwk(key1, "k1")));
        documents.put("/.well-known/jwt-vc-issuer/tenants/acme", "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\""
                + server.origin() + "/keys/jwks.json\"}");
        assertTrue(verify(verifier(policy().trustIssuerUrl(issuer).build()), present(key1, "k1", "n"), "n").verified());
        assertEquals(1, hits.get("/keys/jwks.json").get());
    }

    @Test
    void metadataOfAnotherIssuer_missingMetadata_andAnAgentCredential_areRefused() {
        publish(server.origin() + "/tenants/other", jwks(jwk(key1, "k1")));
        Verifier v = verifier(policy().trustIssuerUrl(issuer).build());
        assertRefused(ProblemType.INVALID_CONTROLLED_IDENTIFIER_DOCUMENT_ID, verify(v, present(key1, "k1", "n"), "n"));
        documents.clear();
        assertRefused(ProblemType.FETCH_FAILED, verify(verifier(policy().trustIssuerUrl(issuer).build()), present(key1, "k1", "n"), "n"));
        publish(issuer.toString(), jwks(jwk(key1, "k1")));
        // an AgentCredential's issuer is its organization's DID
        assertRefused(ProblemType.MALFORMED_VALUE_ERROR, verify(verifier(policy().trustIssuerUrl(issuer).build()),
                present(issuer, AgentSdJwtVc.VCT, key1, "k1", "n"), "n"));
    }

    @Test
    void rotation_anUnknownKidRefetchesOnce_notMoreThanOncePerMinute() {
        Verifier v = verifier(policy().trustIssuerUrl(issuer).build());
        assertTrue(verify(v, present(key1, "k1", "n1"), "n1").verified());
        publish(issuer.toString(), jwks(jwk(key1, "k1"), jwk(key2, "k2")));
        // within a minute of the fetch: the cached keys answer, and k2 is not among them
        assertRefused(ProblemType.INVALID_VERIFICATION_METHOD_URL, verify(v, present(key2, "k2", "n2"), "n2"));
        assertRefused(ProblemType.INVALID_VERIFICATION_METHOD_URL, verify(v, present(key2, "k9", "n3"), "n3"));
        assertEquals(1, metadataFetches());
        clock.advance(IssuerMetadataCache.MIN_REFETCH.plusSeconds(1));
        assertTrue(verify(v, present(key2, "k2", "n4"), "n4").verified());
        assertEquals(2, metadataFetches());
        assertTrue(verify(v, present(key1, "k1", "n5"), "n5").verified());
        assertEquals(2, metadataFetches());
    }

    @Test
    void offline_theBundleAnswers_andWithoutItNothingIsFetched() {
        byte[] doc = documents.get("/.well-known/jwt-vc-issuer/tenants/acme").getBytes(StandardCharsets.UTF_8);
        ResolutionBundle bundle = ResolutionBundle.read(ResolutionBundle.builder(clock.instant())
                .resource(JwtVcIssuerMetadata.location(issuer), "application/json", doc).toJson());
        Verifier offline = Verifier.builder().trustPolicy(policy().trustIssuerUrl(issuer).build()).resolutionBundle(bundle)
                .clock(clock).build();
        assertTrue(verify(offline, present(key1, "k1", "n"), "n").verified());
        Verifier noBundle = Verifier.builder().trustPolicy(policy().trustIssuerUrl(issuer).build()).clock(clock).build();
        assertRefused(ProblemType.FETCH_REFUSED, verify(noBundle, present(key1, "k1", "n"), "n"));
        assertEquals(0, server.requests.get());
    }

    @Test
    void status_theTokenStatusListIsSignedWithAKeyOfTheIssuersMetadata() {
        URI list = URI.create(server.origin() + "/status-lists/1");
        server.handle("/status-lists/1", ex -> TestHttpsServer.send(ex, 200, StatusListToken.MEDIA_TYPE, documents.get("list")));
        var issued = SdJwtVcIssuer.builder(key1).kid("k1").issuer(issuer.toString()).vct(VCT)
                .claims(JsonCodec.objectNode().put("name", "Supplier One")).holderKey(wallet.publicKey())
                .issuedAt(clock.instant().minusSeconds(60)).expiresAt(clock.instant().plus(Duration.ofDays(1)))
                .status(new StatusReference(5, list)).issue();
        java.util.function.Function<String, String> present = nonce -> KeyBinding.sign(wallet, Presentations.select(issued, List.of()),
                AUD, nonce, clock.instant()).serialize();
        java.util.function.BiConsumer<StatusList, KeyPair> publishList = (bits, signer) -> documents.put("list",
                new StatusListToken(list, clock.instant().minusSeconds(10), java.util.Optional.empty(), java.util.Optional.empty(), bits)
                        .sign(signer, "k1", issuer.toString()));
        publishList.accept(StatusList.of(2, 16), key1);
        Verifier v = Verifier.builder().trustPolicy(policy().trustIssuerUrl(issuer).build()).fetchPolicy(server.policy().build())
                .clock(clock).statusListMaxAge(Duration.ZERO).build();
        assertTrue(verify(v, present.apply("n1"), "n1").verified());
        publishList.accept(StatusList.of(2, 16).with(5, 1), key1);
        assertRefused(ProblemType.CREDENTIAL_REVOKED, verify(v, present.apply("n2"), "n2"));
        // a list signed by a key the metadata does not publish under k1
        publishList.accept(StatusList.of(2, 16), KeyPair.generate(KeyType.P256, RANDOM));
        assertRefused(ProblemType.STATUS_VERIFICATION_ERROR, verify(v, present.apply("n3"), "n3"));
    }

    @Test
    void readmePolicy_trustsTheHttpsIssuerItNames() throws IOException {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("../README.md"));
        java.util.regex.Matcher block = java.util.regex.Pattern.compile("VC Issuer Metadata at.*?```json\\n(.*?)\\n```",
                java.util.regex.Pattern.DOTALL).matcher(readme);
        assertTrue(block.find(), "the README shows a policy trusting an https issuer");
        TrustPolicy p = TrustPolicy.fromJson(block.group(1).getBytes(StandardCharsets.UTF_8));
        assertTrue(p.trustsIssuerUrl(URI.create("https://issuer.example/tenants/1")));
        assertEquals(URI.create("https://issuer.example/.well-known/jwt-vc-issuer/tenants/1"),
                JwtVcIssuerMetadata.location(URI.create("https://issuer.example/tenants/1")));
    }

    @Test
    void policyJson_namesHttpsIssuers_andRefusesOtherUrls() {
        TrustPolicy p = TrustPolicy.fromJson(("{\"trustedIssuers\":[\"" + issuer + "\",\"did:web:acme.example\"],"
                + "\"formats\":[\"dc_sd_jwt\"]}").getBytes(StandardCharsets.UTF_8));
        assertTrue(p.trustsIssuerUrl(issuer));
        assertFalse(p.trustsIssuerUrl(URI.create(issuer + "/")));
        assertEquals(1, p.trustedIssuers().size());
        for (String bad : new String[] {"http://issuer.example", "https://issuer.example?tenant=1", "https://issuer.example#x"}) {
            ProblemException e = assertThrows(ProblemException.class,
                    () -> TrustPolicy.fromJson(("{\"trustedIssuers\":[\"" + bad + "\"]}").getBytes(StandardCharsets.UTF_8)));
            assertEquals(ProblemType.MALFORMED_VALUE_ERROR, e.type());
        }
        assertThrows(IllegalArgumentException.class, () -> TrustPolicy.builder().trustIssuerUrl(URI.create("http://x.example")));
    }
}
