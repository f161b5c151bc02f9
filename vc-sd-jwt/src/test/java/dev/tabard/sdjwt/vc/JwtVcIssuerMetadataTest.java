package dev.tabard.sdjwt.vc;

import static dev.tabard.sdjwt.vc.SdJwtVcVerifierTest.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.problem.ProblemType;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JwtVcIssuerMetadataTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final URI ISSUER = URI.create("https://issuer.example/tenants/acme");
    private final KeyPair ed = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final KeyPair p256 = KeyPair.generate(KeyType.P256, RANDOM);

    static ObjectNode jwk(KeyPair key, String kid) {
        ObjectNode jwk = JsonCodec.tree(key.publicKey().toJwk());
        return kid == null ? jwk : jwk.put("kid", kid);
    }

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private String jwks(ObjectNode... keys) {
        return "{\"keys\":" + JsonCodec.writeString(JsonCodec.arrayNode().addAll(java.util.List.of(keys))) + "}";
    }

    @Test
    void location_insertsTheWellKnownSegmentBetweenHostAndPath() {
        assertEquals(URI.create("https://issuer.example/.well-known/jwt-vc-issuer/tenants/acme"), JwtVcIssuerMetadata.location(ISSUER));
        assertEquals(URI.create("https://issuer.example/.well-known/jwt-vc-issuer"),
                JwtVcIssuerMetadata.location(URI.create("https://issuer.example")));
        assertEquals(URI.create("https://issuer.example/.well-known/jwt-vc-issuer"),
                JwtVcIssuerMetadata.location(URI.create("https://issuer.example/")));
        assertEquals(URI.create("https://127.0.0.1:8443/.well-known/jwt-vc-issuer/a"),
                JwtVcIssuerMetadata.location(URI.create("https://127.0.0.1:8443/a/")));
    }

    @Test
    void issuerUrl_onlyHttpsWithoutQueryFragmentOrUserInfo() {
        assertEquals(ISSUER, JwtVcIssuerMetadata.issuerUrl(ISSUER.toString()));
        for (String bad : new String[] {"http://issuer.example", "https://issuer.example?x=1", "https://issuer.example#k",
                "https://user@issuer.example", "issuer.example", "urn:x:y", "https:///nohost", "https://a b"}) {
            assertProblem(ProblemType.UNTRUSTED_ISSUER, () -> JwtVcIssuerMetadata.issuerUrl(bad));
        }
    }

    @Test
    void parse_inlineKeys_selectedByKid() {
        JwtVcIssuerMetadata m = JwtVcIssuerMetadata.parse(json("{\"issuer\":\"" + ISSUER + "\",\"jwks\":"
                + jwks(jwk(ed, "k1"), jwk(p256, "k2")) + "}"), ISSUER);
        IssuerJwks keys = m.jwks().orElseThrow();
        assertEquals(ed.publicKey(), keys.select(Optional.of("k1")));
        assertEquals(p256.publicKey(), keys.select(Optional.of("k2")));
        assertProblem(ProblemType.INVALID_VERIFICATION_METHOD_URL, () -> keys.select(Optional.of("k3")));
        assertProblem(ProblemType.INVALID_VERIFICATION_METHOD_URL, () -> keys.select(Optional.empty()));
    }

    @Test
    void parse_aSingleKeyAnswersAJwtWithoutKid_twoKeysWithOneKidAreAmbiguous() {
        IssuerJwks one = IssuerJwks.parse(JsonCodec.parse(jwks(jwk(ed, null))));
        assertEquals(ed.publicKey(), one.select(Optional.empty()));
        IssuerJwks twice = IssuerJwks.parse(JsonCodec.parse(jwks(jwk(ed, "k"), jwk(p256, "k"))));
        assertProblem(ProblemType.INVALID_VERIFICATION_METHOD_URL, () -> twice.select(Optional.of("k")));
    }

    @Test
    void parse_skipsKeysItCannotVerifyWith_refusesPrivateMembers() {
        ObjectNode rsa = JsonCodec.objectNode().put("kty", "RSA").put("n", "AQAB").put("e", "AQAB").put("kid", "r");
        ObjectNode enc = jwk(p256, "e").put("use", "enc");
        IssuerJwks keys = IssuerJwks.parse(JsonCodec.parse(jwks(rsa, enc, jwk(ed, "s"))));
        assertEquals(1, keys.keys().size());
        assertEquals(ed.publicKey(), keys.select(Optional.empty()));
        ObjectNode leaked = jwk(ed, "s").put("d", "AAAA");
        assertProblem(ProblemType.INVALID_VERIFICATION_METHOD, () -> IssuerJwks.parse(JsonCodec.parse(jwks(leaked))));
        StringBuilder many = new StringBuilder("{\"keys\":[");
        for (int i = 0; i <= IssuerJwks.MAX_KEYS; i++) {
            many.append(i == 0 ? "" : ",").append(JsonCodec.writeString(jwk(ed, "k" + i)));
        }
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> IssuerJwks.parse(JsonCodec.parse(many + "]}")));
    }

    @Test
    void parse_linkedKeys() {
        JwtVcIssuerMetadata m = JwtVcIssuerMetadata.parse(json("{\"issuer\":\"" + ISSUER
                + "\",\"jwks_uri\":\"https://keys.example/jwks.json\"}"), ISSUER);
        assertEquals(Optional.of(URI.create("https://keys.example/jwks.json")), m.jwksUri());
        assertTrue(m.jwks().isEmpty());
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> JwtVcIssuerMetadata.parse(json("{\"issuer\":\"" + ISSUER
                + "\",\"jwks_uri\":\"http://keys.example/jwks.json\"}"), ISSUER));
    }

    @Test
    void parse_refusesAnotherIssuersDocumentAndAmbiguousOrMissingKeys() {
        String keys = jwks(jwk(ed, "k1"));
        assertProblem(ProblemType.INVALID_CONTROLLED_IDENTIFIER_DOCUMENT_ID, () -> JwtVcIssuerMetadata.parse(
                json("{\"issuer\":\"https://issuer.example/tenants/other\",\"jwks\":" + keys + "}"), ISSUER));
        assertProblem(ProblemType.INVALID_CONTROLLED_IDENTIFIER_DOCUMENT_ID, () -> JwtVcIssuerMetadata.parse(
                json("{\"issuer\":\"" + ISSUER + "/\",\"jwks\":" + keys + "}"), ISSUER));
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> JwtVcIssuerMetadata.parse(
                json("{\"issuer\":\"" + ISSUER + "\",\"jwks\":" + keys + ",\"jwks_uri\":\"https://k.example/\"}"), ISSUER));
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> JwtVcIssuerMetadata.parse(json("{\"issuer\":\"" + ISSUER + "\"}"), ISSUER));
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> JwtVcIssuerMetadata.parse(json("{\"jwks\":" + keys + "}"), ISSUER));
        assertProblem(ProblemType.PARSING_ERROR, () -> JwtVcIssuerMetadata.parse(json("[]"), ISSUER));
    }
}
