package dev.tabard.issuer.oid4vci;

import static dev.tabard.issuer.oid4vci.Oid4vciIssuer.assertOAuthError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.issuer.store.OneUseValues;
import dev.tabard.sdjwt.SdJwt;
import dev.tabard.vc.jose.CompactJws;
import java.nio.file.Path;
import java.time.Clock;
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

    @TempDir
    Path dir;
    private Oid4vciIssuer fx;

    @BeforeEach
    void start() throws Exception {
        fx = new Oid4vciIssuer(dir, Clock.systemUTC(), "\"operator\":{\"name\":\"Procurement\",\"email\":\"p@acme.example\"},"
                + "\"capabilities\":[\"supplier:lookup\"]");
    }

    @AfterEach
    void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    private String token(String offerQuery) throws Exception {
        return fx.accessToken("127.0.0.1", Oid4vciIssuer.code(fx.offer(offerQuery)));
    }

    private static void assertInsufficientScope(RawHttp.Response r) {
        assertOAuthError(r, 403, "insufficient_scope");
        assertTrue(r.json().path("error_description").asText().contains("ask the organization for an offer"), r.body());
        assertEquals("Bearer error=\"insufficient_scope\"", r.header("WWW-Authenticate"));
    }

    @Test
    void vcJwtOffer_tokenAsksForAnSdJwtVc_refusedAndTheTokenStillBuysTheOfferedVcJwt() throws Exception {
        String token = token("");
        assertInsufficientScope(fx.credential(token, Oid4vci.SD_JWT_CONFIGURATION_ID));
        RawHttp.Response vc = fx.credential(token, Oid4vci.CONFIGURATION_ID);
        assertEquals(200, vc.status(), vc.body());
        assertEquals(fx.agent.toString(), CompactJws.parse(vc.json().at("/credentials/0/credential").asText()).payloadJson()
                .at("/credentialSubject/id").asText());
    }

    @Test
    void sdJwtOffer_tokenAsksForAVcJwtUntilItEnds_eachRefusedThenTheTokenIsGone() throws Exception {
        String token = token("?format=dc%2Bsd-jwt");
        for (int i = 0; i < Oid4vci.MAX_FAILED_CREDENTIAL_REQUESTS; i++) {
            assertInsufficientScope(fx.credential(token, Oid4vci.CONFIGURATION_ID));
        }
        assertOAuthError(fx.credential(token, Oid4vci.SD_JWT_CONFIGURATION_ID), 401, "invalid_token");
    }

    @Test
    void sdJwtOffer_tokenAsksForTheOfferedSdJwtVc_issuedBoundToTheProofKey() throws Exception {
        RawHttp.Response r = fx.credential(token("?format=dc%2Bsd-jwt"), Oid4vci.SD_JWT_CONFIGURATION_ID);
        assertEquals(200, r.status(), r.body());
        SdJwt sdJwt = SdJwt.parse(r.json().at("/credentials/0/credential").asText());
        assertEquals(fx.agentKey.publicKey().toJwk().get("x"), sdJwt.issuerJws().payloadJson().at("/cnf/jwk/x").asText());
    }

    /** An offer stored by a release whose offers named no configuration is still redeemed for either, as it was then. */
    @Test
    void offerStoredWithoutConfigurations_tokenBuysEitherFormat() throws Exception {
        OneUseValues offers = fx.server.service().store().oneUse(new OneUseValues.Kind("offer", Oid4vci.CODE_LIFETIME,
                Oid4vci.MAX_OFFERS_PER_AGENT, Oid4vci.MAX_OFFERS));
        String earlier = "{\"agent\":\"" + fx.agent + "\",\"attempts\":0}";
        offers.put(fx.agent.toString(), "earlier-sd-jwt", earlier);
        offers.put(fx.agent.toString(), "earlier-vc-jwt", earlier);

        assertEquals(200, fx.credential(fx.accessToken("127.0.0.1", "earlier-sd-jwt"), Oid4vci.SD_JWT_CONFIGURATION_ID).status());
        assertEquals(200, fx.credential(fx.accessToken("127.0.0.1", "earlier-vc-jwt"), Oid4vci.CONFIGURATION_ID).status());
    }
}
