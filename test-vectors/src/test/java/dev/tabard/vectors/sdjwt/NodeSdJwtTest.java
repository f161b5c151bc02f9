package dev.tabard.vectors.sdjwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.VerificationKey;
import dev.tabard.did.Did;
import dev.tabard.did.DidResolvers;
import dev.tabard.did.DidUrl;
import dev.tabard.did.key.KeyDidResolver;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.sdjwt.ClaimPath;
import dev.tabard.sdjwt.status.StatusListToken;
import dev.tabard.sdjwt.status.TokenStatus;
import dev.tabard.sdjwt.vc.IssuerMetadataKeys;
import dev.tabard.sdjwt.vc.JwtVcIssuerMetadata;
import dev.tabard.sdjwt.vc.SdJwtVcVerifier;
import dev.tabard.sdjwt.vc.VerifiedSdJwtVc;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * SD-JWT VCs issued and presented by the npm {@code @sd-jwt/sd-jwt-vc} packages ({@code interop/sd-jwt.mjs issue}, the
 * committed {@code vectors/interop/node-sd-jwt.json}): Tabard verifies the valid presentations with the claims they
 * disclosed, reads their Token Status List, and refuses every tampered copy.
 */
class NodeSdJwtTest {

    private static final JsonNode VECTORS = load();
    private static final Clock AT = Clock.fixed(Instant.ofEpochSecond(VECTORS.get("now").asLong()).plusSeconds(1), ZoneOffset.UTC);
    private static final SdJwtVcVerifier VERIFIER = SdJwtVcVerifier.builder(DidResolvers.of(new KeyDidResolver())).clock(AT).build();

    /** What each tampered copy is refused as: the check that catches it. */
    static final java.util.Map<String, ProblemType> REFUSED_AS = java.util.Map.of(
            "altered disclosure", ProblemType.SD_JWT_DISCLOSURE_INVALID,      // its digest is in no _sd
            "reordered disclosures", ProblemType.KEY_BINDING_INVALID,         // sd_hash covers the order presented
            "dropped _sd digest", ProblemType.SD_JWT_DISCLOSURE_INVALID,      // an orphan disclosure, under a valid signature
            "wrong key-binding nonce", ProblemType.INVALID_CHALLENGE_ERROR,
            "key binding signed by another key", ProblemType.KEY_BINDING_INVALID);

    private static JsonNode load() {
        try (InputStream in = NodeSdJwtTest.class.getResourceAsStream("/vectors/interop/node-sd-jwt.json")) {
            return JsonCodec.parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static VerifiedSdJwtVc verify(String presentation) {
        return VERIFIER.verify(presentation, VECTORS.get("audience").asText(), VECTORS.get("nonce").asText());
    }

    @TestFactory
    List<DynamicTest> validPresentationsVerifyWithWhatTheyDisclosed() {
        List<DynamicTest> out = new ArrayList<>();
        for (JsonNode v : VECTORS.get("valid")) {
            out.add(DynamicTest.dynamicTest(v.get("name").asText(), () -> {
                VerifiedSdJwtVc vc = verify(v.get("presentation").asText());
                List<ClaimPath> expected = new ArrayList<>();
                v.get("disclosed").forEach(p -> expected.add(path(p)));
                assertEquals(expected.stream().map(ClaimPath::toString).sorted().toList(),
                        vc.disclosedPaths().stream().map(ClaimPath::toString).sorted().toList());
                assertEquals(VECTORS.get("issuer").asText(), vc.issuer());
            }));
        }
        return out;
    }

    static ClaimPath path(JsonNode segments) {
        List<Object> out = new ArrayList<>();
        segments.forEach(s -> out.add(s.isInt() ? (Object) s.intValue() : s.asText()));
        return new ClaimPath(out);
    }

    @TestFactory
    List<DynamicTest> tamperedCopiesAreRefused() {
        List<DynamicTest> out = new ArrayList<>();
        for (JsonNode v : VECTORS.get("tampered")) {
            out.add(DynamicTest.dynamicTest(v.get("name").asText(),
                    () -> assertEquals(REFUSED_AS.get(v.get("name").asText()), assertThrows(ProblemException.class,
                            () -> verify(v.get("presentation").asText())).type())));
        }
        return out;
    }

    @Test
    void httpsIssuer_keysFromItsJwtVcIssuerMetadata() {
        assertHttpsIssuerVectors(VECTORS.get("httpsIssuer"), AT, VECTORS.get("audience").asText(), VECTORS.get("nonce").asText());
        // a verifier given no metadata takes DID issuers only
        assertEquals(ProblemType.UNTRUSTED_ISSUER, assertThrows(ProblemException.class,
                () -> verify(VECTORS.at("/httpsIssuer/presentation").asText())).type());
    }

    /**
     * The presentation of an issuer named by an https URL verifies with the key of its metadata and discloses
     * {@code tier}; one signed by a key the metadata does not publish, and the metadata read as another issuer's, fail.
     */
    static void assertHttpsIssuerVectors(JsonNode vectors, Clock at, String audience, String nonce) {
        URI iss = URI.create(vectors.at("/metadata/issuer").asText());
        JwtVcIssuerMetadata metadata = JwtVcIssuerMetadata.parse(JsonCodec.write(vectors.get("metadata")), iss);
        SdJwtVcVerifier verifier = SdJwtVcVerifier.builder(DidResolvers.of(new KeyDidResolver())).clock(at)
                .issuerMetadata(IssuerMetadataKeys.of(metadata)).build();
        VerifiedSdJwtVc vc = verifier.verify(vectors.get("presentation").asText(), audience, nonce);
        assertEquals(iss.toString(), vc.issuer());
        assertEquals(List.of(ClaimPath.of("tier")), vc.disclosedPaths());
        assertEquals("gold", vc.claims().get("tier").asText());
        assertEquals(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, assertThrows(ProblemException.class,
                () -> verifier.verify(vectors.at("/forged/presentation").asText(), audience, nonce)).type());
        assertEquals(ProblemType.INVALID_CONTROLLED_IDENTIFIER_DOCUMENT_ID, assertThrows(ProblemException.class,
                () -> JwtVcIssuerMetadata.parse(JsonCodec.write(vectors.get("metadata")), URI.create(iss + "/other"))).type());
    }

    @Test
    void theStatusListTokenDecodesAndMarksTheRevokedCredential() {
        JsonNode sl = VECTORS.get("statusList");
        URI uri = URI.create(sl.get("uri").asText());
        String jwt = sl.get("jwt").asText();
        DidUrl kid = DidUrl.parse(StatusListToken.kid(jwt).orElseThrow());
        VerificationKey key = new KeyDidResolver().resolve(kid.did()).document().method(kid).orElseThrow().key();
        StatusListToken token = StatusListToken.verify(jwt, key, uri, AT, Duration.ofSeconds(60));
        sl.get("statuses").fields().forEachRemaining(e -> assertEquals(TokenStatus.valueOf(e.getValue().asText()),
                token.status(Long.parseLong(e.getKey())), "entry " + e.getKey()));
        VerifiedSdJwtVc revoked = verify(VECTORS.at("/revoked/presentation").asText());
        assertEquals(uri, revoked.status().orElseThrow().uri());
        assertEquals(TokenStatus.INVALID, token.status(revoked.status().orElseThrow().idx()));
    }
}
