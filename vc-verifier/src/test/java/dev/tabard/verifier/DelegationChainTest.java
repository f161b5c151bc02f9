package dev.tabard.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.did.Did;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.AgentClaims;
import dev.tabard.vc.Credential;
import dev.tabard.vc.DelegationClaims;
import dev.tabard.vc.ParentReference;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The chain's structure, on credentials whose proofs are taken as verified; signed chains are tested through Verifier. */
class DelegationChainTest {

    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    private static final Did ORG = Did.parse("did:web:acme.example");
    private static final Did A = Did.parse("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK");
    private static final Did B = Did.parse("did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG");
    private static final Did C = Did.parse("did:key:z6MknGc3ocHs3zdPiJbnaaqDi58NGb4pk1Sp9WxWufuXSdxf");

    private static AgentClaims.Constraints limit(String amount, List<String> regions) {
        return new AgentClaims.Constraints(Optional.of(new AgentClaims.Money(amount, "EUR")), regions, "{}");
    }

    private static DelegationChain.Carried root(AgentClaims.Delegation delegation) {
        AgentClaims claims = new AgentClaims(A, "procurement-agent", ORG, "ACME", new AgentClaims.Operator("Procurement", Optional.empty()),
                Set.of("purchase-order:negotiate", "supplier:lookup"), limit("5000", List.of("EU", "UK")), delegation);
        ObjectNode doc = claims.credential(URI.create("urn:uuid:root"), NOW, NOW.plusSeconds(3600), List.of());
        return new DelegationChain.Carried(Credential.of(doc), ParentReference.ofDocument(URI.create("urn:uuid:root"), doc),
                "/verifiableCredential/0");
    }

    private static DelegationChain.Carried link(int index, DelegationChain.Carried parent, Did from, Did to, Set<String> caps,
                                                AgentClaims.Constraints constraints, int depth, UnaryOperator<ObjectNode> edit) {
        URI id = URI.create("urn:uuid:link-" + index);
        DelegationClaims claims = new DelegationClaims(id, from, to, caps, constraints, new AgentClaims.Delegation(depth > 0, depth),
                Optional.empty(), parent.self(), NOW, NOW.plusSeconds(600));
        ObjectNode doc = edit.apply(claims.credential(List.of()));
        return new DelegationChain.Carried(Credential.of(doc), ParentReference.ofDocument(id, doc), "/verifiableCredential/" + index);
    }

    private static List<ProblemType> refused(List<DelegationChain.Carried> chain, Did holder) {
        ProblemException e = assertThrows(ProblemException.class,
                () -> DelegationChain.walk(chain, holder, DelegationChain.MAX_UNREGISTERED_LIFETIME));
        return e.problems().stream().map(Problem::type).toList();
    }

    @Test
    void aTwoLinkChainYieldsEveryStepAndTheEffectiveGrant() {
        var root = root(new AgentClaims.Delegation(true, 2));
        var ab = link(1, root, A, B, Set.of("purchase-order:negotiate", "supplier:lookup"), limit("1000", List.of("EU")), 1, d -> d);
        var bc = link(2, ab, B, C, Set.of("purchase-order:negotiate"), limit("250", List.of("EU")), 0, d -> d);
        Authority authority = DelegationChain.walk(List.of(root, ab, bc), C, DelegationChain.MAX_UNREGISTERED_LIFETIME);
        assertEquals(List.of(A, B, C), authority.steps().stream().map(Authority.Step::agent).toList());
        assertEquals(C, authority.actingAgent());
        assertEquals(ORG, authority.organization());
        assertEquals(Set.of("purchase-order:negotiate"), authority.effectiveCapabilities());

        assertEquals(List.of(), authority.authorize(Action.of("purchase-order:negotiate").amount("249.99", "EUR").dataRegion("EU")));
        List<Problem> over = authority.authorize(Action.of("purchase-order:negotiate").amount("250.01", "EUR"));
        assertEquals(ProblemType.CONSTRAINT_VIOLATED, over.get(0).type());
        assertEquals(Optional.of("/verifiableCredential/2/credentialSubject/constraints/maxTransactionValue"), over.get(0).pointer());
        List<Problem> farOver = authority.authorize(Action.of("purchase-order:negotiate").amount("1200", "EUR"));
        assertEquals(Optional.of("/verifiableCredential/1/credentialSubject/constraints/maxTransactionValue"), farOver.get(0).pointer());
        List<Problem> region = authority.authorize(Action.of("purchase-order:negotiate").dataRegion("UK"));
        assertEquals(Optional.of("/verifiableCredential/1/credentialSubject/constraints/dataRegions"), region.get(0).pointer());
        List<Problem> cap = authority.authorize(Action.of("supplier:lookup"));
        assertEquals(ProblemType.MISSING_CAPABILITY, cap.get(0).type());
        assertEquals(Optional.of("/verifiableCredential/2/credentialSubject/capabilities"), cap.get(0).pointer());
        assertEquals(ProblemType.CONSTRAINT_VIOLATED,
                authority.authorize(Action.of("purchase-order:negotiate").amount("1", "USD")).get(0).type());
    }

    @Test
    void everyWayALinkCanLieHasItsOwnType() {
        var root = root(new AgentClaims.Delegation(true, 1));
        Set<String> caps = Set.of("supplier:lookup");
        assertEquals(List.of(ProblemType.CAPABILITY_WIDENED), refused(List.of(root,
                link(1, root, A, B, Set.of("payments:send"), limit("10", List.of("EU")), 0, d -> d)), B));
        assertEquals(List.of(ProblemType.CONSTRAINT_LOOSENED), refused(List.of(root,
                link(1, root, A, B, caps, limit("5000.01", List.of("EU")), 0, d -> d)), B));
        assertEquals(List.of(ProblemType.UNKNOWN_CONSTRAINT), refused(List.of(root, link(1, root, A, B, caps,
                new AgentClaims.Constraints(Optional.of(new AgentClaims.Money("1", "EUR")), List.of("EU"), "{\"hours\": \"9-17\"}"), 0, d -> d)), B));
        assertEquals(List.of(ProblemType.DELEGATION_DEPTH_EXCEEDED), refused(List.of(root,
                link(1, root, A, B, caps, limit("10", List.of("EU")), 1, d -> d)), B));
        assertEquals(List.of(ProblemType.LINK_OUTLIVES_PARENT, ProblemType.LIFETIME_TOO_LONG), refused(List.of(root,
                link(1, root, A, B, caps, limit("10", List.of("EU")), 0, d -> d.put("validUntil", "2026-12-03T11:00:01Z"))), B));
        assertEquals(List.of(ProblemType.LINK_ISSUER_MISMATCH), refused(List.of(root,
                link(1, root, C, B, caps, limit("10", List.of("EU")), 0, d -> d)), B));
        var other = root(new AgentClaims.Delegation(true, 2));
        var moved = link(1, root, A, B, caps, limit("10", List.of("EU")), 0, d -> {
            ((ObjectNode) d.path("parentCredential")).put("digestMultibase",
                    ParentReference.ofToken(URI.create("urn:uuid:root"), "x.y.z").digestMultibase());
            return d;
        });
        assertEquals(List.of(ProblemType.LINK_PARENT_MISMATCH), refused(List.of(other, moved), B));
        assertEquals(List.of(ProblemType.HOLDER_MISMATCH), refused(List.of(root,
                link(1, root, A, B, caps, limit("10", List.of("EU")), 0, d -> d)), C));
        assertEquals(List.of(ProblemType.DELEGATION_NOT_ALLOWED), refused(List.of(root(AgentClaims.Delegation.none()),
                link(1, root(AgentClaims.Delegation.none()), A, B, caps, limit("10", List.of("EU")), 0, d -> d)), B));
    }

    @Test
    void aCycleAndAnOverLongChainAreRefused() {
        var root = root(new AgentClaims.Delegation(true, 3));
        var ab = link(1, root, A, B, Set.of("supplier:lookup"), limit("10", List.of("EU")), 2, d -> d);
        var ba = link(2, ab, B, A, Set.of("supplier:lookup"), limit("10", List.of("EU")), 1, d -> d);
        assertTrue(refused(List.of(root, ab, ba), A).contains(ProblemType.DELEGATION_CYCLE));

        List<DelegationChain.Carried> longChain = new ArrayList<>(List.of(root(new AgentClaims.Delegation(true, 16))));
        for (int i = 1; i <= DelegationChain.MAX_LINKS + 1; i++) {
            longChain.add(link(i, longChain.get(i - 1), A, B, Set.of("supplier:lookup"), limit("10", List.of("EU")), 0, d -> d));
        }
        assertEquals(List.of(ProblemType.CHAIN_TOO_LONG), refused(longChain, B));
    }

    @Test
    void aPolicyMayShortenUnregisteredLinks() {
        var root = root(new AgentClaims.Delegation(true, 1));
        var ab = link(1, root, A, B, Set.of("supplier:lookup"), limit("10", List.of("EU")), 0, d -> d);
        ProblemException e = assertThrows(ProblemException.class, () -> DelegationChain.walk(List.of(root, ab), B, Duration.ofMinutes(5)));
        assertEquals(ProblemType.LIFETIME_TOO_LONG, e.type());
        assertEquals(Optional.of("/verifiableCredential/1/validUntil"), e.problem().pointer());
    }
}
