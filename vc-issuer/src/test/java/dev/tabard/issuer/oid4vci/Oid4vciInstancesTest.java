package dev.tabard.issuer.oid4vci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.key.KeyDids;
import dev.tabard.issuer.IssuerConfig;
import dev.tabard.issuer.IssuerService;
import dev.tabard.issuer.Issuers;
import dev.tabard.issuer.agents.Agent;
import dev.tabard.issuer.store.SqliteIssuerStore;
import dev.tabard.vc.AgentClaims;
import dev.tabard.vc.jose.CompactJws;
import dev.tabard.vc.jose.JwsHeader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenID4VCI protocol on plain inputs, at two issuer instances on one store: what one hands out (codes, tokens,
 * nonces) the other redeems, once, and counters kept at one count at the other.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class Oid4vciInstancesTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final URI ISSUER = URI.create("https://issuer.acme.example");

    @TempDir
    Path dir;
    private SqliteIssuerStore store;
    private Oid4vci a;
    private Oid4vci b;
    private final KeyPair agentKey = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final Did agent = KeyDids.of(agentKey.publicKey());

    @BeforeEach
    void open() {
        store = SqliteIssuerStore.open(dir.resolve("issuer.db"), Clock.systemUTC(), RANDOM);
        IssuerConfig config = new IssuerConfig(dir, ISSUER, "web", "ACME", "oid4vci instances".toCharArray(), Duration.ofHours(1),
                Optional.empty(), 8443);
        IssuerService first = Issuers.open(store, config, Clock.systemUTC(), RANDOM);
        IssuerService second = Issuers.open(store, config, Clock.systemUTC(), RANDOM);
        first.agents().put(new Agent(agent, "buyer", new AgentClaims.Operator("ops", Optional.empty()), Set.of("orders:read"),
                new AgentClaims.Constraints(Optional.empty(), List.of(), "{}"), new AgentClaims.Delegation(false, 0), true,
                Instant.now(), Instant.now()), "test");
        a = new Oid4vci(first, ISSUER, Clock.systemUTC(), RANDOM);
        b = new Oid4vci(second, ISSUER, Clock.systemUTC(), RANDOM);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static String code(ObjectNode offer) {
        return offer.at("/credential_offer/grants/" + Oid4vci.PRE_AUTH_GRANT.replace("/", "~1") + "/pre-authorized_code").asText();
    }

    private static Map<String, String> form(String code, Optional<String> tx) {
        return tx.map(t -> Map.of("grant_type", Oid4vci.PRE_AUTH_GRANT, "pre-authorized_code", code, "tx_code", t))
                .orElseGet(() -> Map.of("grant_type", Oid4vci.PRE_AUTH_GRANT, "pre-authorized_code", code));
    }

    private byte[] credentialRequest(String nonce) {
        ObjectNode claims = JsonCodec.objectNode().put("aud", ISSUER.toString())
                .put("iat", Instant.now().getEpochSecond()).put("nonce", nonce);
        String proof = CompactJws.sign(agentKey, new JwsHeader(Optional.of(KeyDids.methodId(agentKey.publicKey()).toString()),
                Optional.of("openid4vci-proof+jwt"), Optional.empty()), JsonCodec.write(claims));
        return ("{\"credential_configuration_id\":\"" + Oid4vci.CONFIGURATION_ID + "\",\"proofs\":{\"jwt\":[\"" + proof + "\"]}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void offerAtOne_redeemedAtTheOther_onceOnly() {
        String code = code(a.offer(agent, false));
        OAuthResponse token = b.token(form(code, Optional.empty()));
        assertEquals(200, token.status(), token.body().toString());
        assertEquals("no-store", token.headers().get("Cache-Control"));
        assertEquals(Optional.of("invalid_grant"), a.token(form(code, Optional.empty())).error(), "the code was used at the other instance");

        String access = token.body().get("access_token").asText();
        String nonce = b.nonce("127.0.0.2");
        OAuthResponse issued = a.credential(Optional.of("Bearer " + access), credentialRequest(nonce));
        assertEquals(200, issued.status(), issued.body().toString());
        String vc = issued.body().at("/credentials/0/credential").asText();
        assertEquals(agent.toString(), CompactJws.parse(vc).payloadJson().at("/credentialSubject/id").asText());

        OAuthResponse again = b.credential(Optional.of("Bearer " + access), credentialRequest(b.nonce("127.0.0.2")));
        assertEquals(401, again.status());
        assertEquals(Optional.of("invalid_token"), again.error(), "one credential per token, whichever instance is asked");
    }

    @Test
    void nonceFromOne_usedAtTheOther_isSpent() {
        String nonce = a.nonce("127.0.0.2");
        String first = b.token(form(code(b.offer(agent, false)), Optional.empty())).body().get("access_token").asText();
        assertEquals(200, b.credential(Optional.of("Bearer " + first), credentialRequest(nonce)).status());
        String second = a.token(form(code(a.offer(agent, false)), Optional.empty())).body().get("access_token").asText();
        assertEquals(Optional.of("invalid_nonce"), a.credential(Optional.of("Bearer " + second), credentialRequest(nonce)).error());
    }

    @Test
    void wrongTxCodes_countedAcrossInstances_endTheOffer() {
        ObjectNode offer = a.offer(agent, true);
        String code = code(offer);
        String right = offer.get("tx_code").asText();
        String wrong = right.equals("000000") ? "000001" : "000000";
        for (int i = 0; i < 4; i++) {
            OAuthResponse r = (i % 2 == 0 ? a : b).token(form(code, Optional.of(wrong)));
            assertEquals(Optional.of("invalid_grant"), r.error(), r.body().toString());
        }
        assertEquals(Optional.of("invalid_grant"), b.token(form(code, Optional.of(wrong))).error());
        OAuthResponse afterFive = a.token(form(code, Optional.of(right)));
        assertEquals(Optional.of("invalid_grant"), afterFive.error(), "five wrong codes at two instances end the offer");
        assertTrue(afterFive.body().get("error_description").asText().contains("unknown, used or expired"), afterFive.body().toString());
    }

    @Test
    void txCode_isHeldOnlyAsItsDigest() {
        ObjectNode offer = a.offer(agent, true);
        String stored = store.oneUse(new dev.tabard.issuer.store.OneUseValues.Kind("offer", Oid4vci.CODE_LIFETIME,
                Oid4vci.MAX_OFFERS_PER_AGENT, Oid4vci.MAX_OFFERS)).peek(code(offer)).orElseThrow();
        String tx = offer.get("tx_code").asText();
        assertTrue(!stored.contains("\"" + tx + "\""), stored);
        assertTrue(stored.contains(Grants.sha256(tx)), stored);
        assertEquals(200, b.token(form(code(offer), Optional.of(tx))).status());
    }
}
