package dev.tabard.issuer.oid4vci;

import static dev.tabard.issuer.oid4vci.Oid4vciIssuer.bearer;
import static dev.tabard.issuer.oid4vci.Oid4vciIssuer.code;
import static dev.tabard.issuer.oid4vci.Oid4vciIssuer.preAuth;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.Base64Url;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.DidUrl;
import dev.tabard.did.key.KeyDids;
import dev.tabard.issuer.http.IssuerServer;
import dev.tabard.problem.ProblemType;
import dev.tabard.testing.ManualClock;
import dev.tabard.vc.jose.CompactJws;
import dev.tabard.vc.jose.JwsHeader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenID4VCI endpoints' refusals that {@link Oid4vciEndpointsTest} leaves out: lifetimes (code, access token,
 * nonce) run out on a manual clock, the tx_code guess limit, the bearer scheme, proofs that are not signed by the
 * agent or are not JWS at all, audiences that are almost the issuer's, and bodies past the transport's limit. A real
 * issuer on 127.0.0.1 with real Ed25519 proofs; each refusal is checked for the OAuth error code OpenID4VCI 1.0 §6.3
 * and §8.3.1 give it, or for RFC 9457 problem details where the transport answers.
 */
class Oid4vciErrorPathsTest {

    /** The wrong tx_codes an offer survives ({@code Oid4vci}'s private bound). */
    private static final int TX_CODE_ATTEMPTS = 5;

    private final ManualClock clock = new ManualClock();
    @TempDir
    Path dir;
    private Oid4vciIssuer fx;
    private SecureRandom random;
    private String admin;
    private KeyPair agentKey;
    private Did agent;
    private DidUrl kid;
    private String issuer;

    @BeforeEach
    void start() throws Exception {
        fx = new Oid4vciIssuer(dir, clock, "\"operator\":{\"name\":\"Procurement\"},\"capabilities\":[\"supplier:lookup\"]");
        random = fx.random;
        admin = fx.admin;
        agentKey = fx.agentKey;
        agent = fx.agent;
        kid = fx.kid;
        issuer = fx.issuer;
    }

    @AfterEach
    void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    private RawHttp http() throws Exception {
        return fx.http();
    }

    private JsonNode offer(boolean txCode) throws Exception {
        return fx.offer(txCode ? "?tx_code=true" : "");
    }

    private RawHttp.Response token(String form) throws Exception {
        return http().post("/oid4vci/token", "application/x-www-form-urlencoded", form, Map.of());
    }

    private String accessToken() throws Exception {
        return fx.accessToken("127.0.0.1", code(offer(false)));
    }

    private String nonce() throws Exception {
        return fx.nonce("127.0.0.1");
    }

    private String proof(KeyPair signer, DidUrl kidOf, String nonce, Consumer<ObjectNode> edit) {
        return fx.proof(signer, kidOf, nonce, edit);
    }

    private String proof(String nonce, Consumer<ObjectNode> edit) {
        return fx.proof(agentKey, kid, nonce, edit);
    }

    private RawHttp.Response credential(String token, String proofJson) throws Exception {
        return http().postJson("/oid4vci/credential", "{\"credential_configuration_id\":\"" + Oid4vci.CONFIGURATION_ID
                + "\",\"proofs\":{\"jwt\":[" + proofJson + "]}}", bearer(token));
    }

    private static String quoted(String s) {
        return "\"" + s + "\"";
    }

    private void assertIssued(RawHttp.Response r) {
        assertEquals(200, r.status(), r.body());
        JsonNode vc = CompactJws.parse(r.json().at("/credentials/0/credential").asText()).payloadJson();
        assertEquals(agent.toString(), vc.at("/credentialSubject/id").asText(), vc.toString());
    }

    /** An OAuth 2.0 error response (RFC 6749 §5.2): plain JSON with {@code error}, never problem details. */
    private static void assertOAuthError(RawHttp.Response r, int status, String error, String context) {
        assertEquals(status, r.status(), () -> context + ": " + r.body());
        assertEquals("application/json", r.header("Content-Type").split(";")[0], context);
        assertEquals(error, r.json().path("error").asText(), () -> context + ": " + r.body());
        assertTrue(r.json().path("error_description").asText().length() > 10, () -> context + ": " + r.body());
    }

    private static void assertInvalidToken(RawHttp.Response r, String context) {
        assertOAuthError(r, 401, "invalid_token", context);
        assertEquals("Bearer error=\"invalid_token\"", r.header("WWW-Authenticate"), context);
    }

    @Test
    void token_refusalsAreNeverCached() throws Exception {
        RawHttp.Response r = token("grant_type=password&username=a&password=b");
        assertOAuthError(r, 400, "unsupported_grant_type", "the password grant");
        assertEquals("no-store", r.header("Cache-Control"), "RFC 6749 §5.1");
        RawHttp.Response none = token("");
        assertOAuthError(none, 400, "unsupported_grant_type", "an empty form");
        assertEquals("no-store", none.header("Cache-Control"));
    }

    @Test
    void token_missingPreAuthorizedCode_isInvalidGrant() throws Exception {
        assertOAuthError(token("grant_type=" + URLEncoder.encode(Oid4vci.PRE_AUTH_GRANT, StandardCharsets.UTF_8)), 400, "invalid_grant",
                "no pre-authorized_code");
        assertOAuthError(token(preAuth("")), 400, "invalid_grant", "an empty pre-authorized_code");
    }

    @Test
    void token_aCodeOlderThanItsLifetime_isInvalidGrant() throws Exception {
        String code = code(offer(false));
        clock.advance(Oid4vci.CODE_LIFETIME.plusSeconds(1));
        assertOAuthError(token(preAuth(code)), 400, "invalid_grant", "an expired code");
    }

    @Test
    void token_txCode_fourWrongGuessesLeaveTheOfferAndTheFifthEndsIt() throws Exception {
        JsonNode survives = offer(true);
        String right = survives.get("tx_code").asText();
        for (int i = 0; i < TX_CODE_ATTEMPTS - 1; i++) {
            assertOAuthError(token(preAuth(code(survives)) + "&tx_code=" + wrong(right, i)), 400, "invalid_grant", "guess " + i);
        }
        assertEquals(200, token(preAuth(code(survives)) + "&tx_code=" + right).status(), "four wrong guesses leave the offer");

        JsonNode guessed = offer(true);
        String answer = guessed.get("tx_code").asText();
        for (int i = 0; i < TX_CODE_ATTEMPTS; i++) {
            assertOAuthError(token(preAuth(code(guessed)) + "&tx_code=" + wrong(answer, i)), 400, "invalid_grant", "guess " + i);
        }
        assertOAuthError(token(preAuth(code(guessed)) + "&tx_code=" + answer), 400, "invalid_grant",
                "the right tx_code after " + TX_CODE_ATTEMPTS + " wrong ones: the offer is gone");
    }

    private static String wrong(String right, int i) {
        String guess = String.format("%06d", i);
        return guess.equals(right) ? String.format("%06d", 999_999 - i) : guess;
    }

    @Test
    void token_anEmptyTxCodeIsAWrongOne() throws Exception {
        JsonNode withTx = offer(true);
        assertOAuthError(token(preAuth(code(withTx)) + "&tx_code="), 400, "invalid_grant", "an empty tx_code");
    }

    @Test
    void credential_anAccessTokenOlderThanItsLifetime_isInvalidToken() throws Exception {
        String token = accessToken();
        clock.advance(Oid4vci.TOKEN_LIFETIME.plusSeconds(1));
        assertInvalidToken(credential(token, quoted(proof(nonce(), c -> { }))), "an expired access token");
    }

    @Test
    void credential_aTokenUnderAnotherSchemeOrInTheBody_isInvalidToken() throws Exception {
        String token = accessToken();
        String proof = proof(nonce(), c -> { });
        String body = "{\"credential_configuration_id\":\"" + Oid4vci.CONFIGURATION_ID + "\",\"proofs\":{\"jwt\":[\"" + proof + "\"]}}";
        for (String header : List.of("Basic " + token, "DPoP " + token, token, "Bearer")) {
            assertInvalidToken(http().postJson("/oid4vci/credential", body, Map.of("Authorization", header)), header);
        }
        assertInvalidToken(http().postJson("/oid4vci/credential", body.replace("{\"credential", "{\"access_token\":\"" + token
                + "\",\"credential"), Map.of()), "the token in the body");
        // the scheme's name is case-insensitive (RFC 9110 §11.1)
        assertIssued(http().postJson("/oid4vci/credential", body, Map.of("Authorization", "bearer " + token)));
    }

    @Test
    void credential_aProofWithoutANonce_isInvalidNonce() throws Exception {
        String token = accessToken();
        assertOAuthError(credential(token, quoted(proof("", c -> c.remove("nonce")))), 400, "invalid_nonce", "no nonce claim");
        assertOAuthError(credential(token, quoted(proof("", c -> { }))), 400, "invalid_nonce", "an empty nonce");
        assertIssued(credential(token, quoted(proof(nonce(), c -> { }))));
    }

    @Test
    void credential_aNonceOlderThanTheProofFreshness_isInvalidNonce() throws Exception {
        String stale = nonce();
        clock.advance(Oid4vci.PROOF_FRESHNESS.plusSeconds(1));
        String token = accessToken();
        assertOAuthError(credential(token, quoted(proof(stale, c -> { }))), 400, "invalid_nonce", "an expired nonce in a fresh proof");
        assertIssued(credential(token, quoted(proof(nonce(), c -> { }))));
    }

    @Test
    void credential_aProofSignedByAnotherKeyUnderTheAgentsKid_isInvalidProofAndLeavesTheNonce() throws Exception {
        String token = accessToken();
        String nonce = nonce();
        KeyPair other = KeyPair.generate(KeyType.ED25519, random);
        assertOAuthError(credential(token, quoted(proof(other, kid, nonce, c -> { }))), 400, "invalid_proof", "a forged signature");
        // only a proof the agent signed can use a nonce up, so the forgery did not spend it
        assertIssued(credential(token, quoted(proof(nonce, c -> { }))));
    }

    @Test
    void credential_aProofByAnotherRegisteredAgent_isInvalidProof() throws Exception {
        KeyPair otherKey = KeyPair.generate(KeyType.ED25519, random);
        Did other = KeyDids.of(otherKey.publicKey());
        RawHttp.Response r = http().postJson("/admin/agents", "{\"did\":\"" + other + "\",\"name\":\"seller\","
                + "\"operator\":{\"name\":\"Sales\"},\"capabilities\":[\"supplier:lookup\"]}", bearer(admin));
        assertEquals(201, r.status(), r.body());
        RawHttp.Response refused = credential(accessToken(), quoted(proof(otherKey, KeyDids.methodId(otherKey.publicKey()), nonce(), c -> { })));
        assertOAuthError(refused, 400, "invalid_proof", "the token's agent is not the proof's signer");
        assertTrue(refused.json().path("error_description").asText().contains(agent.toString()), refused.body());
    }

    @Test
    void credential_audiencesThatAreAlmostTheIssuer_areInvalidProof() throws Exception {
        Map<String, Consumer<ObjectNode>> audiences = new LinkedHashMap<>();
        audiences.put("a trailing slash", c -> c.put("aud", issuer + "/"));
        audiences.put("https", c -> c.put("aud", issuer.replace("http:", "https:")));
        audiences.put("the credential endpoint", c -> c.put("aud", issuer + "/oid4vci/credential"));
        audiences.put("an array", c -> c.putArray("aud").add(issuer));
        audiences.put("no aud", c -> c.remove("aud"));
        audiences.put("another port", c -> c.put("aud", issuer.replaceAll(":\\d+$", ":1")));
        assertEachRefused(audiences.entrySet().stream().map(e -> Map.entry(e.getKey(), quoted(proof(nonceUnchecked(), e.getValue()))))
                .toList(), "invalid_proof");
    }

    @Test
    void credential_proofsThatAreNotSignedAgentJwts_areInvalidProofNeverA500() throws Exception {
        String n = nonce();
        String header = Base64Url.encode("{\"alg\":\"none\",\"typ\":\"openid4vci-proof+jwt\",\"kid\":\"".concat(kid.toString()).concat("\"}")
                .getBytes(StandardCharsets.UTF_8));
        String payload = Base64Url.encode(JsonCodec.write(Map.of("aud", issuer, "iat", clock.instant().getEpochSecond(), "nonce", n)));
        String signed = proof(n, c -> { });
        String[] parts = signed.split("\\.");
        List<Map.Entry<String, String>> proofs = List.of(
                Map.entry("alg none", quoted(header + "." + payload + ".")),
                Map.entry("not a JWS", quoted("not.a.jws")),
                Map.entry("an empty string", quoted("")),
                Map.entry("a number", "42"),
                Map.entry("an object", "{\"jwt\":" + quoted(signed) + "}"),
                Map.entry("two proofs", quoted(signed) + "," + quoted(signed)),
                Map.entry("a payload changed after signing", quoted(parts[0] + "." + Base64Url.encode(JsonCodec.write(Map.of("aud", issuer,
                        "iat", clock.instant().getEpochSecond(), "nonce", nonceUnchecked()))) + "." + parts[2])),
                Map.entry("a kid that is no DID URL", quoted(CompactJws.sign(agentKey, new JwsHeader(Optional.of("key-1"),
                        Optional.of("openid4vci-proof+jwt"), Optional.empty()), JsonCodec.write(Map.of("aud", issuer, "iat",
                        clock.instant().getEpochSecond(), "nonce", n))))),
                Map.entry("no kid", quoted(CompactJws.sign(agentKey, new JwsHeader(Optional.empty(), Optional.of("openid4vci-proof+jwt"),
                        Optional.empty()), JsonCodec.write(Map.of("aud", issuer, "iat", clock.instant().getEpochSecond(), "nonce", n))))));
        assertEachRefused(proofs, "invalid_proof");
        assertIssued(credential(accessToken(), quoted(proof(n, c -> { }))));
    }

    @Test
    void credential_noProofsOrTheDraftSingularProof_isInvalidProof() throws Exception {
        String token = accessToken();
        String p = proof(nonce(), c -> { });
        assertOAuthError(http().postJson("/oid4vci/credential", "{\"credential_configuration_id\":\"" + Oid4vci.CONFIGURATION_ID + "\"}",
                bearer(token)), 400, "invalid_proof", "no proofs");
        assertOAuthError(http().postJson("/oid4vci/credential", "{\"credential_configuration_id\":\"" + Oid4vci.CONFIGURATION_ID
                + "\",\"proof\":{\"proof_type\":\"jwt\",\"jwt\":\"" + p + "\"}}", bearer(token)), 400, "invalid_proof", "draft 13's proof");
        assertOAuthError(http().postJson("/oid4vci/credential", "{\"credential_configuration_id\":\"" + Oid4vci.CONFIGURATION_ID
                + "\",\"proofs\":{\"ldp_vp\":[{}]}}", bearer(token)), 400, "invalid_proof", "another proof type");
    }

    @Test
    void credential_noOrAnotherConfiguration_isUnknownCredentialConfiguration() throws Exception {
        String proofs = ",\"proofs\":{\"jwt\":[\"" + proof(nonce(), c -> { }) + "\"]}}";
        List<Map.Entry<String, String>> bodies = List.of(
                Map.entry("no configuration id", "{\"format\":\"jwt_vc_json\"" + proofs),
                Map.entry("a format instead", "{\"format\":\"vc+jwt\"" + proofs),
                Map.entry("a credential_identifier", "{\"credential_identifier\":\"" + Oid4vci.CONFIGURATION_ID + "\"" + proofs),
                Map.entry("a configuration id in another case", "{\"credential_configuration_id\":\"agentcredential_vc+jwt\"" + proofs),
                Map.entry("a configuration id that is no string", "{\"credential_configuration_id\":[\"" + Oid4vci.CONFIGURATION_ID + "\"]" + proofs));
        String token = null;
        for (int i = 0; i < bodies.size(); i++) {
            if (i % Oid4vci.MAX_FAILED_CREDENTIAL_REQUESTS == 0) {
                token = accessToken();
            }
            assertOAuthError(http().postJson("/oid4vci/credential", bodies.get(i).getValue(), bearer(token)), 400,
                    "unknown_credential_configuration", bodies.get(i).getKey());
        }
    }

    @Test
    void credential_aBodyThatIsNoJsonObject_isInvalidCredentialRequest() throws Exception {
        String token = null;
        List<String> bodies = List.of("[]", "\"text\"", "", "{\"a\":1}{");
        for (int i = 0; i < bodies.size(); i++) {
            if (i % Oid4vci.MAX_FAILED_CREDENTIAL_REQUESTS == 0) {
                token = accessToken();
            }
            assertOAuthError(http().postJson("/oid4vci/credential", bodies.get(i), bearer(token)), 400, "invalid_credential_request",
                    "body '" + bodies.get(i) + "'");
        }
    }

    @Test
    void credential_aBodyPastTheServersLimit_isA413Problem() throws Exception {
        RawHttp.Response r = http().postJson("/oid4vci/credential", "{\"x\":\"" + "a".repeat(IssuerServer.MAX_BODY_BYTES) + "\"}",
                bearer(accessToken()));
        assertEquals(413, r.status(), r.body());
        assertEquals("application/problem+json", r.header("Content-Type").split(";")[0], r.body());
        assertEquals(ProblemType.INPUT_TOO_LARGE.type().toString(), r.json().path("type").asText(), r.body());
    }

    /** Each request gets {@code error}; tokens are renewed before the refusals that use one up. */
    private void assertEachRefused(List<Map.Entry<String, String>> proofs, String error) throws Exception {
        String token = null;
        for (int i = 0; i < proofs.size(); i++) {
            if (i % Oid4vci.MAX_FAILED_CREDENTIAL_REQUESTS == 0) {
                token = accessToken();
            }
            RawHttp.Response r = credential(token, proofs.get(i).getValue());
            assertOAuthError(r, 400, error, proofs.get(i).getKey());
        }
    }

    private String nonceUnchecked() {
        try {
            return nonce();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
