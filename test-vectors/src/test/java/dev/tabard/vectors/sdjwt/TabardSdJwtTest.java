package dev.tabard.vectors.sdjwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.did.DidResolvers;
import dev.tabard.did.key.KeyDidResolver;
import dev.tabard.problem.ProblemException;
import dev.tabard.sdjwt.ClaimPath;
import dev.tabard.sdjwt.vc.SdJwtVcVerifier;
import dev.tabard.sdjwt.vc.VerifiedSdJwtVc;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * The committed {@code tabard-sd-jwt.json} (which {@code interop/sd-jwt.mjs verify} checks with the npm packages) is what
 * {@link TabardSdJwt} makes today, and Tabard itself accepts its valid presentations and refuses its tampered ones as
 * it refuses the npm-made copies.
 */
class TabardSdJwtTest {

    @Test
    void theCommittedVectorsRegenerateIdenticallyAndTabardAgreesWithThem() throws Exception {
        ObjectNode fresh = TabardSdJwt.vectors();
        try (InputStream in = TabardSdJwtTest.class.getResourceAsStream("/vectors/interop/tabard-sd-jwt.json")) {
            // compared as parsed text: a long written by the generator reads back as an int
            assertEquals(JsonCodec.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)), JsonCodec.parse(fresh.toString()),
                    "regenerate with: mvn -Pinterop … (the tabard-sd-jwt execution)");
        }
        SdJwtVcVerifier verifier = SdJwtVcVerifier.builder(DidResolvers.of(new KeyDidResolver()))
                .clock(Clock.fixed(TabardSdJwt.NOW.plusSeconds(1), ZoneOffset.UTC)).build();
        for (JsonNode v : fresh.get("valid")) {
            VerifiedSdJwtVc vc = verifier.verify(v.get("presentation").asText(), TabardSdJwt.AUDIENCE, TabardSdJwt.NONCE);
            assertEquals(v.get("disclosed").size(), vc.disclosedPaths().size(), v.get("name").asText());
            for (JsonNode p : v.get("disclosed")) {
                ClaimPath path = NodeSdJwtTest.path(p);
                assertEquals(true, vc.disclosedPaths().contains(path), path.toString());
            }
        }
        for (JsonNode v : fresh.get("tampered")) {
            ProblemException e = assertThrows(ProblemException.class,
                    () -> verifier.verify(v.get("presentation").asText(), TabardSdJwt.AUDIENCE, TabardSdJwt.NONCE));
            assertEquals(NodeSdJwtTest.REFUSED_AS.get(v.get("name").asText()), e.type(), v.get("name").asText());
        }
        NodeSdJwtTest.assertHttpsIssuerVectors(fresh.get("httpsIssuer"), Clock.fixed(TabardSdJwt.NOW.plusSeconds(1), ZoneOffset.UTC),
                TabardSdJwt.AUDIENCE, TabardSdJwt.NONCE);
    }
}
