package dev.tabard.issuer.oid4vci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.Base64Url;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.DidUrl;
import dev.tabard.did.key.KeyDids;
import dev.tabard.issuer.IssuerConfig;
import dev.tabard.issuer.http.IssuerServer;
import dev.tabard.issuer.store.OneUseValues;
import dev.tabard.sdjwt.SdJwt;
import dev.tabard.vc.jose.CompactJws;
import dev.tabard.vc.jose.JwsHeader;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An access token buys a credential of a configuration its offer named, and no other: against a real issuer on
 * 127.0.0.1 with a real SQLite store and real Ed25519 key proofs.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Oid4vciConfigurationGrantTest {

    private static final String CLIENT = "127.0.0.1";
    private final SecureRandom random = new SecureRandom();
    private final String admin = "tabard_" + Base64Url.encode(bytes(32));
    private final KeyPair agentKey = KeyPair.generate(KeyType.ED25519, random);
    private final Did agent = KeyDids.of(agentKey.publicKey());
    private final DidUrl kid = KeyDids.methodId(agentKey.publicKey());
    @TempDir
    Path dir;
    private IssuerServer server;

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    @BeforeEach
    void start() throws Exception {
        server = IssuerServer.start(new IssuerConfig(dir, URI.create("http://localhost:0"), "key", "ACME", "grant test".toCharArray(),
                Duration.ofHours(1), Optional.of(admin), 0), Optional.empty(), Clock.systemUTC());
        RawHttp.Response r = http().postJson("/admin/agents", "{\"did\":\"" + agent + "\",\"name\":\"buyer\","
                + "\"operator\":{\"name\":\"Procurement\",\"email\":\"p@acme.example\"},\"capabilities\":[\"supplier:lookup\"]}", bearer(admin));
        assertEquals(201, r.status(), r.body());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private RawHttp http() throws Exception {
        return new RawHttp(CLIENT, server.port());
    }

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    /** The pre-authorized code of an admin offer ({@code query} picks the format). */
    private String offerCode(String query) throws Exception {
        RawHttp.Response offer = http().postJson("/admin/agents/" + agent + "/offer" + query, "", bearer(admin));
        assertEquals(201, offer.status(), offer.body());
        return offer.json().at("/credential_offer/grants/" + Oid4vci.PRE_AUTH_GRANT.replace("/", "~1") + "/pre-authorized_code").asText();
    }

    private String token(String code) throws Exception {
        RawHttp.Response token = http().post("/oid4vci/token", "application/x-www-form-urlencoded", "grant_type="
                + URLEncoder.encode(Oid4vci.PRE_AUTH_GRANT, StandardCharsets.UTF_8) + "&pre-authorized_code=" + code, Map.of());
        assertEquals(200, token.status(), token.body());
        return token.json().get("access_token").asText();
    }

    private RawHttp.Response credential(String token, String configuration) throws Exception {
        RawHttp.Response n = http().postJson("/oid4vci/nonce", "", Map.of());
        assertEquals(200, n.status(), n.body());
        ObjectNode claims = JsonCodec.objectNode().put("aud", server.publicUrl().toString())
                .put("iat", Clock.systemUTC().instant().getEpochSecond()).put("nonce", n.json().get("c_nonce").asText());
        String proof = CompactJws.sign(agentKey, new JwsHeader(Optional.of(kid.toString()), Optional.of("openid4vci-proof+jwt"),
                Optional.empty()), JsonCodec.write(claims));
        return http().postJson("/oid4vci/credential", "{\"credential_configuration_id\":\"" + configuration
                + "\",\"proofs\":{\"jwt\":[\"" + proof + "\"]}}", bearer(token));
    }

    private static void assertInsufficientScope(RawHttp.Response r) {
        assertEquals(403, r.status(), r.body());
        assertEquals("insufficient_scope", r.json().path("error").asText(), r.body());
        assertTrue(r.json().path("error_description").asText().contains("ask the organization for an offer"), r.body());
        assertEquals("Bearer error=\"insufficient_scope\"", r.header("WWW-Authenticate"));
    }

    @Test
    void vcJwtOffer_tokenAsksForAnSdJwtVc_refusedAndTheTokenStillBuysTheOfferedVcJwt() throws Exception {
        String token = token(offerCode(""));
        assertInsufficientScope(credential(token, Oid4vci.SD_JWT_CONFIGURATION_ID));
        RawHttp.Response vc = credential(token, Oid4vci.CONFIGURATION_ID);
        assertEquals(200, vc.status(), vc.body());
        assertEquals(agent.toString(), CompactJws.parse(vc.json().at("/credentials/0/credential").asText()).payloadJson()
                .at("/credentialSubject/id").asText());
    }

    @Test
    void sdJwtOffer_tokenAsksForAVcJwtUntilItEnds_eachRefusedThenTheTokenIsGone() throws Exception {
        String token = token(offerCode("?format=dc%2Bsd-jwt"));
        for (int i = 0; i < Oid4vci.MAX_FAILED_CREDENTIAL_REQUESTS; i++) {
            assertInsufficientScope(credential(token, Oid4vci.CONFIGURATION_ID));
        }
        RawHttp.Response after = credential(token, Oid4vci.SD_JWT_CONFIGURATION_ID);
        assertEquals(401, after.status(), "refusals count against the token: " + after.body());
        assertEquals("invalid_token", after.json().path("error").asText());
    }

    @Test
    void sdJwtOffer_tokenAsksForTheOfferedSdJwtVc_issuedBoundToTheProofKey() throws Exception {
        RawHttp.Response r = credential(token(offerCode("?format=dc%2Bsd-jwt")), Oid4vci.SD_JWT_CONFIGURATION_ID);
        assertEquals(200, r.status(), r.body());
        SdJwt sdJwt = SdJwt.parse(r.json().at("/credentials/0/credential").asText());
        assertEquals(agentKey.publicKey().toJwk().get("x"), sdJwt.issuerJws().payloadJson().at("/cnf/jwk/x").asText());
    }

    /** An offer stored by a release whose offers named no configuration is still redeemed for either, as it was then. */
    @Test
    void offerStoredWithoutConfigurations_tokenBuysEitherFormat() throws Exception {
        OneUseValues offers = server.service().store().oneUse(new OneUseValues.Kind("offer", Oid4vci.CODE_LIFETIME,
                Oid4vci.MAX_OFFERS_PER_AGENT, Oid4vci.MAX_OFFERS));
        String earlier = "{\"agent\":\"" + agent + "\",\"attempts\":0}";
        offers.put(agent.toString(), "earlier-sd-jwt", earlier);
        offers.put(agent.toString(), "earlier-vc-jwt", earlier);

        assertEquals(200, credential(token("earlier-sd-jwt"), Oid4vci.SD_JWT_CONFIGURATION_ID).status());
        assertEquals(200, credential(token("earlier-vc-jwt"), Oid4vci.CONFIGURATION_ID).status());
    }
}
