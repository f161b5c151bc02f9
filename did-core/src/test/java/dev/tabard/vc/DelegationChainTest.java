package dev.tabard.vc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.did.Did;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The chain's structure, on credentials whose proofs are taken as verified; signed chains are tested through the verifier. */
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
        return new DelegationChain.Carried(Credential.of(doc), Optional.of(ParentReference.ofDocument(URI.create("urn:uuid:root"), doc)),
                "/verifiableCredential/0");
    }

    private static DelegationChain.Carried link(int index, DelegationChain.Carried parent, Did from, Did to, Set<String> caps,
                                                AgentClaims.Constraints constraints, int depth, UnaryOperator<ObjectNode> edit) {
        URI id = URI.create("urn:uuid:link-" + index);
        DelegationClaims claims = new DelegationClaims(id, from, to, caps, constraints, new AgentClaims.Delegation(depth > 0, depth),
                Optional.empty(), parent.self().orElseThrow(), NOW, NOW.plusSeconds(600));
        ObjectNode doc = edit.apply(claims.credential(List.of()));
        return new DelegationChain.Carried(Credential.of(doc), Optional.of(ParentReference.ofDocument(id, doc)), "/verifiableCredential/" + index);
    }

    private static List<ProblemType> refused(List<DelegationChain.Carried> chain) {
        ProblemException e = assertThrows(ProblemException.class,
                () -> DelegationChain.walk(chain, DelegationChain.MAX_UNREGISTERED_LIFETIME));
        return e.problems().stream().map(Problem::type).toList();
    }

    @Test
    void aTwoLinkChainYieldsEveryStepWithItsGrant() {
        var root = root(new AgentClaims.Delegation(true, 2));
        var ab = link(1, root, A, B, Set.of("purchase-order:negotiate", "supplier:lookup"), limit("1000", List.of("EU")), 1, d -> d);
        var bc = link(2, ab, B, C, Set.of("purchase-order:negotiate"), limit("250", List.of("EU")), 0, d -> d);
        DelegationChain.Path path = DelegationChain.walk(List.of(root, ab, bc), DelegationChain.MAX_UNREGISTERED_LIFETIME);
        assertEquals(List.of(A, B, C), path.steps().stream().map(DelegationChain.Step::agent).toList());
        assertEquals(C, path.lastDelegate());
        assertEquals(ORG, path.root().organization());
        assertEquals(Set.of("purchase-order:negotiate"), path.steps().get(2).grant().capabilities());
        assertEquals(List.of("/verifiableCredential/0", "/verifiableCredential/1", "/verifiableCredential/2"),
                path.steps().stream().map(DelegationChain.Step::pointer).toList());
    }

    @Test
    void everyWayALinkCanLieHasItsOwnType() {
        var root = root(new AgentClaims.Delegation(true, 1));
        Set<String> caps = Set.of("supplier:lookup");
        assertEquals(List.of(ProblemType.CAPABILITY_WIDENED), refused(List.of(root,
                link(1, root, A, B, Set.of("payments:send"), limit("10", List.of("EU")), 0, d -> d))));
        assertEquals(List.of(ProblemType.CONSTRAINT_LOOSENED), refused(List.of(root,
                link(1, root, A, B, caps, limit("5000.01", List.of("EU")), 0, d -> d))));
        assertEquals(List.of(ProblemType.UNKNOWN_CONSTRAINT), refused(List.of(root, link(1, root, A, B, caps,
                new AgentClaims.Constraints(Optional.of(new AgentClaims.Money("1", "EUR")), List.of("EU"), "{\"hours\": \"9-17\"}"), 0, d -> d))));
        assertEquals(List.of(ProblemType.DELEGATION_DEPTH_EXCEEDED), refused(List.of(root,
                link(1, root, A, B, caps, limit("10", List.of("EU")), 1, d -> d))));
        assertEquals(List.of(ProblemType.LINK_OUTLIVES_PARENT, ProblemType.LIFETIME_TOO_LONG), refused(List.of(root,
                link(1, root, A, B, caps, limit("10", List.of("EU")), 0, d -> d.put("validUntil", "2026-12-03T11:00:01Z")))));
        assertEquals(List.of(ProblemType.LINK_ISSUER_MISMATCH), refused(List.of(root,
                link(1, root, C, B, caps, limit("10", List.of("EU")), 0, d -> d))));
        var other = root(new AgentClaims.Delegation(true, 2));
        var moved = link(1, root, A, B, caps, limit("10", List.of("EU")), 0, d -> {
            ((ObjectNode) d.path("parentCredential")).put("digestMultibase",
                    ParentReference.ofToken(URI.create("urn:uuid:root"), "x.y.z").digestMultibase());
            return d;
        });
        assertEquals(List.of(ProblemType.LINK_PARENT_MISMATCH), refused(List.of(other, moved)));
        assertEquals(List.of(ProblemType.DELEGATION_NOT_ALLOWED), refused(List.of(root(AgentClaims.Delegation.none()),
                link(1, root(AgentClaims.Delegation.none()), A, B, caps, limit("10", List.of("EU")), 0, d -> d))));
    }

    @Test
    void aCycleAndAnOverLongChainAreRefused() {
        var root = root(new AgentClaims.Delegation(true, 3));
        var ab = link(1, root, A, B, Set.of("supplier:lookup"), limit("10", List.of("EU")), 2, d -> d);
        var ba = link(2, ab, B, A, Set.of("supplier:lookup"), limit("10", List.of("EU")), 1, d -> d);
        assertTrue(refused(List.of(root, ab, ba)).contains(ProblemType.DELEGATION_CYCLE));

        List<DelegationChain.Carried> longChain = new ArrayList<>(List.of(root(new AgentClaims.Delegation(true, 16))));
        for (int i = 1; i <= DelegationChain.MAX_LINKS + 1; i++) {
            longChain.add(link(i, longChain.get(i - 1), A, B, Set.of("supplier:lookup"), limit("10", List.of("EU")), 0, d -> d));
        }
        assertEquals(List.of(ProblemType.CHAIN_TOO_LONG), refused(longChain));
    }

    @Test
    void aPolicyMayShortenUnregisteredLinks() {
        var root = root(new AgentClaims.Delegation(true, 1));
        var ab = link(1, root, A, B, Set.of("supplier:lookup"), limit("10", List.of("EU")), 0, d -> d);
        ProblemException e = assertThrows(ProblemException.class, () -> DelegationChain.walk(List.of(root, ab), Duration.ofMinutes(5)));
        assertEquals(ProblemType.LIFETIME_TOO_LONG, e.type());
        assertEquals(Optional.of("/verifiableCredential/1/validUntil"), e.problem().pointer());
    }
}
