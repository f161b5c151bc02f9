package dev.tabard.vc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.codec.Multibase;
import dev.tabard.jsonld.BundledContexts;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.security.MessageDigest;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** VC DM 2.0 §5.3 relatedResource, through {@link Credential#of}: the checks the issuer and the verifier both run. */
class RelatedResourcesTest {

    static final String V2 = BundledContexts.CREDENTIALS_V2;
    /** The VC DM 2.0 test suite's fixture digests; they hash a revision of the v2 context older than the one published. */
    static final String SUITE_SRI = "sha384-NSOcNpmdIVUxIJGvGUoe22FjTWrXiaXlsZ8q6912LdnR3KraQO2n75Ica4wK4Qeg";
    static final String SUITE_MULTIBASE = "uJKGMkOmFbVJhEfKTduMC2XCyvRAYLjOVmZWwIH1wQ7k";

    static byte[] digest(String algorithm, byte[] data) throws Exception {
        return MessageDigest.getInstance(algorithm).digest(data);
    }

    static byte[] v2() {
        return BundledContexts.standard().bytes(V2).orElseThrow();
    }

    static String sri384(byte[] data) throws Exception {
        return "sha384-" + Base64.getEncoder().encodeToString(digest("SHA-384", data));
    }

    static byte[] multihash(int code, byte[] digest) {
        byte[] out = new byte[digest.length + 2];
        out[0] = (byte) code;
        out[1] = (byte) digest.length;
        System.arraycopy(digest, 0, out, 2, digest.length);
        return out;
    }

    static ObjectNode credential(JsonNode related) {
        ObjectNode vc = (ObjectNode) JsonCodec.parseObject(("{\"@context\":[\"" + V2 + "\"],\"type\":[\"VerifiableCredential\"],"
                + "\"issuer\":\"did:example:issuer\",\"credentialSubject\":{\"name\":\"Alice\"}}").getBytes());
        vc.set("relatedResource", related);
        return vc;
    }

    static ObjectNode resource(String id, String name, String digest) {
        ObjectNode r = JsonCodec.objectNode();
        if (id != null) {
            r.put("id", id);
        }
        if (name != null) {
            r.put(name, digest);
        }
        return r;
    }

    static ProblemException refused(JsonNode related, ProblemType type, String pointer) {
        ProblemException e = assertThrows(ProblemException.class, () -> Credential.of(credential(related)));
        assertEquals(type, e.type(), e.getMessage());
        assertEquals(pointer, e.problem().pointer().orElseThrow(), e.getMessage());
        return e;
    }

    @Test
    void of_digestsOfTheBundledContext_accepted() throws Exception {
        Credential.of(credential(resource(V2, "digestSRI", sri384(v2()))));
        Credential.of(credential(resource(V2, "digestMultibase", Multibase.encodeBase64Url(multihash(0x12, digest("SHA-256", v2()))))));
        Credential.of(credential(resource(V2, "digestMultibase", Multibase.encodeBase58Btc(multihash(0x15, digest("SHA3-384", v2()))))));
        ObjectNode both = resource(V2, "digestSRI", "sha256-" + Base64.getEncoder().encodeToString(digest("SHA-256", v2())));
        both.put("digestMultibase", Multibase.encodeBase64Url(multihash(0x13, digest("SHA-512", v2()))));
        both.put("mediaType", "application/ld+json");
        Credential.of(credential(JsonCodec.arrayNode().add(both)));
    }

    @Test
    void of_resourceNotHeld_wellFormedDigestAccepted() throws Exception {
        byte[] image = "an image the verifier fetches itself".getBytes();
        ArrayNode two = JsonCodec.arrayNode()
                .add(resource("https://example.com/logo.png", "digestSRI", sri384(image)))
                .add(resource("https://example.com/logo2.png", "digestMultibase",
                        Multibase.encodeBase64Url(multihash(0x12, digest("SHA-256", image)))));
        Credential.of(credential(two));
    }

    @Test
    void of_arrayOfStrings_malformedAtEntry() {
        refused(JsonCodec.arrayNode().add(V2), ProblemType.MALFORMED_VALUE_ERROR, "/relatedResource/0");
    }

    @Test
    void of_emptyArray_malformed() {
        refused(JsonCodec.arrayNode(), ProblemType.MALFORMED_VALUE_ERROR, "/relatedResource");
    }

    @Test
    void of_missingId_malformedAtId() {
        refused(JsonCodec.arrayNode().add(resource(null, "digestMultibase", SUITE_MULTIBASE)),
                ProblemType.MALFORMED_VALUE_ERROR, "/relatedResource/0/id");
    }

    @Test
    void of_relativeId_malformedAtId() throws Exception {
        refused(resource("logo.png", "digestSRI", sri384(v2())), ProblemType.MALFORMED_VALUE_ERROR, "/relatedResource/id");
    }

    @Test
    void of_duplicateId_malformedAtSecondId() throws Exception {
        ArrayNode twice = JsonCodec.arrayNode()
                .add(resource(V2, "digestSRI", sri384(v2())))
                .add(resource(V2, "digestMultibase", Multibase.encodeBase64Url(multihash(0x12, digest("SHA-256", v2())))));
        refused(twice, ProblemType.MALFORMED_VALUE_ERROR, "/relatedResource/1/id");
    }

    @Test
    void of_noDigest_malformedAtEntry() {
        refused(JsonCodec.arrayNode().add(resource(V2, null, null)), ProblemType.MALFORMED_VALUE_ERROR,
                "/relatedResource/0");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "unknown algorithm, sha1-2jmj7l5rSw0yVb/vlWAYkK/YBwk=",
        "no algorithm, NSOcNpmdIVUxIJGvGUoe22FjTWrXiaXlsZ8q6912LdnR3KraQO2n75Ica4wK4Qeg",
        "sha256 length of a sha384 name, sha384-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
        "not base64, sha256-!!!!",
        "uppercase algorithm, SHA384-NSOcNpmdIVUxIJGvGUoe22FjTWrXiaXlsZ8q6912LdnR3KraQO2n75Ica4wK4Qeg",
    })
    void of_malformedDigestSri_malformed(String name, String value) {
        refused(resource("https://example.com/x", "digestSRI", value), ProblemType.MALFORMED_VALUE_ERROR,
                "/relatedResource/digestSRI");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "bare digest without a multihash header (the suite's fixture), uJKGMkOmFbVJhEfKTduMC2XCyvRAYLjOVmZWwIH1wQ7k",
        "unknown multibase header, mEiBZlVztZpfWHgPyslVv6",
        "multihash of sha2-256 with a short digest, uEiBZlVztZpfWHgPyslVv6-UwirFoQoRvW1htfx963skn",
        "multihash length byte wrong, uEiFZlVztZpfWHgPyslVv6-UwirFoQoRvW1htfx963sknNA",
        "empty, u",
    })
    void of_malformedDigestMultibase_malformed(String name, String value) {
        refused(resource("https://example.com/x", "digestMultibase", value), ProblemType.MALFORMED_VALUE_ERROR,
                "/relatedResource/digestMultibase");
    }

    @Test
    void of_digestOfOtherBytesForABundledContext_cryptographicSecurityError() throws Exception {
        // the suite's fixture hashes an older revision of the v2 context: well-formed, but not the context we process
        refused(resource(V2, "digestSRI", SUITE_SRI), ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, "/relatedResource/digestSRI");
        byte[] other = v2().clone();
        other[other.length - 2] ^= 1;
        refused(resource(V2, "digestMultibase", Multibase.encodeBase64Url(multihash(0x12, digest("SHA-256", other)))),
                ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, "/relatedResource/digestMultibase");
    }

    @Test
    void of_moreResourcesThanTheLimit_malformed() throws Exception {
        ArrayNode many = JsonCodec.arrayNode();
        for (int i = 0; i <= RelatedResources.MAX_RESOURCES; i++) {
            many.add(resource("https://example.com/" + i, "digestSRI", sri384(new byte[] {(byte) i})));
        }
        refused(many, ProblemType.MALFORMED_VALUE_ERROR, "/relatedResource");
    }

    @Test
    void bytes_returnsACopyOfTheShippedContext() {
        byte[] a = BundledContexts.standard().bytes(V2).orElseThrow();
        a[0] = 0;
        assertNotSame(a, BundledContexts.standard().bytes(V2).orElseThrow());
        assertEquals('{', BundledContexts.standard().bytes(V2).orElseThrow()[0]);
        assertEquals(java.util.Optional.empty(), BundledContexts.standard().bytes("https://example.com/not-held"));
    }
}
