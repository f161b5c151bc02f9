package dev.tabard.issuer.oid4vci;

import static dev.tabard.issuer.oid4vci.Oid4vciIssuer.assertOAuthError;
import static dev.tabard.issuer.oid4vci.Oid4vciIssuer.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.DidUrl;
import dev.tabard.did.key.KeyDids;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.jose.CompactJws;
import dev.tabard.vc.jose.JwsHeader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenID4VCI against a real issuer on 127.0.0.1 (plain HTTP, did:key, a real SQLite store), with real Ed25519 key
 * proofs, sent from chosen source addresses in 127/8 so that per-client limits meet distinct clients.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class Oid4vciEndpointsTest {

    private static final String FLOODER = "127.0.0.3";
    private static final String HONEST = "127.0.0.2";
    /** Nonce requests the flooder sends: far past the per-client cap, bounded so the test ends in seconds. */
    private static final int FLOOD = 2_000;

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
        fx = new Oid4vciIssuer(dir, Clock.systemUTC(), "\"operator\":{\"name\":\"Procurement\"},\"capabilities\":[\"supplier:lookup\"]");
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

    private RawHttp http(String source) throws Exception {
        return fx.http(source);
    }

    /** An admin offer for the agent, redeemed for an access token from {@code source}. */
    private String accessToken(String source) throws Exception {
        return fx.accessToken(source, Oid4vciIssuer.code(fx.offer("")));
    }

    private String nonce(String source) throws Exception {
        return fx.nonce(source);
    }

    /** A key proof for this issuer, signed by the agent's key, with claims {@code edit} may change. */
    private String proof(String nonce, Consumer<ObjectNode> edit) {
        return fx.proof(agentKey, kid, nonce, edit);
    }

    private RawHttp.Response credential(String source, String token, String proof) throws Exception {
        return fx.credential(source, token, Oid4vci.CONFIGURATION_ID, proof);
    }

    private void assertIssuedToAgent(RawHttp.Response r) {
        assertEquals(200, r.status(), r.body());
        JsonNode vc = CompactJws.parse(r.json().at("/credentials/0/credential").asText()).payloadJson();
        assertEquals(agent.toString(), vc.at("/credentialSubject/id").asText(), vc.toString());
    }

    @Test
    void nonce_floodFromOneClient_isCappedAndAnotherClientStillReceivesACredential() throws Exception {
        int granted = 0;
        int refused = 0;
        for (int i = 0; i < FLOOD; i++) {
            RawHttp.Response r = http(FLOODER).postJson("/oid4vci/nonce", "", Map.of());
            if (r.status() == 200) {
                granted++;
                continue;
            }
            refused++;
            assertEquals(429, r.status(), r.body());
            assertEquals("application/problem+json", r.header("Content-Type").split(";")[0], r.body());
            assertEquals(429, r.json().get("status").asInt());
            // after merging, the server's per-client rate limit may answer first: either refusal sheds the flooder
            String type = r.json().get("type").asText();
            assertTrue(type.equals(ProblemType.CLIENT_LIMIT_EXCEEDED.type().toString())
                    || type.equals(ProblemType.RATE_LIMITED.type().toString()), r.body());
            assertTrue(Long.parseLong(r.header("Retry-After")) > 0, r.headers().toString());
        }
        assertTrue(granted <= Oid4vci.MAX_NONCES_PER_CLIENT, granted + " nonces held by one client");
        assertEquals(FLOOD, granted + refused);

        String token = accessToken(HONEST);
        assertIssuedToAgent(credential(HONEST, token, proof(nonce(HONEST), c -> { })));
    }

    @Test
    void nonce_floodBesideHonestTraffic_honestClientIsNeverRefused() throws Exception {
        int honestRequests = 40;
        java.util.concurrent.ExecutorService flood = java.util.concurrent.Executors.newFixedThreadPool(4);
        java.util.concurrent.atomic.AtomicInteger floodRefused = new java.util.concurrent.atomic.AtomicInteger();
        java.util.List<java.util.concurrent.Future<?>> flooders = new java.util.ArrayList<>();
        for (int t = 0; t < 4; t++) {
            flooders.add(flood.submit(() -> {
                for (int i = 0; i < FLOOD / 4; i++) {
                    if (http(FLOODER).postJson("/oid4vci/nonce", "", Map.of()).status() == 429) {
                        floodRefused.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        long[] millis = new long[honestRequests];
        try {
            for (int i = 0; i < honestRequests; i++) {
                long start = System.nanoTime();
                RawHttp.Response r = http(HONEST).postJson("/oid4vci/nonce", "", Map.of());
                millis[i] = (System.nanoTime() - start) / 1_000_000;
                assertEquals(200, r.status(), "honest request " + i + " during the flood: " + r.body());
            }
        } finally {
            for (java.util.concurrent.Future<?> f : flooders) {
                f.get(90, TimeUnit.SECONDS);
            }
            flood.shutdown();
        }
        java.util.Arrays.sort(millis);
        System.out.printf("nonce flood of %d from %s beside %d honest requests from %s: flood refused %d; honest p50 %d ms, p99 %d ms%n",
                FLOOD, FLOODER, honestRequests, HONEST, floodRefused.get(), millis[honestRequests / 2], millis[honestRequests * 99 / 100]);
        assertTrue(floodRefused.get() >= FLOOD - Oid4vci.MAX_NONCES_PER_CLIENT, "the flooder is shed");
    }

    @Test
    void keyProof_hostileIat_isInvalidProof400NeverA500() throws Exception {
        Map<String, Consumer<ObjectNode>> hostile = Map.of(
                "2^63", c -> c.put("iat", new java.math.BigInteger("9223372036854775808")),
                "-2^63", c -> c.put("iat", Long.MIN_VALUE),
                "-2^63-1", c -> c.put("iat", new java.math.BigInteger("-9223372036854775809")),
                "1e300", c -> c.put("iat", 1e300),
                "-1", c -> c.put("iat", -1),
                "string", c -> c.put("iat", "1700000000"),
                "1.5", c -> c.put("iat", 1.5),
                "absent", c -> c.remove("iat"));
        String token = null;
        int tries = 0;
        for (Map.Entry<String, Consumer<ObjectNode>> e : hostile.entrySet()) {
            if (tries++ % Oid4vci.MAX_FAILED_CREDENTIAL_REQUESTS == 0) {
                token = accessToken(HONEST); // the last one was used up by its refused requests
            }
            RawHttp.Response r = credential(HONEST, token, proof(nonce(HONEST), e.getValue()));
            assertOAuthError(r, 400, "invalid_proof");
            assertTrue(r.json().get("error_description").asText().contains("iat"), e.getKey() + ": " + r.body());
        }
        assertIssuedToAgent(credential(HONEST, accessToken(HONEST), proof(nonce(HONEST), c -> { })));
    }

    @Test
    void keyProof_staleOrFutureIat_isInvalidProof() throws Exception {
        long now = Clock.systemUTC().instant().getEpochSecond();
        assertOAuthError(credential(HONEST, accessToken(HONEST), proof(nonce(HONEST), c -> c.put("iat", now - 600))), 400, "invalid_proof");
        assertOAuthError(credential(HONEST, accessToken(HONEST), proof(nonce(HONEST), c -> c.put("iat", now + 600))), 400, "invalid_proof");
    }

    @Test
    void accessToken_usedForACredential_isRefusedTheSecondTime() throws Exception {
        String token = accessToken(HONEST);
        assertIssuedToAgent(credential(HONEST, token, proof(nonce(HONEST), c -> { })));
        RawHttp.Response again = credential(HONEST, token, proof(nonce(HONEST), c -> { }));
        assertOAuthError(again, 401, "invalid_token");
        assertTrue(again.header("WWW-Authenticate").contains("invalid_token"), again.headers().toString());
    }

    @Test
    void accessToken_afterAnInvalidNonce_staysUsableForTheRetry() throws Exception {
        String token = accessToken(HONEST);
        assertOAuthError(credential(HONEST, token, proof("never-issued", c -> { })), 400, "invalid_nonce");
        assertIssuedToAgent(credential(HONEST, token, proof(nonce(HONEST), c -> { })));
    }

    @Test
    void accessToken_afterMaxFailedRequests_isUsedUp() throws Exception {
        String token = accessToken(HONEST);
        for (int i = 0; i < Oid4vci.MAX_FAILED_CREDENTIAL_REQUESTS; i++) {
            assertOAuthError(credential(HONEST, token, proof(nonce(HONEST), c -> c.put("aud", "https://elsewhere.example"))), 400,
                    "invalid_proof");
        }
        assertOAuthError(credential(HONEST, token, proof(nonce(HONEST), c -> { })), 401, "invalid_token");
    }

    @Test
    void renew_repeatedWithOneCredential_stopsAtThePerAgentOfferCapWithOAuth429() throws Exception {
        RawHttp.Response issued = credential(HONEST, accessToken(HONEST), proof(nonce(HONEST), c -> { }));
        assertIssuedToAgent(issued);
        String vc = issued.json().at("/credentials/0/credential").asText();
        for (int i = 0; i <= Oid4vci.MAX_OFFERS_PER_AGENT; i++) {
            java.time.Instant now = Clock.systemUTC().instant();
            String vp = dev.tabard.vc.jose.VcJose.securePresentation(dev.tabard.vc.jose.VcJose.presentationOf(java.util.List.of(vc)),
                    agentKey, kid, nonce(HONEST), issuer, "urn:uuid:" + java.util.UUID.randomUUID(), now, now.plusSeconds(60));
            RawHttp.Response r = http(HONEST).postJson("/oid4vci/renew", "{\"presentation\":\"" + vp + "\"}", Map.of());
            if (i < Oid4vci.MAX_OFFERS_PER_AGENT) {
                assertEquals(200, r.status(), "renewal " + i + ": " + r.body());
            } else {
                assertOAuthError(r, 429, "temporarily_unavailable");
                assertTrue(Long.parseLong(r.header("Retry-After")) > 0, r.headers().toString());
            }
        }
    }

    @Test
    void offers_overThePerAgentCap_are429ClientLimitExceeded() throws Exception {
        for (int i = 0; i < Oid4vci.MAX_OFFERS_PER_AGENT; i++) {
            assertEquals(201, http("127.0.0.1").postJson("/admin/agents/" + agent + "/offer", "", bearer(admin)).status());
        }
        RawHttp.Response r = http("127.0.0.1").postJson("/admin/agents/" + agent + "/offer", "", bearer(admin));
        assertEquals(429, r.status(), r.body());
        assertEquals(ProblemType.CLIENT_LIMIT_EXCEEDED.type().toString(), r.json().get("type").asText());
        assertEquals(429, r.json().get("status").asInt());
    }

    private JsonNode offer(String query) throws Exception {
        return fx.offer(query);
    }

    private static String code(JsonNode offer) {
        return Oid4vciIssuer.code(offer);
    }

    private RawHttp.Response token(String form) throws Exception {
        return http(HONEST).post("/oid4vci/token", "application/x-www-form-urlencoded", form, Map.of());
    }

    private static String preAuth(String code) {
        return "grant_type=" + URLEncoder.encode(Oid4vci.PRE_AUTH_GRANT, StandardCharsets.UTF_8) + "&pre-authorized_code=" + code;
    }

    /** Each refusal of the token endpoint, with the OAuth error code RFC 6749 §5.2 and OpenID4VCI §6.3 give it. */
    @Test
    void token_eachRefusal_itsOwnOAuthErrorCode() throws Exception {
        assertOAuthError(token("grant_type=authorization_code&code=x"), 400, "unsupported_grant_type");
        assertOAuthError(token("pre-authorized_code=" + code(offer(""))), 400, "unsupported_grant_type");
        assertOAuthError(token(preAuth("never-offered")), 400, "invalid_grant");
        JsonNode withTx = offer("?tx_code=true");
        assertOAuthError(token(preAuth(code(withTx))), 400, "invalid_request");
        String wrongTx = withTx.get("tx_code").asText().equals("000000") ? "000001" : "000000";
        assertOAuthError(token(preAuth(code(withTx)) + "&tx_code=" + wrongTx), 400, "invalid_grant");
        RawHttp.Response redeemed = token(preAuth(code(withTx)) + "&tx_code=" + withTx.get("tx_code").asText());
        assertEquals(200, redeemed.status(), "a wrong tx_code leaves the offer redeemable: " + redeemed.body());
        assertOAuthError(token(preAuth(code(withTx)) + "&tx_code=" + withTx.get("tx_code").asText()), 400, "invalid_grant");
        assertOAuthError(token(preAuth(code(offer(""))) + "&tx_code=123456"), 400, "invalid_request");
    }

    /** Each refusal of the credential endpoint, with its OpenID4VCI 1.0 §8.3.1 error code. */
    @Test
    void credential_eachRefusal_itsOwnOAuthErrorCode() throws Exception {
        RawHttp.Response noToken = http(HONEST).postJson("/oid4vci/credential", "{}", Map.of());
        assertOAuthError(noToken, 401, "invalid_token");
        assertTrue(noToken.header("WWW-Authenticate").contains("invalid_token"), noToken.headers().toString());
        assertOAuthError(http(HONEST).postJson("/oid4vci/credential", "{}", bearer("not-a-token")), 401, "invalid_token");
        String token = accessToken(HONEST);
        assertOAuthError(http(HONEST).postJson("/oid4vci/credential", "[1,", bearer(token)), 400, "invalid_credential_request");
        assertOAuthError(http(HONEST).postJson("/oid4vci/credential", "{\"credential_configuration_id\":\"Other\"}", bearer(token)), 400,
                "unknown_credential_configuration");
        token = accessToken(HONEST);
        assertOAuthError(http(HONEST).postJson("/oid4vci/credential", "{\"credential_configuration_id\":\"" + Oid4vci.CONFIGURATION_ID
                + "\",\"proofs\":{\"jwt\":[]}}", bearer(token)), 400, "invalid_proof");
        assertOAuthError(http(HONEST).postJson("/oid4vci/credential", "{\"x\":\"" + "a".repeat(70 * 1024) + "\"}", bearer(token)), 413,
                "invalid_credential_request");
        token = accessToken(HONEST);
        KeyPair stranger = KeyPair.generate(KeyType.ED25519, random);
        String foreign = CompactJws.sign(stranger, new JwsHeader(Optional.of(KeyDids.methodId(stranger.publicKey()).toString()),
                Optional.of("openid4vci-proof+jwt"), Optional.empty()), JsonCodec.write(Map.of("aud", issuer, "iat",
                Clock.systemUTC().instant().getEpochSecond(), "nonce", nonce(HONEST))));
        assertOAuthError(credential(HONEST, token, foreign), 400, "invalid_proof");
        String untyped = CompactJws.sign(agentKey, new JwsHeader(Optional.of(kid.toString()), Optional.of("JWT"), Optional.empty()),
                JsonCodec.write(Map.of("aud", issuer, "iat", Clock.systemUTC().instant().getEpochSecond(), "nonce", nonce(HONEST))));
        assertOAuthError(credential(HONEST, token, untyped), 400, "invalid_proof");
        token = accessToken(HONEST);
        String nonce = nonce(HONEST);
        assertIssuedToAgent(credential(HONEST, token, proof(nonce, c -> { })));
        assertOAuthError(credential(HONEST, accessToken(HONEST), proof(nonce, c -> { })), 400, "invalid_nonce");
        token = accessToken(HONEST);
        assertEquals(204, http("127.0.0.1").postJson("/admin/agents/" + agent + "/deactivate", "", bearer(admin)).status());
        assertOAuthError(credential(HONEST, token, proof(nonce(HONEST), c -> { })), 400, "credential_request_denied");
    }

    /** Each refusal of renewal, with the error code a credential request would get for the same fault. */
    @Test
    void renew_eachRefusal_itsOwnOAuthErrorCode() throws Exception {
        RawHttp.Response issued = credential(HONEST, accessToken(HONEST), proof(nonce(HONEST), c -> { }));
        assertIssuedToAgent(issued);
        String vc = issued.json().at("/credentials/0/credential").asText();
        java.time.Instant now = Clock.systemUTC().instant();
        java.util.function.BiFunction<String, String, String> vp = (n, audience) -> dev.tabard.vc.jose.VcJose.securePresentation(
                dev.tabard.vc.jose.VcJose.presentationOf(java.util.List.of(vc)), agentKey, kid, n, audience,
                "urn:uuid:" + java.util.UUID.randomUUID(), now, now.plusSeconds(60));
        assertOAuthError(http(HONEST).postJson("/oid4vci/renew", "[", Map.of()), 400, "invalid_request");
        assertOAuthError(http(HONEST).postJson("/oid4vci/renew", "{\"presentation\":\"not.a.jws\"}", Map.of()), 400, "invalid_request");
        assertOAuthError(http(HONEST).postJson("/oid4vci/renew", "{\"presentation\":\"" + vp.apply("never-issued", issuer) + "\"}",
                Map.of()), 400, "invalid_nonce");
        assertOAuthError(http(HONEST).postJson("/oid4vci/renew", "{\"presentation\":\"" + vp.apply(nonce(HONEST),
                "https://elsewhere.example") + "\"}", Map.of()), 400, "invalid_proof");
        assertEquals(204, http("127.0.0.1").postJson("/admin/agents/" + agent + "/deactivate", "", bearer(admin)).status());
        assertOAuthError(http(HONEST).postJson("/oid4vci/renew", "{\"presentation\":\"" + vp.apply(nonce(HONEST), issuer) + "\"}",
                Map.of()), 400, "credential_request_denied");
    }
}
