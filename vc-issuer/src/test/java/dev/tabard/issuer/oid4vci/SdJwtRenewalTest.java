package dev.tabard.issuer.oid4vci;

import static dev.tabard.issuer.oid4vci.Oid4vciIssuer.assertOAuthError;
import static dev.tabard.issuer.oid4vci.Oid4vciIssuer.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.crypto.Signer;
import dev.tabard.sdjwt.KeyBinding;
import dev.tabard.sdjwt.Presentations;
import dev.tabard.sdjwt.SdJwt;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renewal of an SD-JWT VC ({@code POST /oid4vci/renew}): the agent presents the credential it holds with a key-binding
 * JWT for this issuer and a fresh c_nonce, and gets an offer of the SD-JWT VC configuration; each fault its own OAuth
 * error. A real issuer on 127.0.0.1 with a real SQLite store, real Ed25519 signatures.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SdJwtRenewalTest {

    @TempDir
    Path dir;
    private Oid4vciIssuer fx;

    @BeforeEach
    void start() throws Exception {
        fx = new Oid4vciIssuer(dir, Clock.systemUTC(), "\"operator\":{\"name\":\"Procurement\",\"email\":\"p@acme.example\"},"
                + "\"capabilities\":[\"purchase\"]");
    }

    @AfterEach
    void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    /** An SD-JWT VC issued to the agent by the admin API: the issuer's id of it and the credential. */
    private JsonNode issued() throws Exception {
        RawHttp.Response r = fx.http().postJson("/admin/agents/" + fx.agent + "/credentials?format=dc%2Bsd-jwt", "", bearer(fx.admin));
        assertEquals(201, r.status(), r.body());
        return r.json();
    }

    private String nonce() throws Exception {
        return fx.nonce("127.0.0.1");
    }

    /** The credential with no disclosures and a key-binding JWT signed by {@code holder}. */
    private String presented(JsonNode issued, Signer holder, String audience, String nonce) {
        SdJwt held = Presentations.select(SdJwt.parse(issued.get("credential").asText()), List.of());
        return KeyBinding.sign(holder, held, audience, nonce, Clock.systemUTC().instant()).serialize();
    }

    private RawHttp.Response renew(String presentation) throws Exception {
        return fx.http().postJson("/oid4vci/renew", JsonCodec.writeString(JsonCodec.objectNode().put("presentation", presentation)),
                Map.of());
    }

    @Test
    void renew_currentSdJwtVcWithKeyBinding_offersTheSdJwtConfigurationWhichIssuesANewOne() throws Exception {
        JsonNode old = issued();
        RawHttp.Response r = renew(presented(old, fx.agentKey, fx.issuer, nonce()));
        assertEquals(200, r.status(), r.body());
        assertEquals("[\"" + Oid4vci.SD_JWT_CONFIGURATION_ID + "\"]", r.json().at("/credential_offer/credential_configuration_ids").toString());

        String token = fx.accessToken("127.0.0.1", Oid4vciIssuer.code(r.json()));
        RawHttp.Response fresh = fx.credential(token, Oid4vci.SD_JWT_CONFIGURATION_ID);
        assertEquals(200, fresh.status(), fresh.body());
        SdJwt renewed = SdJwt.parse(fresh.json().at("/credentials/0/credential").asText());
        assertNotEquals(SdJwt.parse(old.get("credential").asText()).issuerJwt(), renewed.issuerJwt());
        assertEquals(fx.agent.toString(), renewed.issuerJws().payloadJson().get("sub").asText());
    }

    @Test
    void renew_samePresentationTwice_theSecondIsInvalidNonce() throws Exception {
        String shown = presented(issued(), fx.agentKey, fx.issuer, nonce());
        assertEquals(200, renew(shown).status());
        assertOAuthError(renew(shown), 400, "invalid_nonce");
    }

    @Test
    void renew_eachFaultOfTheProof_itsOwnOAuthError() throws Exception {
        JsonNode vc = issued();
        assertOAuthError(renew(SdJwt.parse(vc.get("credential").asText()).serialize()), 400, "invalid_request");
        assertOAuthError(renew(presented(vc, fx.agentKey, "https://verifier.example", nonce())), 400, "invalid_proof");
        KeyPair stranger = KeyPair.generate(KeyType.ED25519, fx.random);
        assertOAuthError(renew(presented(vc, stranger, fx.issuer, nonce())), 400, "invalid_proof");
        String forged = presented(vc, fx.agentKey, fx.issuer, nonce()).replaceFirst("\\.[^.~]+~", ".AAAA~");
        assertOAuthError(renew(forged), 400, "invalid_proof");
        assertOAuthError(renew(presented(vc, fx.agentKey, fx.issuer, "never-issued")), 400, "invalid_nonce");
    }

    @Test
    void renew_suspendedCredentialOrDeactivatedAgent_credentialRequestDenied() throws Exception {
        JsonNode vc = issued();
        String id = vc.get("id").asText();
        assertEquals(204, fx.http().postJson("/admin/credentials/" + id + "/suspend", "", bearer(fx.admin)).status());
        assertOAuthError(renew(presented(vc, fx.agentKey, fx.issuer, nonce())), 400, "credential_request_denied");
        assertEquals(204, fx.http().postJson("/admin/credentials/" + id + "/reinstate", "", bearer(fx.admin)).status());
        assertEquals(200, renew(presented(vc, fx.agentKey, fx.issuer, nonce())).status(), "reinstated: current again");

        assertEquals(204, fx.http().postJson("/admin/agents/" + fx.agent + "/deactivate", "", bearer(fx.admin)).status());
        assertOAuthError(renew(presented(vc, fx.agentKey, fx.issuer, nonce())), 400, "credential_request_denied");
    }
}
