package dev.tabard.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.key.KeyDids;
import dev.tabard.jsonld.BundledContexts;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.di.DataIntegrity;
import dev.tabard.vc.di.ProofOptions;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link VerifierBuilder#acceptInlineContextsAndExamplesContextForConformance()}: what the W3C suites send verifies only
 * when asked for by name, and a proof by a key that is not the issuer's stays a forgery in that mode too.
 */
class ConformanceModeTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    private final KeyPair orgKey = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final Did org = KeyDids.of(orgKey.publicKey());
    private final KeyPair forgerKey = KeyPair.generate(KeyType.ED25519, RANDOM);

    /** A credential as the VC DM 2.0 suite writes one: the examples context and an inline context object. */
    private ObjectNode suiteCredential() {
        return (ObjectNode) JsonCodec.parse(("""
                {"@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2",
                              {"alumniOf": "https://example.org/vocab#alumniOf"}],
                 "type": ["VerifiableCredential", "ExampleAlumniCredential"],
                 "issuer": "%s",
                 "validFrom": "%s",
                 "credentialSubject": {"id": "did:example:ebfeb1f712ebc6f1c276e12ec21", "alumniOf": "Example University"}}
                """).formatted(org, now.minusSeconds(60)));
    }

    private static BundledContexts suiteContexts() {
        return BundledContexts.standard().withW3cExamplesContextForConformanceRuns().allowingInlineContexts();
    }

    private String signedBy(KeyPair key) throws IOException {
        return DataIntegrity.sign(suiteCredential(), key, ProofOptions.assertion("eddsa-rdfc-2022", KeyDids.methodId(key.publicKey()), now),
                suiteContexts()).toString();
    }

    private VerifierBuilder verifier() {
        return Verifier.builder().trustPolicy(TrustPolicy.builder().trustAnyIssuer().build()).clock(clock);
    }

    @Test
    void verifyCredential_suiteContextsInConformanceMode_verifies() throws IOException {
        VerificationResult r = verifier().acceptInlineContextsAndExamplesContextForConformance().build().verifyCredential(signedBy(orgKey));
        assertTrue(r.verified(), r.errors().toString());
    }

    @Test
    void verifyCredential_suiteContextsByDefault_refused() throws IOException {
        VerificationResult r = verifier().build().verifyCredential(signedBy(orgKey));
        assertFalse(r.verified());
        assertEquals(ProblemType.PROOF_TRANSFORMATION_ERROR, r.errors().get(0).type(), r.errors().toString());
    }

    @Test
    void verifyCredential_proofByAKeyNotTheIssuersInConformanceMode_refusedAsForgery() throws IOException {
        VerificationResult r = verifier().acceptInlineContextsAndExamplesContextForConformance().build().verifyCredential(signedBy(forgerKey));
        assertFalse(r.verified());
        assertEquals(ProblemType.INVALID_VERIFICATION_METHOD, r.errors().get(0).type(), r.errors().toString());
        assertTrue(r.errors().get(0).detail().contains("is not the issuer's"), r.errors().get(0).detail());
    }

    @Test
    void verifyCredential_suiteContextsAndForgedProofByDefault_refused() throws IOException {
        assertFalse(verifier().build().verifyCredential(signedBy(forgerKey)).verified());
    }
}
