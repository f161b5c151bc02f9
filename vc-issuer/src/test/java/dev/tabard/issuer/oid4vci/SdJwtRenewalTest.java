package dev.tabard.issuer.oid4vci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.Base64Url;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.crypto.Signer;
import dev.tabard.did.Did;
import dev.tabard.did.DidUrl;
import dev.tabard.did.key.KeyDids;
import dev.tabard.issuer.IssuerConfig;
import dev.tabard.issuer.http.IssuerServer;
import dev.tabard.sdjwt.KeyBinding;
import dev.tabard.sdjwt.Presentations;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    private final SecureRandom random = new SecureRandom();
    private final String admin = "tabard_" + Base64Url.encode(bytes(32));
    private final KeyPair agentKey = KeyPair.generate(KeyType.ED25519, random);
    private final Did agent = KeyDids.of(agentKey.publicKey());
    @TempDir
    Path dir;
    private IssuerServer server;
    private String issuer;

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    @BeforeEach
    void start() throws Exception {
        server = IssuerServer.start(new IssuerConfig(dir, URI.create("http://localhost:0"), "key", "ACME", "renewal test".toCharArray(),
                Duration.ofHours(1), Optional.of(admin), 0), Optional.empty(), Clock.systemUTC());
        issuer = server.publicUrl().toString();
        RawHttp.Response r = http().postJson("/admin/agents", "{\"did\":\"" + agent + "\",\"name\":\"buyer\",\"operator\":{\"name\":"
                + "\"Procurement\",\"email\":\"p@acme.example\"},\"capabilities\":[\"purchase\"]}", bearer(admin));
        assertEquals(201, r.status(), r.body());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private RawHttp http() throws Exception {
        return new RawHttp("127.0.0.1", server.port());
    }

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    /** An SD-JWT VC issued to the agent by the admin API: its issuer's id and the credential. */
    private JsonNode issued() throws Exception {
        RawHttp.Response r = http().postJson("/admin/agents/" + agent + "/credentials?format=dc%2Bsd-jwt", "", bearer(admin));
        assertEquals(201, r.status(), r.body());
        return r.json();
    }

    private String nonce() throws Exception {
        RawHttp.Response r = http().postJson("/oid4vci/nonce", "", Map.of());
        assertEquals(200, r.status(), r.body());
        return r.json().get("c_nonce").asText();
    }

    /** The credential with no disclosures and a key-binding JWT signed by {@code holder}. */
    private String presented(JsonNode issued, Signer holder, String audience, String nonce) {
        SdJwt held = Presentations.select(SdJwt.parse(issued.get("credential").asText()), List.of());
        return KeyBinding.sign(holder, held, audience, nonce, Clock.systemUTC().instant()).serialize();
    }

    private RawHttp.Response renew(String presentation) throws Exception {
        return http().postJson("/oid4vci/renew", JsonCodec.writeString(JsonCodec.objectNode().put("presentation", presentation)), Map.of());
    }

    private static void assertOAuthError(RawHttp.Response r, int status, String error) {
        assertEquals(status, r.status(), r.body());
        assertEquals(error, r.json().path("error").asText(), r.body());
        assertTrue(r.json().path("error_description").asText().length() > 10, r.body());
    }

    @Test
    void renew_currentSdJwtVcWithKeyBinding_offersTheSdJwtConfigurationWhichIssuesANewOne() throws Exception {
        JsonNode old = issued();
        RawHttp.Response r = renew(presented(old, agentKey, issuer, nonce()));
        assertEquals(200, r.status(), r.body());
        JsonNode offer = r.json().get("credential_offer");
        assertEquals(List.of(Oid4vci.SD_JWT_CONFIGURATION_ID), List.of(offer.at("/credential_configuration_ids/0").asText()));
        assertEquals(1, offer.get("credential_configuration_ids").size());

        String code = offer.at("/grants/" + Oid4vci.PRE_AUTH_GRANT.replace("/", "~1") + "/pre-authorized_code").asText();
        RawHttp.Response token = http().post("/oid4vci/token", "application/x-www-form-urlencoded", "grant_type="
                + URLEncoder.encode(Oid4vci.PRE_AUTH_GRANT, StandardCharsets.UTF_8) + "&pre-authorized_code=" + code, Map.of());
        assertEquals(200, token.status(), token.body());
        ObjectNode claims = JsonCodec.objectNode().put("aud", issuer).put("iat", Clock.systemUTC().instant().getEpochSecond())
                .put("nonce", nonce());
        DidUrl kid = KeyDids.methodId(agentKey.publicKey());
        String proof = CompactJws.sign(agentKey, new JwsHeader(Optional.of(kid.toString()), Optional.of("openid4vci-proof+jwt"),
                Optional.empty()), JsonCodec.write(claims));
        RawHttp.Response fresh = http().postJson("/oid4vci/credential", "{\"credential_configuration_id\":\""
                + Oid4vci.SD_JWT_CONFIGURATION_ID + "\",\"proofs\":{\"jwt\":[\"" + proof + "\"]}}",
                bearer(token.json().get("access_token").asText()));
        assertEquals(200, fresh.status(), fresh.body());
        SdJwt renewed = SdJwt.parse(fresh.json().at("/credentials/0/credential").asText());
        assertNotEquals(SdJwt.parse(old.get("credential").asText()).issuerJwt(), renewed.issuerJwt());
        assertEquals(agent.toString(), renewed.issuerJws().payloadJson().get("sub").asText());
    }

    @Test
    void renew_samePresentationTwice_theSecondIsInvalidNonce() throws Exception {
        String shown = presented(issued(), agentKey, issuer, nonce());
        assertEquals(200, renew(shown).status());
        assertOAuthError(renew(shown), 400, "invalid_nonce");
    }

    @Test
    void renew_eachFaultOfTheProof_itsOwnOAuthError() throws Exception {
        JsonNode vc = issued();
        assertOAuthError(renew(SdJwt.parse(vc.get("credential").asText()).serialize()), 400, "invalid_request");
        assertOAuthError(renew(presented(vc, agentKey, "https://verifier.example", nonce())), 400, "invalid_proof");
        KeyPair stranger = KeyPair.generate(KeyType.ED25519, random);
        assertOAuthError(renew(presented(vc, stranger, issuer, nonce())), 400, "invalid_proof");
        String forged = presented(vc, agentKey, issuer, nonce()).replaceFirst("\\.[^.~]+~", ".AAAA~");
        assertOAuthError(renew(forged), 400, "invalid_proof");
        assertOAuthError(renew(presented(vc, agentKey, issuer, "never-issued")), 400, "invalid_nonce");
    }

    @Test
    void renew_suspendedCredentialOrDeactivatedAgent_credentialRequestDenied() throws Exception {
        JsonNode vc = issued();
        assertEquals(204, http().postJson("/admin/credentials/" + vc.get("id").asText() + "/suspend", "", bearer(admin)).status());
        assertOAuthError(renew(presented(vc, agentKey, issuer, nonce())), 400, "credential_request_denied");
        assertEquals(204, http().postJson("/admin/credentials/" + vc.get("id").asText() + "/reinstate", "", bearer(admin)).status());
        assertEquals(200, renew(presented(vc, agentKey, issuer, nonce())).status(), "reinstated: current again");

        assertEquals(204, http().postJson("/admin/agents/" + agent + "/deactivate", "", bearer(admin)).status());
        assertOAuthError(renew(presented(vc, agentKey, issuer, nonce())), 400, "credential_request_denied");
    }
}
