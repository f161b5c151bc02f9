package dev.tabard.vectors.vcdm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Relationship;
import dev.tabard.did.key.KeyDids;
import dev.tabard.jsonld.BundledContexts;
import dev.tabard.vc.di.DataIntegrity;
import dev.tabard.vc.di.ProofOptions;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The VC Data Model 2.0 suite's presentation negatives (w3c/vc-data-model-2.0-test-suite 6e075243: {@code 4.03-contexts.js},
 * {@code 4.05-types.js}), built in code as the suite builds them: {@code createLocalVp} signs {@code presentation-ok.json}
 * (eddsa-rdfc-2022, authentication, the caller's challenge and domain, no expiry) and the test then breaks the document.
 *
 * <p>Run as the README says, the suite addresses its presentations to its own domain, so every one of these cases is
 * refused with {@code INVALID_DOMAIN_ERROR} before the data model is read: they pass there without being tested. Here
 * each presentation is addressed to the verifier's domain, with a challenge of the caller's, so the refusal asserted is
 * the one the suite case is about. The positive case checks the same path verifies a sound presentation.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PresentationSuiteTest {

    private static final String V2 = BundledContexts.CREDENTIALS_V2;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static SuiteServers servers;
    private static KeyPair holder;

    @BeforeAll
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    static void start() throws Exception {
        servers = new SuiteServers();
        holder = KeyPair.generate(KeyType.ED25519, RANDOM);
    }

    @AfterAll
    static void stop() throws Exception {
        servers.close();
    }

    /** A caller's own challenge, fresh per presentation as the replay guard requires. */
    private static String challenge() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return "u" + HexFormat.of().formatHex(b);
    }

    /** presentation-ok.json: the v2 context and VerifiablePresentation. */
    private static ObjectNode presentationOk() {
        ObjectNode vp = JsonCodec.objectNode();
        vp.putArray("@context").add(V2);
        vp.putArray("type").add("VerifiablePresentation");
        return vp;
    }

    /** createLocalVp: the holder's eddsa-rdfc-2022 authentication proof with challenge and domain, no expiry. */
    private static ObjectNode signed(ObjectNode vp, String challenge) {
        return DataIntegrity.sign(vp, holder, new ProofOptions("eddsa-rdfc-2022", KeyDids.methodId(holder.publicKey()),
                Relationship.AUTHENTICATION, Instant.now().truncatedTo(ChronoUnit.SECONDS), Optional.empty(),
                Optional.of(challenge), Optional.of(SuiteServers.VERIFIER_DOMAIN)), BundledContexts.standard());
    }

    private static void refused(ObjectNode vp, String challenge, String code, String pointer) throws Exception {
        HttpResponse<String> r = servers.verifyVp(vp, challenge, SuiteServers.VERIFIER_DOMAIN);
        assertEquals(400, r.statusCode(), r.body());
        JsonNode p = SuiteServers.json(r);
        assertEquals(code, p.path("code").asText(), r.body());
        assertEquals(400, p.path("status").asInt(), r.body());
        assertEquals(pointer, p.path("pointer").asText(), r.body());
        assertEquals(false, p.path("verified").asBoolean(true), r.body());
    }

    @Test
    void presentationOk_callersChallengeAndVerifiersDomain_verified() throws Exception {
        String challenge = challenge();
        HttpResponse<String> r = servers.verifyVp(signed(presentationOk(), challenge), challenge, SuiteServers.VERIFIER_DOMAIN);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(SuiteServers.json(r).path("verified").asBoolean(), r.body());
    }

    @Test
    void contextRequired_deletedAfterSigning_malformed() throws Exception {
        String challenge = challenge();
        ObjectNode vp = signed(presentationOk(), challenge);
        vp.remove("@context");
        refused(vp, challenge, "MALFORMED_VALUE_ERROR", "/@context");
    }

    @Test
    void contextOrder_inlineObjectBeforeBase_malformed() throws Exception {
        // presentation-context-order-fail.json, signed by the suite with safe mode off
        String challenge = challenge();
        ObjectNode vp = signed(presentationOk(), challenge);
        ArrayNode ctx = vp.putArray("@context");
        ctx.addObject().put("CredentialManagerPresentation", "https://example.org/examples#CredentialManagerPresentation");
        ctx.add(V2);
        refused(vp, challenge, "MALFORMED_VALUE_ERROR", "/@context/0");
    }

    @Test
    void contextOrder_examplesBeforeBase_malformed() throws Exception {
        String challenge = challenge();
        ObjectNode vp = signed(presentationOk(), challenge);
        vp.putArray("@context").add(BundledContexts.W3C_EXAMPLES_V2).add(V2);
        refused(vp, challenge, "MALFORMED_VALUE_ERROR", "/@context/0");
    }

    @Test
    void contextOrder_baseContextMissing_malformed() throws Exception {
        // presentation-missing-base-context-fail.json, posted unsigned
        ObjectNode vp = presentationOk();
        vp.putArray("@context").add(BundledContexts.W3C_EXAMPLES_V2);
        refused(vp, challenge(), "MALFORMED_VALUE_ERROR", "/@context/0");
    }

    @Test
    void contextEntries_notAUrlOrANumber_malformed() throws Exception {
        String challenge = challenge();
        ObjectNode vp = signed(presentationOk(), challenge);
        ((ArrayNode) vp.get("@context")).add("https ://not-a-url/contexts/example/v1");
        refused(vp, challenge, "MALFORMED_VALUE_ERROR", "/@context/1");
        ((ArrayNode) vp.get("@context")).set(1, JsonCodec.nodes().numberNode(123192875));
        refused(vp, challenge, "MALFORMED_VALUE_ERROR", "/@context/1");
    }

    @Test
    void typeRequired_noType_malformed() throws Exception {
        // presentation-no-type-fail.json, posted unsigned
        ObjectNode vp = presentationOk();
        vp.remove("type");
        refused(vp, challenge(), "MALFORMED_VALUE_ERROR", "/type");
    }
}
