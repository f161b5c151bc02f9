package dev.tabard.vc.di;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.DidUrl;
import dev.tabard.did.key.KeyDidResolver;
import dev.tabard.did.key.KeyDids;
import dev.tabard.jsonld.BundledContexts;
import dev.tabard.jsonld.Rdfc;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.AgentClaims;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class DataIntegrityTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Instant NOW = Instant.parse("2026-11-22T10:05:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final BundledContexts CONTEXTS = BundledContexts.standard();
    private final KeyPair issuerKey = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final Did issuer = KeyDids.of(issuerKey.publicKey());
    private final DidUrl issuerVm = KeyDids.methodId(issuerKey.publicKey());
    private final KeyPair agentKey = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final KeyDidResolver resolver = new KeyDidResolver();

    private ObjectNode credential() {
        AgentClaims c = new AgentClaims(KeyDids.of(agentKey.publicKey()), "agent", issuer, "ACME",
                new AgentClaims.Operator("Ops", Optional.of("ops@acme.example")), Set.of("supplier:lookup"),
                new AgentClaims.Constraints(Optional.of(new AgentClaims.Money("100", "EUR")), List.of("EU"), "{}"),
                new AgentClaims.Delegation(true, 2));
        return c.credential(URI.create("urn:uuid:1"), NOW.minusSeconds(300), NOW.plusSeconds(3300), List.of(
                AgentClaims.statusEntry(URI.create("https://acme.example/status/1"), "revocation", 7)));
    }

    private ObjectNode sign(ObjectNode doc, String suite) {
        return DataIntegrity.sign(doc, issuerKey, ProofOptions.assertion(suite, issuerVm, NOW), CONTEXTS);
    }

    private ProblemType fails(ObjectNode signed, DataIntegrity.Expectations e) {
        return assertThrows(ProblemException.class, () -> DataIntegrity.verify(signed, resolver, e, CONTEXTS)).type();
    }

    @Test
    void agentCredentialSignsAndVerifiesWithEverySuite() {
        for (String suite : new String[] {"eddsa-rdfc-2022", "eddsa-jcs-2022"}) {
            ObjectNode signed = sign(credential(), suite);
            assertEquals(issuerVm, DataIntegrity.verify(signed, resolver, DataIntegrity.Expectations.assertion(CLOCK), CONTEXTS)
                    .get(0).method().id());
            ObjectNode tampered = signed.deepCopy();
            ((ObjectNode) tampered.get("credentialSubject")).putArray("capabilities").add("treasury:transfer");
            assertEquals(ProblemType.PROOF_VERIFICATION_ERROR, fails(tampered, DataIntegrity.Expectations.assertion(CLOCK)), suite);
        }
        KeyPair p256 = KeyPair.generate(KeyType.P256, RANDOM);
        ObjectNode doc = credential();
        doc.put("issuer", KeyDids.of(p256.publicKey()).toString());
        ObjectNode signed = DataIntegrity.sign(doc, p256, ProofOptions.assertion("ecdsa-rdfc-2019", KeyDids.methodId(p256.publicKey()), NOW),
                CONTEXTS);
        assertEquals(1, DataIntegrity.verify(signed, resolver, DataIntegrity.Expectations.assertion(CLOCK), CONTEXTS).size());
    }

    @Test
    void sharedProcessedContextsGiveTheSameCanonicalFormUnderConcurrency() throws Exception {
        ObjectNode signed = sign(credential(), "eddsa-rdfc-2022");
        String fresh = Rdfc.canonicalize(credential(), BundledContexts.standard().with("https://example.org/unused/v1",
                "{\"@context\":{}}".getBytes(StandardCharsets.UTF_8)));
        ObjectNode other = credential();
        other.putArray("type").add("VerifiableCredential").add("BitstringStatusListCredential");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                ObjectNode doc = i % 2 == 0 ? credential() : other;
                results.add(pool.submit(() -> Rdfc.canonicalize(doc, CONTEXTS)));
            }
            for (int i = 0; i < results.size(); i += 2) {
                assertEquals(fresh, results.get(i).get());
            }
        } finally {
            pool.shutdown();
        }
        DataIntegrity.verify(signed, resolver, DataIntegrity.Expectations.assertion(CLOCK), CONTEXTS);
    }

    @Test
    void termsExpansionWouldDropAreErrors() {
        ObjectNode undefined = credential();
        undefined.put("issuanceDate", "2026-01-01T00:00:00Z"); // VC 1.1 term, not in the v2 context
        assertEquals(ProblemType.DATA_LOSS_DETECTION_ERROR,
                assertThrows(ProblemException.class, () -> Rdfc.canonicalize(undefined, CONTEXTS)).type());
        ObjectNode relative = credential();
        ((ObjectNode) relative.get("credentialSubject")).put("id", "agent-7");
        assertEquals(ProblemType.DATA_LOSS_DETECTION_ERROR,
                assertThrows(ProblemException.class, () -> Rdfc.canonicalize(relative, CONTEXTS)).type());
        ObjectNode admin = sign(credential(), "eddsa-rdfc-2022");
        admin.put("@admin", true);
        ProblemException e = assertThrows(ProblemException.class, () -> DataIntegrity.verify(admin, resolver,
                DataIntegrity.Expectations.assertion(CLOCK), CONTEXTS));
        assertEquals(ProblemType.DATA_LOSS_DETECTION_ERROR, e.type(), e.getMessage());
    }

    @Test
    void unknownAndInlineContextsAreRefused() {
        ObjectNode unknown = credential();
        unknown.withArray("@context").add("https://evil.example/context");
        ProblemException e = assertThrows(ProblemException.class, () -> Rdfc.canonicalize(unknown, CONTEXTS));
        assertEquals(ProblemType.PROOF_TRANSFORMATION_ERROR, e.type());
        assertEquals(Optional.of("/@context/2"), e.problem().pointer());
        ObjectNode inline = credential();
        inline.withArray("@context").addObject().put("VerifiableCredential", "https://example.org/#Bad");
        assertEquals(ProblemType.PROOF_TRANSFORMATION_ERROR,
                assertThrows(ProblemException.class, () -> Rdfc.canonicalize(inline, CONTEXTS)).type());
        ObjectNode extra = credential();
        extra.withArray("@context").add("https://example.org/extra");
        BundledContexts more = CONTEXTS.with("https://example.org/extra", "{\"@context\":{\"x\":\"https://example.org/x\"}}".getBytes());
        Rdfc.canonicalize(extra, more); // a context the caller supplied is used
    }

    @Test
    void documentContextMustBeginWithTheProofs() {
        ObjectNode signed = sign(credential(), "eddsa-jcs-2022");
        ((ObjectNode) signed.get("proof")).putArray("@context").add("https://www.w3.org/ns/credentials/v2").add(BundledContexts.DID_V1);
        assertEquals(ProblemType.PROOF_VERIFICATION_ERROR, fails(signed, DataIntegrity.Expectations.assertion(CLOCK)));
    }

    @Test
    void purposeChallengeDomainAndExpiryAreEnforced() {
        ObjectNode vp = JsonCodec.objectNode();
        vp.putArray("@context").add("https://www.w3.org/ns/credentials/v2");
        vp.put("type", "VerifiablePresentation");
        vp.put("holder", issuer.toString());
        ObjectNode signed = DataIntegrity.sign(vp, issuerKey, ProofOptions.authentication("eddsa-rdfc-2022", issuerVm, NOW,
                NOW.plusSeconds(120), "c-1", "verifier.example"), CONTEXTS);
        DataIntegrity.verify(signed, resolver, DataIntegrity.Expectations.authentication("c-1", "verifier.example", CLOCK), CONTEXTS);
        assertEquals(ProblemType.INVALID_CHALLENGE_ERROR,
                fails(signed, DataIntegrity.Expectations.authentication("c-2", "verifier.example", CLOCK)));
        assertEquals(ProblemType.INVALID_DOMAIN_ERROR, fails(signed, DataIntegrity.Expectations.authentication("c-1", "other", CLOCK)));
        assertEquals(ProblemType.PROOF_VERIFICATION_ERROR, fails(signed, DataIntegrity.Expectations.assertion(CLOCK)));
        Clock late = Clock.fixed(NOW.plusSeconds(600), ZoneOffset.UTC);
        assertEquals(ProblemType.PROOF_VERIFICATION_ERROR, fails(signed, DataIntegrity.Expectations.authentication("c-1", "verifier.example", late)));
    }

    @Test
    void malformedProofsAndTooManyProofsAreRefused() {
        ObjectNode signed = sign(credential(), "eddsa-rdfc-2022");
        ObjectNode badValue = signed.deepCopy();
        ((ObjectNode) badValue.get("proof")).put("proofValue", "uAAAA");
        assertEquals(ProblemType.PROOF_VERIFICATION_ERROR, fails(badValue, DataIntegrity.Expectations.assertion(CLOCK)));
        ObjectNode unknownSuite = signed.deepCopy();
        ((ObjectNode) unknownSuite.get("proof")).put("cryptosuite", "bbs-2023");
        assertEquals(ProblemType.PROOF_VERIFICATION_ERROR, fails(unknownSuite, DataIntegrity.Expectations.assertion(CLOCK)));
        ObjectNode none = credential();
        assertEquals(ProblemType.PROOF_VERIFICATION_ERROR, fails(none, DataIntegrity.Expectations.assertion(CLOCK)));
        ObjectNode many = signed;
        for (int i = 0; i < 4; i++) {
            many = sign(many, "eddsa-rdfc-2022");
        }
        assertEquals(ProblemType.LIMIT_EXCEEDED, fails(many, DataIntegrity.Expectations.assertion(CLOCK)));
        ObjectNode twoProofs = sign(signed, "eddsa-jcs-2022");
        assertEquals(2, DataIntegrity.verify(twoProofs, resolver, DataIntegrity.Expectations.assertion(CLOCK), CONTEXTS).size());
    }
}
