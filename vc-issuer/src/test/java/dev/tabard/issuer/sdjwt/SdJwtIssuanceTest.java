package dev.tabard.issuer.sdjwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.Base64Url;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.DidResolvers;
import dev.tabard.did.key.KeyDidResolver;
import dev.tabard.did.key.KeyDids;
import dev.tabard.issuer.IssuerConfig;
import dev.tabard.issuer.http.IssuerServer;
import dev.tabard.sdjwt.ClaimPath;
import dev.tabard.sdjwt.KeyBinding;
import dev.tabard.sdjwt.Presentations;
import dev.tabard.sdjwt.SdJwt;
import dev.tabard.sdjwt.status.StatusListToken;
import dev.tabard.sdjwt.status.TokenStatus;
import dev.tabard.sdjwt.vc.AgentSdJwtVc;
import dev.tabard.sdjwt.vc.SdJwtVcVerifier;
import dev.tabard.sdjwt.vc.VerifiedSdJwtVc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SD-JWT VC issuance against a real issuer on 127.0.0.1 (did:key, SQLite): the admin route issues an AgentCredential
 * whose private constraints and operator contact are disclosures, bound to the agent's key, with a Token Status List
 * entry that the admin API's revoke, suspend and reinstate change.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SdJwtIssuanceTest {

    private final SecureRandom random = new SecureRandom();
    private final String admin = "tabard_" + Base64Url.encode(random.generateSeed(32));
    private final KeyPair agentKey = KeyPair.generate(KeyType.ED25519, random);
    private final Did agent = KeyDids.of(agentKey.publicKey());
    private final HttpClient http = HttpClient.newHttpClient();
    @TempDir
    Path dir;
    private IssuerServer server;
    private String base;

    @BeforeEach
    void start() throws Exception {
        server = IssuerServer.start(new IssuerConfig(dir, URI.create("http://localhost:0"), "key", "ACME", "sd-jwt test".toCharArray(),
                Duration.ofHours(1), Optional.of(admin), 0), Optional.empty(), Clock.systemUTC());
        base = server.publicUrl().toString();
        HttpResponse<String> r = post("/admin/agents", "{\"did\":\"" + agent + "\",\"name\":\"buyer\",\"operator\":{\"name\":"
                + "\"Procurement\",\"email\":\"ops@acme.example\"},\"capabilities\":[\"purchase\"],\"constraints\":"
                + "{\"maxTransactionValue\":{\"amount\":\"500\",\"currency\":\"EUR\"},\"dataRegions\":[\"EU\"]},"
                + "\"privateConstraints\":[\"maxTransactionValue\"]}");
        assertEquals(201, r.statusCode(), r.body());
        assertEquals("[\"maxTransactionValue\"]", JsonCodec.parse(r.body()).get("privateConstraints").toString());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void issuesAnAgentCredentialWithPrivateClaimsAsDisclosuresAndATokenStatusList() throws Exception {
        HttpResponse<String> r = post("/admin/agents/" + agent + "/credentials?format=dc+sd-jwt", "");
        assertEquals(201, r.statusCode(), r.body());
        JsonNode issued = JsonCodec.parse(r.body());
        String id = issued.get("id").asText();
        SdJwt vc = SdJwt.parse(issued.get("credential").asText());
        assertTrue(vc.keyBindingJwt().isEmpty());
        List<ClaimPath> disclosable = Presentations.disclosable(vc).stream().map(c -> c.path()).toList();
        assertEquals(java.util.Set.of(ClaimPath.of("operator", "email"), ClaimPath.of("constraints", "maxTransactionValue")),
                java.util.Set.copyOf(disclosable));

        // presented with only the operator's contact: the private limit is absent, the rest visible
        SdJwt shown = KeyBinding.sign(agentKey, Presentations.select(vc, List.of(ClaimPath.of("operator", "email"))),
                "https://verifier.example", "n-1", Clock.systemUTC().instant());
        SdJwtVcVerifier verifier = SdJwtVcVerifier.builder(DidResolvers.of(new KeyDidResolver())).build();
        VerifiedSdJwtVc v = verifier.verify(shown.serialize(), "https://verifier.example", "n-1");
        assertEquals(AgentSdJwtVc.VCT, v.vct());
        ObjectNode claims = v.claims();
        assertEquals("ops@acme.example", claims.at("/operator/email").asText());
        assertFalse(claims.path("constraints").has("maxTransactionValue"));
        assertEquals("EU", claims.at("/constraints/dataRegions/0").asText());
        assertEquals(agentKey.publicKey().jwkThumbprint(), v.processed().holderKey().orElseThrow().jwkThumbprint());

        URI list = v.status().orElseThrow().uri();
        long idx = v.status().orElseThrow().idx();
        assertTrue(list.toString().startsWith(base + "/status-lists/"), list.toString());
        assertEquals(TokenStatus.VALID, fetch(list, v.issuerDid().orElseThrow()).status(idx));

        assertEquals(204, post("/admin/credentials/" + id + "/suspend", "").statusCode());
        assertEquals(TokenStatus.SUSPENDED, fetch(list, v.issuerDid().orElseThrow()).status(idx));
        assertEquals(204, post("/admin/credentials/" + id + "/reinstate", "").statusCode());
        assertEquals(TokenStatus.VALID, fetch(list, v.issuerDid().orElseThrow()).status(idx));
        assertEquals(204, post("/admin/credentials/" + id + "/revoke", "").statusCode());
        assertEquals(TokenStatus.INVALID, fetch(list, v.issuerDid().orElseThrow()).status(idx));

        HttpResponse<String> listed = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/agents/" + agent + "/credentials"))
                .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode first = JsonCodec.parse(listed.body()).get("credentials").get(0);
        assertEquals(id, first.get("id").asText());
        assertEquals("dc+sd-jwt", first.get("format").asText());
        assertTrue(first.get("revoked").asBoolean());
    }

    @Test
    void theIssuerMetadataOffersTheSdJwtConfigurationAndAnOfferNamesIt() throws Exception {
        JsonNode meta = JsonCodec.parse(http.send(HttpRequest.newBuilder(URI.create(base + "/.well-known/openid-credential-issuer"))
                .build(), HttpResponse.BodyHandlers.ofString()).body());
        JsonNode conf = meta.at("/credential_configurations_supported/AgentCredential_dc+sd-jwt");
        assertEquals("dc+sd-jwt", conf.get("format").asText());
        assertEquals(AgentSdJwtVc.VCT, conf.get("vct").asText());
        HttpResponse<String> offer = post("/admin/agents/" + agent + "/offer?format=dc%2Bsd-jwt", "");
        assertEquals(201, offer.statusCode(), offer.body());
        assertEquals("AgentCredential_dc+sd-jwt",
                JsonCodec.parse(offer.body()).at("/credential_offer/credential_configuration_ids/0").asText());
    }

    private StatusListToken fetch(URI list, Did issuer) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(list).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(StatusListToken.MEDIA_TYPE, r.headers().firstValue("Content-Type").orElse(""));
        assertTrue(r.headers().firstValue("ETag").isPresent());
        var kid = dev.tabard.did.DidUrl.parse(StatusListToken.kid(r.body()).orElseThrow());
        var key = new KeyDidResolver().resolve(issuer).document().method(kid).orElseThrow().key();
        return StatusListToken.verify(r.body(), key, list, Clock.systemUTC(), Duration.ofSeconds(60));
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + admin)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
