package dev.tabard.vectors.vcdm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
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
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.VerificationResult;
import dev.tabard.verifier.Verifier;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/**
 * The vc-di-eddsa-test-suite's proof-chain cases (data-integrity-test-suite-assertion, "proof.previousProof"), built in
 * code as its fixtures are: an alumni credential whose local context is written as a context document, a first proof by
 * a third party with an id, and the issuer's proof chained after it. In the verifier's conformance mode the chain
 * verifies as a string and as an array; each negative fails on the chain itself.
 */
class ProofChainSuiteTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final BundledContexts SUITE_CONTEXTS = BundledContexts.standard().allowingInlineContexts();
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final KeyPair issuerKey = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final KeyPair witnessKey = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final Did issuer = KeyDids.of(issuerKey.publicKey());

    private ObjectNode alumniCredential() {
        return (ObjectNode) JsonCodec.parse(("""
                {"@context": ["https://www.w3.org/ns/credentials/v2",
                   {"@context": {"AlumniCredential": "https://www.example.org/AlumniCredential",
                                 "alumniOf": "https://www.example.org/alumniOf"}}],
                 "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
                 "type": ["VerifiableCredential", "AlumniCredential"],
                 "name": "Alumni Credential", "description": "A minimum viable example of a VC 2.0 Alumni Credential.",
                 "issuer": "%s", "validFrom": "2023-01-01T00:00:00Z",
                 "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"}}
                """).formatted(issuer));
    }

    /** The witness's proof with an id, then the issuer's chained after it. */
    private ObjectNode chained(String first) {
        ObjectNode witnessed = DataIntegrity.sign(alumniCredential(), witnessKey, ProofOptions.assertion("eddsa-rdfc-2022",
                KeyDids.methodId(witnessKey.publicKey()), now).withId(first), SUITE_CONTEXTS);
        return DataIntegrity.sign(witnessed, issuerKey, ProofOptions.assertion("eddsa-rdfc-2022", KeyDids.methodId(issuerKey.publicKey()),
                now).chainedAfter(first), SUITE_CONTEXTS);
    }

    private static Verifier conformanceVerifier() {
        return Verifier.builder().trustPolicy(TrustPolicy.builder().trustAnyIssuer().build())
                .acceptInlineContextsAndExamplesContextForConformance().build();
    }

    private static void assertRefusedOnTheChain(VerificationResult r) {
        assertFalse(r.verified());
        assertEquals(ProblemType.PROOF_VERIFICATION_ERROR, r.errors().get(0).type(), r.errors().toString());
        assertTrue(r.errors().get(0).detail().contains("previousProof"), r.errors().toString());
    }

    @Test
    void aProofChainedAfterAnotherVerifies_asAStringAndAsAnArray() {
        ObjectNode credential = chained("urn:uuid:26329423-bec9-4b2e-88cb-a7c7d9dc4544");
        VerificationResult r = conformanceVerifier().verifyCredential(credential.toString());
        assertTrue(r.verified(), r.toString());
        ObjectNode asArray = credential.deepCopy();
        ((ObjectNode) asArray.get("proof").get(1)).putArray("previousProof").add("urn:uuid:26329423-bec9-4b2e-88cb-a7c7d9dc4544");
        // a one-element array names the same proof: the same signed statement, as the suite's array case expects
        assertTrue(conformanceVerifier().verifyCredential(asArray.toString()).verified());
        VerificationResult byDefault = Verifier.builder().trustPolicy(TrustPolicy.builder().trustAnyIssuer().build()).build()
                .verifyCredential(credential.toString());
        assertEquals(ProblemType.PROOF_TRANSFORMATION_ERROR, byDefault.errors().get(0).type(), "inline contexts are opt-in");
    }

    @Test
    void aPreviousProofNotInTheSetFailsOnTheChain() {
        ObjectNode credential = chained("urn:uuid:26329423-bec9-4b2e-88cb-a7c7d9dc4544");
        ArrayNode proofs = (ArrayNode) credential.get("proof");
        proofs.remove(0);
        assertRefusedOnTheChain(conformanceVerifier().verifyCredential(credential.toString()));
    }

    @Test
    void aPreviousProofThatIsNotAStringFailsOnTheChain() {
        ObjectNode credential = chained("urn:uuid:456321");
        ((ObjectNode) credential.get("proof").get(1)).put("previousProof", 456321);
        assertRefusedOnTheChain(conformanceVerifier().verifyCredential(credential.toString()));
    }
}
