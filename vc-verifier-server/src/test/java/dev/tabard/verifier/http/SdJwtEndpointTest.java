package dev.tabard.verifier.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.key.KeyDids;
import dev.tabard.sdjwt.ClaimPath;
import dev.tabard.sdjwt.KeyBinding;
import dev.tabard.sdjwt.Presentations;
import dev.tabard.sdjwt.SdJwt;
import dev.tabard.sdjwt.vc.AgentSdJwtVc;
import dev.tabard.sdjwt.vc.SdJwtVcIssuer;
import dev.tabard.vc.AgentClaims;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.Verifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** SD-JWT VC presentations (dc+sd-jwt) through the VC-API endpoint: posted as the bare string, verified with key binding. */
@Timeout(60)
class SdJwtEndpointTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String DOMAIN = "https://verifier.example";
    private final KeyPair orgKey = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final Did org = KeyDids.of(orgKey.publicKey());
    private final KeyPair agentKey = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final KeyPair wallet = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final HttpClient client = HttpClient.newHttpClient();
    private VerifierServer server;

    @BeforeEach
    void start() {
        Verifier verifier = Verifier.builder().trustPolicy(TrustPolicy.builder().trustIssuer(org).formats(TrustPolicy.Format.DC_SD_JWT)
                .requireCapabilities("quote").build()).build();
        server = VerifierServer.builder(verifier).domain(DOMAIN).port(0).clock(Clock.systemUTC()).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String presentation(String nonce) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        AgentClaims agent = new AgentClaims(KeyDids.of(agentKey.publicKey()), "Buyer", org, "Acme",
                new AgentClaims.Operator("Ops", Optional.of("ops@acme.example")), Set.of("quote"),
                new AgentClaims.Constraints(Optional.empty(), List.of(), "{}"), new AgentClaims.Delegation(false, 0));
        SdJwt issued = SdJwtVcIssuer.builder(orgKey).kid(KeyDids.methodId(orgKey.publicKey()).toString()).issuer(org.toString())
                .vct(AgentSdJwtVc.VCT).claims(AgentSdJwtVc.claims(agent)).disclosable(AgentSdJwtVc.PRIVATE_BY_DEFAULT)
                .holderKey(wallet.publicKey()).issuedAt(now.minusSeconds(5)).expiresAt(now.plus(Duration.ofHours(1))).issue();
        return KeyBinding.sign(wallet, Presentations.select(issued, List.<ClaimPath>of()), DOMAIN, nonce, now).serialize();
    }

    private JsonNode post(String presentation, String challenge) throws Exception {
        String body = "{\"verifiablePresentation\":" + JsonCodec.writeString(presentation) + ",\"options\":{\"challenge\":\"" + challenge
                + "\",\"domain\":\"" + DOMAIN + "\"}}";
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/presentations/verify"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode json = JsonCodec.parse(r.body());
        assertEquals(r.statusCode(), json.path("status").asInt(r.statusCode()), r.body());
        return json;
    }

    @Test
    void anSdJwtVcPresentationVerifies_withoutThePrivateContact() throws Exception {
        JsonNode result = post(presentation("nonce-1"), "nonce-1");
        assertTrue(result.path("verified").asBoolean(), result.toString());
        assertEquals("Buyer", result.path("agent").path("name").asText(), result.toString());
        assertFalse(result.toString().contains("ops@acme.example"), "the withheld contact is not in the result: " + result);
    }

    @Test
    void anotherNonceIsRefused_andAStringThatIsNeitherFormIsAParsingError() throws Exception {
        JsonNode wrong = post(presentation("nonce-2"), "nonce-3");
        assertFalse(wrong.path("verified").asBoolean(true), wrong.toString());
        assertTrue(wrong.toString().contains("INVALID_CHALLENGE_ERROR"), wrong.toString());
        JsonNode garbage = post("abc~def~", "nonce-4");
        assertTrue(garbage.path("type").asText().endsWith("PARSING_ERROR"), garbage.toString());
    }
}
