package dev.tabard.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.DidDocumentBuilder;
import dev.tabard.did.DidUrl;
import dev.tabard.did.Relationship;
import dev.tabard.did.VerificationMethod;
import dev.tabard.did.key.KeyDids;
import dev.tabard.didweb.ResolutionBundle;
import dev.tabard.jsonld.BundledContexts;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.AgentClaims;
import dev.tabard.vc.DelegationClaims;
import dev.tabard.vc.ParentReference;
import dev.tabard.vc.di.DataIntegrity;
import dev.tabard.vc.di.ProofOptions;
import dev.tabard.vc.jose.VcJose;
import dev.tabard.vc.status.Bitstring;
import dev.tabard.vc.status.StatusListCredentials;
import dev.tabard.vc.status.StatusPurpose;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A delegation chain presented for real: an organization (did:web, resolved from a bundle) issues agent A its
 * AgentCredential; A signs a narrower DelegationCredential for B; B presents both, signed with its own key. Everything
 * the verifier needs — the DID document and the status list — comes from an offline bundle: zero network.
 */
class DelegatedPresentationTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW.plusSeconds(30), ZoneOffset.UTC);
    private static final String DOMAIN = "https://supplier.example";
    private static final Did ORG = Did.parse("did:web:acme.example");
    private static final DidUrl ORG_KID = ORG.withFragment("key-1");
    private static final URI LIST = URI.create("https://acme.example/status/1");
    private static final URI SUSPENSIONS = URI.create("https://acme.example/status/2");
    private static final long ROOT_INDEX = 5;
    private static final long LINK_INDEX = 7;

    private final KeyPair orgKey = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final KeyPair aKey = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final KeyPair bKey = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final KeyPair cKey = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final Did a = KeyDids.of(aKey.publicKey());
    private final Did b = KeyDids.of(bKey.publicKey());
    private final Did c = KeyDids.of(cKey.publicKey());

    private static AgentClaims.Constraints limit(String amount, List<String> regions) {
        return new AgentClaims.Constraints(Optional.of(new AgentClaims.Money(amount, "EUR")), regions, "{}");
    }

    private ObjectNode rootDocument(AgentClaims.Delegation delegation) {
        AgentClaims claims = new AgentClaims(a, "procurement-agent", ORG, "ACME Corp", new AgentClaims.Operator("Procurement", Optional.empty()),
                Set.of("purchase-order:negotiate", "supplier:lookup"), limit("5000", List.of("EU", "UK")), delegation);
        return claims.credential(URI.create("urn:uuid:" + UUID.randomUUID()), NOW, NOW.plus(Duration.ofHours(1)),
                List.of(AgentClaims.statusEntry(LIST, StatusPurpose.REVOCATION.value(), ROOT_INDEX)));
    }

    private String root() {
        return VcJose.secureCredential(rootDocument(new AgentClaims.Delegation(true, 2)), orgKey, ORG_KID, NOW);
    }

    private static URI id(String token) {
        return URI.create(dev.tabard.vc.jose.CompactJws.parse(token).payloadJson().get("id").asText());
    }

    private ObjectNode link(KeyPair from, Did to, ParentReference parent, Set<String> caps, String amount, Duration lifetime,
                            boolean registered) {
        ObjectNode doc = new DelegationClaims(URI.create("urn:uuid:" + UUID.randomUUID()), KeyDids.of(from.publicKey()), to, caps,
                limit(amount, List.of("EU")), AgentClaims.Delegation.none(), Optional.of("order paper"), parent, NOW, NOW.plus(lifetime))
                .credential(registered ? List.of(AgentClaims.statusEntry(LIST, StatusPurpose.REVOCATION.value(), LINK_INDEX),
                        AgentClaims.statusEntry(SUSPENSIONS, StatusPurpose.SUSPENSION.value(), LINK_INDEX)) : List.of());
        return doc;
    }

    private String signedLink(KeyPair from, Did to, String parentToken, Set<String> caps, String amount, Duration lifetime, boolean registered) {
        return VcJose.secureCredential(link(from, to, ParentReference.ofToken(id(parentToken), parentToken), caps, amount, lifetime,
                registered), from, KeyDids.methodId(from.publicKey()), NOW);
    }

    private String present(KeyPair holder, String challenge, String... credentials) {
        return VcJose.securePresentation(VcJose.presentationOf(List.of(credentials)), holder, KeyDids.methodId(holder.publicKey()),
                challenge, DOMAIN, "urn:uuid:" + UUID.randomUUID(), NOW, NOW.plus(Duration.ofMinutes(2)));
    }

    private Verifier verifier(long... revoked) {
        return verifier(List.of(), revoked);
    }

    private Verifier verifier(List<Long> suspended, long... revoked) {
        Bitstring bits = Bitstring.create(Bitstring.MIN_ENTRIES, 1);
        for (long i : revoked) {
            bits = bits.with(i, 1);
        }
        Bitstring held = Bitstring.create(Bitstring.MIN_ENTRIES, 1);
        for (long i : suspended) {
            held = held.with(i, 1);
        }
        String list = VcJose.secureCredential(StatusListCredentials.credential(LIST, ORG.toString(), StatusPurpose.REVOCATION, bits, NOW,
                NOW.plus(Duration.ofHours(1))), orgKey, ORG_KID, NOW);
        String suspensions = VcJose.secureCredential(StatusListCredentials.credential(SUSPENSIONS, ORG.toString(), StatusPurpose.SUSPENSION,
                held, NOW, NOW.plus(Duration.ofHours(1))), orgKey, ORG_KID, NOW);
        byte[] didDocument = DidDocumentBuilder.forDid(ORG)
                .method(new VerificationMethod(ORG_KID, ORG, orgKey.publicKey(), VerificationMethod.JSON_WEB_KEY), Relationship.ASSERTION_METHOD)
                .toJson();
        ResolutionBundle bundle = ResolutionBundle.builder(NOW).document(ORG, didDocument)
                .resource(LIST, "application/vc+jwt", list.getBytes(StandardCharsets.US_ASCII))
                .resource(SUSPENSIONS, "application/vc+jwt", suspensions.getBytes(StandardCharsets.US_ASCII)).build();
        return Verifier.builder().trustPolicy(TrustPolicy.builder().trustWebDomain("acme.example").build()).resolutionBundle(bundle)
                .clock(CLOCK).build();
    }

    private static void assertRefused(VerificationResult r, ProblemType type, String pointer) {
        assertFalse(r.verified(), r.toString());
        Problem p = r.errors().get(0);
        assertEquals(type, p.type(), r.errors().toString());
        if (pointer != null) {
            assertEquals(Optional.of(pointer), p.pointer(), r.errors().toString());
        }
    }

    @Test
    void aTwoStepChainVerifiesOfflineAndNamesEveryAgent() {
        String root = root();
        String ab = signedLink(aKey, b, root, Set.of("purchase-order:negotiate"), "250", Duration.ofMinutes(10), false);
        VerificationResult r = verifier().verifyPresentation(present(bKey, "c-1", root, ab), new PresentationOptions("c-1", DOMAIN));
        assertTrue(r.verified(), r.toString());
        AgentIdentity agent = r.agent().orElseThrow();
        assertEquals(b, agent.agent());
        assertEquals(ORG, agent.organization());
        assertEquals(Set.of("purchase-order:negotiate"), agent.capabilities());
        assertEquals("250", agent.constraints().maxTransactionValue().orElseThrow().amount());
        assertEquals(List.of(a, b), agent.authority().steps().stream().map(s -> s.agent()).toList());
        assertEquals(NOW.plus(Duration.ofMinutes(10)), agent.validUntil().orElseThrow(), "the authority ends with its shortest link");
        JsonNode chain = r.toJson().path("agent").path("delegationChain");
        assertEquals(2, chain.size());
        assertEquals(b.toString(), chain.get(1).path("agent").asText());
        assertFalse(chain.get(1).path("registered").asBoolean());
    }

    @Test
    void aThreeStepChainInDataIntegrityVerifies() {
        ObjectNode root = DataIntegrity.sign(rootDocument(new AgentClaims.Delegation(true, 2)), orgKey,
                ProofOptions.assertion("eddsa-rdfc-2022", ORG_KID, NOW), BundledContexts.standard());
        URI rootId = URI.create(root.get("id").asText());
        ObjectNode ab = link(aKey, b, ParentReference.ofDocument(rootId, root), Set.of("purchase-order:negotiate", "supplier:lookup"),
                "1000", Duration.ofMinutes(10), false);
        ((ObjectNode) ab.get("credentialSubject")).putObject("delegation").put("allowed", true).put("maxDepth", 1);
        ab = DataIntegrity.sign(ab, aKey, ProofOptions.assertion("eddsa-rdfc-2022", KeyDids.methodId(aKey.publicKey()), NOW),
                BundledContexts.standard());
        ObjectNode bc = DataIntegrity.sign(link(bKey, c, ParentReference.ofDocument(URI.create(ab.get("id").asText()), ab),
                Set.of("purchase-order:negotiate"), "250", Duration.ofMinutes(5), false), bKey,
                ProofOptions.assertion("eddsa-rdfc-2022", KeyDids.methodId(bKey.publicKey()), NOW), BundledContexts.standard());
        ObjectNode vp = dev.tabard.codec.JsonCodec.objectNode();
        vp.putArray("@context").add(BundledContexts.CREDENTIALS_V2);
        vp.putArray("type").add("VerifiablePresentation");
        vp.put("holder", c.toString());
        vp.putArray("verifiableCredential").add(root).add(ab).add(bc);
        ObjectNode signed = DataIntegrity.sign(vp, cKey, ProofOptions.authentication("eddsa-rdfc-2022", KeyDids.methodId(cKey.publicKey()),
                NOW, NOW.plus(Duration.ofMinutes(2)), "c-3", DOMAIN), BundledContexts.standard());
        VerificationResult r = verifier().verifyPresentation(signed.toString(),
                new PresentationOptions("c-3", DOMAIN).withAction(Action.of("purchase-order:negotiate").amount("200", "EUR")));
        assertTrue(r.verified(), r.toString());
        assertEquals(List.of(a, b, c), r.agent().orElseThrow().authority().steps().stream().map(s -> s.agent()).toList());
        assertRefused(verifier().verifyPresentation(signed.toString(), new PresentationOptions("c-3", DOMAIN)
                .withAction(Action.of("supplier:lookup"))), ProblemType.MISSING_CAPABILITY, "/verifiableCredential/2/credentialSubject/capabilities");
    }

    @Test
    void anActionBeyondTheLinksLimitIsRefusedNamingTheLink() {
        String root = root();
        String ab = signedLink(aKey, b, root, Set.of("purchase-order:negotiate"), "250", Duration.ofMinutes(10), false);
        Verifier verifier = verifier();
        PresentationOptions within = new PresentationOptions("c-1", DOMAIN)
                .withAction(Action.of("purchase-order:negotiate").amount("249.00", "EUR").dataRegion("EU"));
        assertTrue(verifier.verifyPresentation(present(bKey, "c-1", root, ab), within).verified());
        PresentationOptions above = new PresentationOptions("c-2", DOMAIN).withAction(Action.of("purchase-order:negotiate").amount("251", "EUR"));
        assertRefused(verifier.verifyPresentation(present(bKey, "c-2", root, ab), above), ProblemType.CONSTRAINT_VIOLATED,
                "/verifiableCredential/1/credentialSubject/constraints/maxTransactionValue");
        PresentationOptions uk = new PresentationOptions("c-3", DOMAIN).withAction(Action.of("purchase-order:negotiate").dataRegion("UK"));
        assertRefused(verifier.verifyPresentation(present(bKey, "c-3", root, ab), uk), ProblemType.CONSTRAINT_VIOLATED,
                "/verifiableCredential/1/credentialSubject/constraints/dataRegions");
    }

    @Test
    void revokingTheRootOrARegisteredLinkRefusesEverythingBeneath() {
        String root = root();
        String ab = signedLink(aKey, b, root, Set.of("purchase-order:negotiate"), "250", Duration.ofMinutes(50), true);
        assertTrue(verifier().verifyPresentation(present(bKey, "c-1", root, ab), new PresentationOptions("c-1", DOMAIN)).verified());
        assertRefused(verifier(LINK_INDEX).verifyPresentation(present(bKey, "c-1", root, ab), new PresentationOptions("c-1", DOMAIN)),
                ProblemType.CREDENTIAL_REVOKED, "/verifiableCredential/1");
        assertRefused(verifier(ROOT_INDEX).verifyPresentation(present(bKey, "c-1", root, ab), new PresentationOptions("c-1", DOMAIN)),
                ProblemType.CREDENTIAL_REVOKED, "/verifiableCredential/0");
    }

    @Test
    void everyWayASignedChainCanLieIsRefused() {
        String root = root();
        PresentationOptions opts = new PresentationOptions("c-1", DOMAIN);
        // widened capability, loosened limit
        assertRefused(verifier().verifyPresentation(present(bKey, "c-1", root, signedLink(aKey, b, root, Set.of("treasury:transfer"), "1",
                Duration.ofMinutes(10), false)), opts), ProblemType.CAPABILITY_WIDENED, "/verifiableCredential/1/credentialSubject/capabilities");
        assertRefused(verifier().verifyPresentation(present(bKey, "c-1", root, signedLink(aKey, b, root, Set.of("supplier:lookup"), "5001",
                Duration.ofMinutes(10), false)), opts), ProblemType.CONSTRAINT_LOOSENED, null);
        // a link signed by someone who is not the parent's subject
        assertRefused(verifier().verifyPresentation(present(bKey, "c-1", root, signedLink(cKey, b, root, Set.of("supplier:lookup"), "1",
                Duration.ofMinutes(10), false)), opts), ProblemType.LINK_ISSUER_MISMATCH, "/verifiableCredential/1/issuer");
        // a link moved onto another parent of the same agent
        String other = root();
        String moved = signedLink(aKey, b, other, Set.of("supplier:lookup"), "1", Duration.ofMinutes(10), false);
        assertRefused(verifier().verifyPresentation(present(bKey, "c-1", root, moved), opts), ProblemType.LINK_PARENT_MISMATCH,
                "/verifiableCredential/1/parentCredential");
        // the presenter is not the chain's last agent
        String ab = signedLink(aKey, b, root, Set.of("supplier:lookup"), "1", Duration.ofMinutes(10), false);
        assertRefused(verifier().verifyPresentation(present(cKey, "c-1", root, ab), opts), ProblemType.HOLDER_MISMATCH,
                "/verifiableCredential/1/credentialSubject/id");
        // an unregistered link living longer than the verifier allows, and one outliving its parent
        assertRefused(verifier().verifyPresentation(present(bKey, "c-1", root, signedLink(aKey, b, root, Set.of("supplier:lookup"), "1",
                Duration.ofMinutes(16), false)), opts), ProblemType.LIFETIME_TOO_LONG, "/verifiableCredential/1/validUntil");
        // the organization does not let the agent delegate
        String closed = VcJose.secureCredential(rootDocument(AgentClaims.Delegation.none()), orgKey, ORG_KID, NOW);
        assertRefused(verifier().verifyPresentation(present(bKey, "c-1", closed, signedLink(aKey, b, closed, Set.of("supplier:lookup"), "1",
                Duration.ofMinutes(10), false)), opts), ProblemType.DELEGATION_NOT_ALLOWED, "/verifiableCredential/1");
    }

    @Test
    void anOverLongChainIsRefusedBeforeAnyLinkIsTrusted() {
        String root = VcJose.secureCredential(rootDocument(new AgentClaims.Delegation(true, 16)), orgKey, ORG_KID, NOW);
        List<String> chain = new ArrayList<>(List.of(root));
        List<KeyPair> keys = new ArrayList<>(List.of(aKey));
        for (int i = 0; i < dev.tabard.vc.DelegationChain.MAX_LINKS + 1; i++) {
            KeyPair next = KeyPair.generate(KeyType.ED25519, RANDOM);
            chain.add(signedLink(keys.get(i), KeyDids.of(next.publicKey()), chain.get(i), Set.of("supplier:lookup"), "1",
                    Duration.ofMinutes(10), false));
            keys.add(next);
        }
        assertRefused(verifier().verifyPresentation(present(keys.get(keys.size() - 1), "c-1", chain.toArray(String[]::new)),
                new PresentationOptions("c-1", DOMAIN)), ProblemType.CHAIN_TOO_LONG, null);
    }

    @Test
    void theSamePresentationTwiceIsAReplay_anotherUnderTheSameChallengeIsNot() {
        String root = root();
        String ab = signedLink(aKey, b, root, Set.of("supplier:lookup"), "1", Duration.ofMinutes(10), false);
        Verifier verifier = verifier();
        String first = present(bKey, "reused", root, ab);
        assertTrue(verifier.verifyPresentation(first, new PresentationOptions("reused", DOMAIN)).verified());
        assertRefused(verifier.verifyPresentation(first, new PresentationOptions("reused", DOMAIN)), ProblemType.PRESENTATION_REPLAYED, null);
        assertTrue(verifier.verifyPresentation(present(bKey, "reused", root, ab), new PresentationOptions("reused", DOMAIN)).verified(),
                "a new presentation the holder signed is not a replay of the first");
    }

    @Test
    void aSuspendedOrExpiredMiddleLinkRefusesTheLinkBeneathIt() {
        String root = root();
        // A → B (registered, may delegate once more) → C
        ObjectNode abDoc = link(aKey, b, ParentReference.ofToken(id(root), root), Set.of("supplier:lookup"), "100", Duration.ofMinutes(40), true);
        ((ObjectNode) abDoc.get("credentialSubject")).putObject("delegation").put("allowed", true).put("maxDepth", 1);
        String ab = VcJose.secureCredential(abDoc, aKey, KeyDids.methodId(aKey.publicKey()), NOW);
        String bc = signedLink(bKey, c, ab, Set.of("supplier:lookup"), "50", Duration.ofMinutes(10), false);
        PresentationOptions opts = new PresentationOptions("c-1", DOMAIN);
        assertTrue(verifier().verifyPresentation(present(cKey, "c-1", root, ab, bc), opts).verified());
        assertRefused(verifier(List.of(LINK_INDEX)).verifyPresentation(present(cKey, "c-1", root, ab, bc), opts),
                ProblemType.CREDENTIAL_SUSPENDED, "/verifiableCredential/1");
        // the middle link ended 10 minutes after NOW; the verifier's clock is past it
        Verifier later = Verifier.builder().trustPolicy(TrustPolicy.builder().trustWebDomain("acme.example").build())
                .resolutionBundle(ResolutionBundle.builder(NOW).document(ORG, DidDocumentBuilder.forDid(ORG).method(new VerificationMethod(
                        ORG_KID, ORG, orgKey.publicKey(), VerificationMethod.JSON_WEB_KEY), Relationship.ASSERTION_METHOD).toJson()).build())
                .clock(Clock.fixed(NOW.plus(Duration.ofMinutes(12)), ZoneOffset.UTC)).build();
        String shortAb = signedLink(aKey, b, root, Set.of("supplier:lookup"), "100", Duration.ofMinutes(5), false);
        ObjectNode shortAbDoc = (ObjectNode) dev.tabard.vc.jose.CompactJws.parse(shortAb).payloadJson();
        assertEquals(NOW.plus(Duration.ofMinutes(5)).toString(), shortAbDoc.get("validUntil").asText());
        String vp = VcJose.securePresentation(VcJose.presentationOf(List.of(root, shortAb)), bKey, KeyDids.methodId(bKey.publicKey()),
                "c-9", DOMAIN, "urn:uuid:" + UUID.randomUUID(), NOW.plus(Duration.ofMinutes(11)), NOW.plus(Duration.ofMinutes(13)));
        assertRefused(later.verifyPresentation(vp, new PresentationOptions("c-9", DOMAIN)), ProblemType.CREDENTIAL_EXPIRED,
                "/verifiableCredential/1");
    }
}
