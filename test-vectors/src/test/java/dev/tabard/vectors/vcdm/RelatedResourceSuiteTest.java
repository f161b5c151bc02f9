package dev.tabard.vectors.vcdm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.codec.Multibase;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.key.KeyDids;
import dev.tabard.jsonld.BundledContexts;
import dev.tabard.vc.di.DataIntegrity;
import dev.tabard.vc.di.ProofOptions;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The VC Data Model 2.0 suite's §5.3 cases (w3c/vc-data-model-2.0-test-suite 6e075243, {@code tests/5-advanced-concepts.js},
 * fixtures from {@code tests/fixtures.js}), built in code as the suite builds them and posted to the issuer as it posts
 * them; each refused case is also signed here with a did:key (eddsa-rdfc-2022, as the suite signs its own documents)
 * and posted to the verifier, which must refuse it for the same reason.
 *
 * <p>The suite's positive fixture pins {@code https://www.w3.org/ns/credentials/v2} with digests of an older revision of
 * that context (and its {@code digestMultibase} is a bare SHA-256, not a multihash), so a processor that checks what
 * it holds refuses it: {@link #suitePositiveFixture_digestsOfAnOlderContextRevision_refused} keeps that on record; the
 * positive cases here pin the context as published.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RelatedResourceSuiteTest {

    private static final String V2 = BundledContexts.CREDENTIALS_V2;
    /** fixtures.js relatedResource. */
    private static final String SUITE_SRI = "sha384-NSOcNpmdIVUxIJGvGUoe22FjTWrXiaXlsZ8q6912LdnR3KraQO2n75Ica4wK4Qeg";
    private static final String SUITE_MULTIBASE = "uJKGMkOmFbVJhEfKTduMC2XCyvRAYLjOVmZWwIH1wQ7k";
    /** The "wrong digest" values of the suite's last §5.3 case. */
    private static final String SUITE_WRONG_MULTIBASE = "uM4RgWQc3RUDtjJCSgTJtTfvpZ7SPEg_LNO0ESlovQC0";
    private static final String SUITE_WRONG_SRI = "sha384-_rCVIV7fSXXTNIvpiq26jRDyj8JG8TDjij-tD0ewLk4JpnXEz6a5AeeY_1qQ0d0P";

    private static SuiteServers servers;
    private static KeyPair suiteKey;

    @BeforeAll
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    static void start() throws Exception {
        servers = new SuiteServers();
        suiteKey = KeyPair.generate(KeyType.ED25519, new SecureRandom());
    }

    @AfterAll
    static void stop() throws Exception {
        servers.close();
    }

    /** fixtures.js credential: v2 context, VerifiableCredential, a subject named Alice. */
    private static ObjectNode credential(JsonNode relatedResource) {
        ObjectNode vc = JsonCodec.objectNode();
        vc.putArray("@context").add(V2);
        vc.putArray("type").add("VerifiableCredential");
        vc.putObject("credentialSubject").put("name", "Alice");
        vc.set("relatedResource", relatedResource);
        return vc;
    }

    private static ObjectNode resource(String... members) {
        ObjectNode r = JsonCodec.objectNode();
        for (int i = 0; i < members.length; i += 2) {
            r.put(members[i], members[i + 1]);
        }
        return r;
    }

    private static ArrayNode array(JsonNode... items) {
        ArrayNode a = JsonCodec.arrayNode();
        for (JsonNode i : items) {
            a.add(i);
        }
        return a;
    }

    private static byte[] v2Digest(String algorithm) throws Exception {
        return MessageDigest.getInstance(algorithm).digest(BundledContexts.standard().bytes(V2).orElseThrow());
    }

    private static String publishedSri() throws Exception {
        return "sha384-" + Base64.getEncoder().encodeToString(v2Digest("SHA-384"));
    }

    private static String publishedMultibase() throws Exception {
        byte[] d = v2Digest("SHA-256");
        byte[] multihash = new byte[34];
        multihash[0] = 0x12;
        multihash[1] = 32;
        System.arraycopy(d, 0, multihash, 2, 32);
        return Multibase.encodeBase64Url(multihash);
    }

    /** The credential as the suite would sign it itself: issuer its did:key, an eddsa-rdfc-2022 proof. */
    private static ObjectNode signedBySuite(ObjectNode vc) {
        ObjectNode unsigned = vc.deepCopy();
        unsigned.put("issuer", KeyDids.of(suiteKey.publicKey()).toString());
        return DataIntegrity.sign(unsigned, suiteKey, ProofOptions.assertion("eddsa-rdfc-2022",
                KeyDids.methodId(suiteKey.publicKey()), Instant.now().truncatedTo(ChronoUnit.SECONDS)), BundledContexts.standard());
    }

    private static ObjectNode issued(ObjectNode vc) throws Exception {
        ObjectNode withIssuer = vc.deepCopy();
        withIssuer.put("issuer", servers.issuerId());
        HttpResponse<String> r = servers.issue(withIssuer, JsonCodec.parse("{\"cryptosuite\":\"eddsa-rdfc-2022\"}"));
        assertEquals(201, r.statusCode(), r.body());
        return (ObjectNode) SuiteServers.json(r).get("verifiableCredential");
    }

    /** Refused at issue (pointer into the request) and, signed by the suite, refused at verify: same type, same place. */
    private static void refusedBoth(ObjectNode vc, String type, String pointerInCredential) throws Exception {
        ObjectNode withIssuer = vc.deepCopy();
        withIssuer.put("issuer", servers.issuerId());
        HttpResponse<String> issue = servers.issue(withIssuer, null);
        assertEquals(400, issue.statusCode(), issue.body());
        JsonNode p = SuiteServers.json(issue);
        assertEquals(type, p.path("code").asText(), issue.body());
        assertEquals(400, p.path("status").asInt(), issue.body());
        assertEquals("/credential" + pointerInCredential, p.path("pointer").asText(), issue.body());

        HttpResponse<String> verify = servers.verify(signedBySuite(vc));
        assertEquals(400, verify.statusCode(), verify.body());
        JsonNode v = SuiteServers.json(verify);
        assertEquals(type, v.path("code").asText(), verify.body());
        assertEquals(false, v.path("verified").asBoolean(true), verify.body());
        assertTrue(v.path("pointer").asText().endsWith(pointerInCredential), verify.body());
    }

    private static void verified(ObjectNode signed) throws Exception {
        HttpResponse<String> r = servers.verify(signed);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(SuiteServers.json(r).path("verified").asBoolean(), r.body());
    }

    @Test
    void oneOrMoreObjects_digestsOfThePublishedContext_issuedAndVerified() throws Exception {
        ObjectNode[] positives = {
            credential(resource("id", V2, "digestSRI", publishedSri())),
            credential(resource("id", V2, "digestMultibase", publishedMultibase())),
            credential(array(resource("id", V2, "mediaType", "application/ld+json", "digestSRI", publishedSri()))),
        };
        for (ObjectNode vc : positives) {
            verified(issued(vc));
            verified(signedBySuite(vc));
        }
    }

    @Test
    void oneOrMoreObjects_arrayOfStrings_refused() throws Exception {
        refusedBoth(credential(array(JsonCodec.nodes().textNode(V2))), "MALFORMED_VALUE_ERROR",
                "/relatedResource/0");
    }

    @Test
    void identifierRequired_noId_refused() throws Exception {
        refusedBoth(credential(array(resource("digestMultibase", publishedMultibase()))), "MALFORMED_VALUE_ERROR",
                "/relatedResource/0/id");
    }

    @Test
    void identifierUnique_duplicateId_refused() throws Exception {
        refusedBoth(credential(array(resource("id", V2, "digestSRI", publishedSri()),
                resource("id", V2, "digestMultibase", publishedMultibase()))), "MALFORMED_VALUE_ERROR", "/relatedResource/1/id");
    }

    @Test
    void digestRequired_noDigest_refused() throws Exception {
        refusedBoth(credential(array(resource("id", V2))), "MALFORMED_VALUE_ERROR", "/relatedResource/0");
    }

    @Test
    void digestMustMatch_suiteWrongDigests_refused() throws Exception {
        // a bare 32-byte value is no multihash: refused as malformed before any comparison
        refusedBoth(credential(array(resource("id", V2, "digestMultibase", SUITE_WRONG_MULTIBASE))), "MALFORMED_VALUE_ERROR",
                "/relatedResource/0/digestMultibase");
        // base64url is allowed by SRI's base64-value; well-formed, and not the digest of the v2 context
        refusedBoth(credential(array(resource("id", V2, "digestSRI", SUITE_WRONG_SRI))), "CRYPTOGRAPHIC_SECURITY_ERROR",
                "/relatedResource/0/digestSRI");
        byte[] wrong = v2Digest("SHA-256");
        wrong[0] ^= 1;
        byte[] multihash = new byte[34];
        multihash[0] = 0x12;
        multihash[1] = 32;
        System.arraycopy(wrong, 0, multihash, 2, 32);
        refusedBoth(credential(array(resource("id", V2, "digestMultibase", Multibase.encodeBase58Btc(multihash)))),
                "CRYPTOGRAPHIC_SECURITY_ERROR", "/relatedResource/0/digestMultibase");
    }

    @Test
    void suitePositiveFixture_digestsOfAnOlderContextRevision_refused() throws Exception {
        refusedBoth(credential(resource("id", V2, "digestSRI", SUITE_SRI)), "CRYPTOGRAPHIC_SECURITY_ERROR",
                "/relatedResource/digestSRI");
        refusedBoth(credential(resource("id", V2, "digestMultibase", SUITE_MULTIBASE)), "MALFORMED_VALUE_ERROR",
                "/relatedResource/digestMultibase");
    }
}
