package dev.tabard.vc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.did.Did;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.key.KeyDidResolver;
import dev.tabard.did.key.KeyDids;
import dev.tabard.jsonld.BundledContexts;
import dev.tabard.vc.di.DataIntegrity;
import dev.tabard.vc.di.ProofOptions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class DelegationClaimsTest {

    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    private static final Did ORG = Did.parse("did:web:acme.example");
    private static final Did A = Did.parse("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK");
    private static final Did B = Did.parse("did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG");
    private static final String PARENT_TOKEN = "eyJhbGciOiJFZERTQSJ9.eyJ4IjoxfQ.c2ln";

    private static AgentClaims.Constraints limit(String amount, String currency, List<String> regions) {
        return new AgentClaims.Constraints(Optional.of(new AgentClaims.Money(amount, currency)), regions, "{}");
    }

    private static Grant root() {
        return new Grant(Set.of("purchase-order:negotiate", "supplier:lookup"), limit("5000", "EUR", List.of("EU", "UK")),
                new AgentClaims.Delegation(true, 2), Optional.of(NOW.plusSeconds(3600)), Optional.of(URI.create("urn:uuid:root")));
    }

    private static DelegationClaims link(Set<String> caps, AgentClaims.Constraints constraints, int depth, Instant until) {
        return new DelegationClaims(URI.create("urn:uuid:link-1"), A, B, caps, constraints,
                new AgentClaims.Delegation(depth > 0, depth), Optional.of("order paper"),
                ParentReference.ofToken(URI.create("urn:uuid:root"), PARENT_TOKEN), NOW, until);
    }

    private static List<ProblemType> types(List<Problem> problems) {
        return problems.stream().map(Problem::type).toList();
    }

    @Test
    void aLinkRoundTripsThroughItsCredentialDocument() {
        DelegationClaims claims = link(Set.of("supplier:lookup"), limit("100", "EUR", List.of("EU")), 1, NOW.plusSeconds(600));
        ObjectNode doc = claims.credential(List.of());
        DelegationClaims back = DelegationClaims.from(Credential.of(doc));
        assertEquals(claims, back);
        assertEquals("urn:uuid:root", doc.path("parentCredential").path("id").asText());
    }

    @Test
    void anAttenuatingLinkPasses() {
        DelegationClaims claims = link(Set.of("supplier:lookup"), limit("100.50", "EUR", List.of("EU")), 1, NOW.plusSeconds(600));
        assertEquals(List.of(), Attenuation.check(root(), claims, "/verifiableCredential/1"));
    }

    @Test
    void everyWideningIsNamedWithItsPointer() {
        DelegationClaims claims = link(Set.of("supplier:lookup", "payments:send"), limit("5000.01", "EUR", List.of("EU", "US")),
                2, NOW.plusSeconds(3601));
        List<Problem> problems = Attenuation.check(root(), claims, "/verifiableCredential/1");
        assertEquals(List.of(ProblemType.DELEGATION_DEPTH_EXCEEDED, ProblemType.CAPABILITY_WIDENED,
                ProblemType.CONSTRAINT_LOOSENED, ProblemType.CONSTRAINT_LOOSENED, ProblemType.LINK_OUTLIVES_PARENT), types(problems));
        assertEquals(Optional.of("/verifiableCredential/1/credentialSubject/constraints/maxTransactionValue/amount"),
                problems.get(2).pointer());
        assertEquals(Optional.of("/verifiableCredential/1/credentialSubject/constraints/dataRegions/1"), problems.get(3).pointer());
    }

    @Test
    void anotherCurrencyOrADroppedLimitLoosens() {
        assertEquals(List.of(ProblemType.CONSTRAINT_LOOSENED), types(Attenuation.check(root(),
                link(Set.of("supplier:lookup"), limit("1", "USD", List.of("EU")), 0, NOW.plusSeconds(60)), "")));
        assertEquals(List.of(ProblemType.CONSTRAINT_LOOSENED, ProblemType.CONSTRAINT_LOOSENED), types(Attenuation.check(root(),
                link(Set.of("supplier:lookup"), AgentClaims.Constraints.none(), 0, NOW.plusSeconds(60)), "")));
    }

    @Test
    void aParentThatMayNotDelegateStopsTheChain() {
        Grant closed = new Grant(Set.of("supplier:lookup"), AgentClaims.Constraints.none(), AgentClaims.Delegation.none(),
                Optional.empty(), Optional.empty());
        assertEquals(List.of(ProblemType.DELEGATION_NOT_ALLOWED), types(Attenuation.check(closed,
                link(Set.of("supplier:lookup"), AgentClaims.Constraints.none(), 0, NOW.plusSeconds(60)), "")));
        Grant spent = new Grant(Set.of("supplier:lookup"), AgentClaims.Constraints.none(), new AgentClaims.Delegation(true, 0),
                Optional.empty(), Optional.empty());
        assertEquals(List.of(ProblemType.DELEGATION_DEPTH_EXCEEDED), types(Attenuation.check(spent,
                link(Set.of("supplier:lookup"), AgentClaims.Constraints.none(), 0, NOW.plusSeconds(60)), "")));
    }

    @Test
    void anUnknownConstraintFailsClosed() {
        AgentClaims.Constraints odd = new AgentClaims.Constraints(Optional.of(new AgentClaims.Money("10", "EUR")), List.of("EU"),
                "{\"maxCallsPerDay\": 5}");
        List<Problem> problems = Attenuation.check(root(), link(Set.of("supplier:lookup"), odd, 0, NOW.plusSeconds(60)), "/x");
        assertEquals(List.of(ProblemType.UNKNOWN_CONSTRAINT), types(problems));
        assertEquals(Optional.of("/x/credentialSubject/constraints/maxCallsPerDay"), problems.get(0).pointer());
    }

    @Test
    void aKnownConstraintWithAnUnknownMemberIsRefused() {
        ObjectNode doc = link(Set.of("supplier:lookup"), limit("10", "EUR", List.of()), 0, NOW.plusSeconds(60)).credential(List.of());
        ((ObjectNode) doc.path("credentialSubject").path("constraints").path("maxTransactionValue")).put("period", "P1D");
        ProblemException e = assertThrows(ProblemException.class, () -> DelegationClaims.from(Credential.of(doc)));
        assertEquals(Optional.of("/credentialSubject/constraints/maxTransactionValue"), e.problem().pointer());
    }

    @Test
    void aLinkWithoutEndParentOrCapabilityIsMalformed() {
        DelegationClaims claims = link(Set.of("supplier:lookup"), AgentClaims.Constraints.none(), 0, NOW.plusSeconds(60));
        for (String member : List.of("validUntil", "parentCredential", "id")) {
            ObjectNode doc = claims.credential(List.of());
            doc.remove(member);
            ProblemException e = assertThrows(ProblemException.class, () -> DelegationClaims.from(Credential.of(doc)), member);
            assertEquals(ProblemType.MALFORMED_VALUE_ERROR, e.type(), member);
        }
        ObjectNode doc = claims.credential(List.of());
        ((ObjectNode) doc.path("credentialSubject")).putArray("capabilities");
        assertThrows(ProblemException.class, () -> DelegationClaims.from(Credential.of(doc)));
        ObjectNode digest = claims.credential(List.of());
        ((ObjectNode) digest.path("parentCredential")).put("digestMultibase", "uAAAA");
        assertThrows(ProblemException.class, () -> DelegationClaims.from(Credential.of(digest)));
    }

    @Test
    void aParentReferenceMatchesOnlyItsOwnParent() {
        ParentReference ref = ParentReference.ofToken(URI.create("urn:uuid:root"), PARENT_TOKEN);
        assertTrue(ref.matches(ParentReference.ofToken(URI.create("urn:uuid:root"), PARENT_TOKEN)));
        assertFalse(ref.matches(ParentReference.ofToken(URI.create("urn:uuid:root"), PARENT_TOKEN + "x")));
        assertFalse(ref.matches(ParentReference.ofToken(URI.create("urn:uuid:other"), PARENT_TOKEN)));
        ObjectNode doc = (ObjectNode) JsonCodec.parse("{\"b\": 1, \"a\": [true, \"x\"]}");
        ObjectNode reordered = (ObjectNode) JsonCodec.parse("{\"a\": [true, \"x\"], \"b\": 1}");
        assertTrue(ParentReference.ofDocument(URI.create("urn:uuid:root"), doc)
                .matches(ParentReference.ofDocument(URI.create("urn:uuid:root"), reordered)));
    }

    @Test
    void aLinkSignedByTheDelegatorsKeyVerifiesUnderTheBundledContext() {
        KeyPair delegatorKey = KeyPair.generate(KeyType.ED25519, new SecureRandom());
        Did delegator = KeyDids.of(delegatorKey.publicKey());
        DelegationClaims claims = new DelegationClaims(URI.create("urn:uuid:link-2"), delegator, B, Set.of("supplier:lookup"),
                limit("10", "EUR", List.of("EU")), AgentClaims.Delegation.none(), Optional.of("find a supplier"),
                ParentReference.ofToken(URI.create("urn:uuid:root"), PARENT_TOKEN), NOW, NOW.plusSeconds(600));
        for (String suite : List.of("eddsa-rdfc-2022", "eddsa-jcs-2022")) {
            ObjectNode secured = DataIntegrity.sign(claims.credential(List.of()), delegatorKey,
                    ProofOptions.assertion(suite, KeyDids.methodId(delegatorKey.publicKey()), NOW), BundledContexts.standard());
            assertEquals(1, DataIntegrity.verify(secured, new KeyDidResolver(),
                    DataIntegrity.Expectations.assertion(Clock.fixed(NOW.plusSeconds(5), ZoneOffset.UTC)),
                    BundledContexts.standard()).size(), suite);
            ((ObjectNode) secured.path("credentialSubject")).put("task", "buy a yacht");
            assertThrows(ProblemException.class, () -> DataIntegrity.verify(secured, new KeyDidResolver(),
                    DataIntegrity.Expectations.assertion(Clock.fixed(NOW.plusSeconds(5), ZoneOffset.UTC)),
                    BundledContexts.standard()), suite);
        }
    }
}
