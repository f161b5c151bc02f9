package dev.tabard.issuer.oid4vci;

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
import dev.tabard.issuer.AdminTokens;
import dev.tabard.issuer.IssuerConfig;
import dev.tabard.issuer.http.IssuerServer;
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
import java.util.function.Consumer;

/**
 * The issuer OpenID4VCI tests run against, and the wallet's side of the flow done by hand: a real issuer (did:key, plain
 * HTTP on 127.0.0.1, a real SQLite store) on port 0, so that its identifier, the proofs' {@code aud}, follows the port
 * bound; one registered agent whose Ed25519 key signs the key proofs; requests from any source address in 127/8.
 */
final class Oid4vciIssuer implements AutoCloseable {

    final SecureRandom random = new SecureRandom();
    final String admin = AdminTokens.generate(random);
    final KeyPair agentKey = KeyPair.generate(KeyType.ED25519, random);
    final Did agent = KeyDids.of(agentKey.publicKey());
    final DidUrl kid = KeyDids.methodId(agentKey.publicKey());
    final IssuerServer server;
    /** The issuer identifier: {@code credential_issuer}, and the {@code aud} of key proofs. */
    final String issuer;
    private final Clock clock;

    /**
     * Starts the issuer in {@code dir} on {@code clock} and registers the agent.
     *
     * @param registration the JSON members of the agent's registration after its {@code did} and {@code name}
     */
    Oid4vciIssuer(Path dir, Clock clock, String registration) throws Exception {
        this.clock = clock;
        server = IssuerServer.start(new IssuerConfig(dir, URI.create("http://localhost:0"), "key", "ACME", "oid4vci test".toCharArray(),
                Duration.ofHours(1), Optional.of(admin), 0), Optional.empty(), clock);
        issuer = server.publicUrl().toString();
        RawHttp.Response r = http().postJson("/admin/agents", "{\"did\":\"" + agent + "\",\"name\":\"buyer\"," + registration + "}",
                bearer(admin));
        assertEquals(201, r.status(), r.body());
    }

    RawHttp http() throws Exception {
        return http("127.0.0.1");
    }

    RawHttp http(String source) throws Exception {
        return new RawHttp(source, server.port());
    }

    static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    /** An admin offer for the agent; {@code query} (such as {@code ?tx_code=true}) is appended to the route. */
    JsonNode offer(String query) throws Exception {
        RawHttp.Response offer = http().postJson("/admin/agents/" + agent + "/offer" + query, "", bearer(admin));
        assertEquals(201, offer.status(), offer.body());
        return offer.json();
    }

    static String code(JsonNode offer) {
        return offer.at("/credential_offer/grants/" + Oid4vci.PRE_AUTH_GRANT.replace("/", "~1") + "/pre-authorized_code").asText();
    }

    /** The token request form that redeems {@code code}. */
    static String preAuth(String code) {
        return "grant_type=" + URLEncoder.encode(Oid4vci.PRE_AUTH_GRANT, StandardCharsets.UTF_8) + "&pre-authorized_code=" + code;
    }

    /** The access token {@code code} is redeemed for, from {@code source}. */
    String accessToken(String source, String code) throws Exception {
        RawHttp.Response token = http(source).post("/oid4vci/token", "application/x-www-form-urlencoded", preAuth(code), Map.of());
        assertEquals(200, token.status(), token.body());
        return token.json().get("access_token").asText();
    }

    String nonce(String source) throws Exception {
        RawHttp.Response r = http(source).postJson("/oid4vci/nonce", "", Map.of());
        assertEquals(200, r.status(), r.body());
        return r.json().get("c_nonce").asText();
    }

    /** A key proof for this issuer signed by {@code signer} under {@code kidOf}, with claims {@code edit} may change. */
    String proof(KeyPair signer, DidUrl kidOf, String nonce, Consumer<ObjectNode> edit) {
        ObjectNode claims = JsonCodec.objectNode();
        claims.put("aud", issuer).put("iat", clock.instant().getEpochSecond()).put("nonce", nonce);
        edit.accept(claims);
        return CompactJws.sign(signer, new JwsHeader(Optional.of(kidOf.toString()), Optional.of("openid4vci-proof+jwt"), Optional.empty()),
                JsonCodec.write(claims));
    }

    /** A key proof by the agent's key for {@code nonce}. */
    String proof(String nonce) {
        return proof(agentKey, kid, nonce, c -> { });
    }

    /** A credential request from {@code source} for {@code configuration}, with {@code proof}. */
    RawHttp.Response credential(String source, String token, String configuration, String proof) throws Exception {
        return http(source).postJson("/oid4vci/credential", "{\"credential_configuration_id\":\"" + configuration
                + "\",\"proofs\":{\"jwt\":[\"" + proof + "\"]}}", bearer(token));
    }

    /** A credential request for {@code configuration} with a fresh nonce and the agent's proof. */
    RawHttp.Response credential(String token, String configuration) throws Exception {
        return credential("127.0.0.1", token, configuration, proof(nonce("127.0.0.1")));
    }

    /** An OAuth error response with {@code status} and {@code error}, and a description that says something. */
    static void assertOAuthError(RawHttp.Response r, int status, String error) {
        assertEquals(status, r.status(), r.body());
        assertEquals(error, r.json().path("error").asText(), r.body());
        assertTrue(r.json().path("error_description").asText().length() > 10, r.body());
    }

    @Override
    public void close() {
        server.close();
    }
}
