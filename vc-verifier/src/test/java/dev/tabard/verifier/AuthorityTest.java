package dev.tabard.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.did.Did;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.AgentClaims;
import dev.tabard.vc.Credential;
import dev.tabard.vc.DelegationChain;
import dev.tabard.vc.DelegationClaims;
import dev.tabard.vc.ParentReference;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Authorizing actions against a walked chain; the walk itself is tested in did-core, signed chains through Verifier. */
class AuthorityTest {

    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    private static final Did ORG = Did.parse("did:web:acme.example");
    private static final Did A = Did.parse("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK");
    private static final Did B = Did.parse("did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG");
    private static final Did C = Did.parse("did:key:z6MknGc3ocHs3zdPiJbnaaqDi58NGb4pk1Sp9WxWufuXSdxf");

    private static AgentClaims.Constraints limit(String amount, List<String> regions) {
        return new AgentClaims.Constraints(Optional.of(new AgentClaims.Money(amount, "EUR")), regions, "{}");
    }

    private static DelegationChain.Carried carried(ObjectNode doc, URI id, int index) {
        return new DelegationChain.Carried(Credential.of(doc), Optional.of(ParentReference.ofDocument(id, doc)), "/verifiableCredential/" + index);
    }

    private static Authority twoLinks() {
        AgentClaims claims = new AgentClaims(A, "procurement-agent", ORG, "ACME", new AgentClaims.Operator("Procurement", Optional.empty()),
                Set.of("purchase-order:negotiate", "supplier:lookup"), limit("5000", List.of("EU", "UK")), new AgentClaims.Delegation(true, 2));
        URI rootId = URI.create("urn:uuid:root");
        var root = carried(claims.credential(rootId, NOW, NOW.plusSeconds(3600), List.of()), rootId, 0);
        URI abId = URI.create("urn:uuid:ab");
        var ab = carried(new DelegationClaims(abId, A, B, Set.of("purchase-order:negotiate", "supplier:lookup"), limit("1000", List.of("EU")),
                new AgentClaims.Delegation(true, 1), Optional.empty(), root.self().orElseThrow(), NOW, NOW.plusSeconds(600)).credential(List.of()), abId, 1);
        URI bcId = URI.create("urn:uuid:bc");
        var bc = carried(new DelegationClaims(bcId, B, C, Set.of("purchase-order:negotiate"), limit("250", List.of("EU")),
                AgentClaims.Delegation.none(), Optional.of("order paper"), ab.self().orElseThrow(), NOW, NOW.plusSeconds(600)).credential(List.of()), bcId, 2);
        return new Authority(DelegationChain.walk(List.of(root, ab, bc), DelegationChain.MAX_UNREGISTERED_LIFETIME));
    }

    @Test
    void anActionWithinEveryStepIsAllowed() {
        Authority authority = twoLinks();
        assertEquals(C, authority.actingAgent());
        assertEquals(Set.of("purchase-order:negotiate"), authority.effectiveCapabilities());
        assertEquals(List.of(), authority.authorize(Action.of("purchase-order:negotiate").amount("250", "EUR").dataRegion("EU")
                .resource("po/2026-118")));
    }

    @Test
    void aRefusalPointsAtTheLinkThatNarrowedTheAuthority() {
        Authority authority = twoLinks();
        assertRefused(authority.authorize(Action.of("purchase-order:negotiate").amount("250.01", "EUR")),
                ProblemType.CONSTRAINT_VIOLATED, "/verifiableCredential/2/credentialSubject/constraints/maxTransactionValue");
        assertRefused(authority.authorize(Action.of("purchase-order:negotiate").amount("1200", "EUR")),
                ProblemType.CONSTRAINT_VIOLATED, "/verifiableCredential/1/credentialSubject/constraints/maxTransactionValue");
        assertRefused(authority.authorize(Action.of("purchase-order:negotiate").amount("1", "USD")),
                ProblemType.CONSTRAINT_VIOLATED, "/verifiableCredential/0/credentialSubject/constraints/maxTransactionValue");
        assertRefused(authority.authorize(Action.of("purchase-order:negotiate").dataRegion("UK")),
                ProblemType.CONSTRAINT_VIOLATED, "/verifiableCredential/1/credentialSubject/constraints/dataRegions");
        assertRefused(authority.authorize(Action.of("supplier:lookup")),
                ProblemType.MISSING_CAPABILITY, "/verifiableCredential/2/credentialSubject/capabilities");
        assertRefused(authority.authorize(Action.of("payments:send")),
                ProblemType.MISSING_CAPABILITY, "/verifiableCredential/0/credentialSubject/capabilities");
    }

    @Test
    void anActionParameterThisVerifierCannotJudgeFailsClosed() {
        Action read = Action.fromJson(JsonCodec.parse("{\"capability\": \"purchase-order:negotiate\", \"amount\": {\"value\": \"10\", "
                + "\"currency\": \"EUR\"}, \"dataRegion\": \"EU\"}"), "/options/action");
        assertEquals(Action.of("purchase-order:negotiate").amount("10", "EUR").dataRegion("EU"), read);
        ProblemException unknown = assertThrows(ProblemException.class, () -> Action.fromJson(JsonCodec.parse(
                "{\"capability\": \"purchase-order:negotiate\", \"perDay\": 3}"), "/options/action"));
        assertEquals(ProblemType.UNKNOWN_CONSTRAINT, unknown.type());
        assertEquals(Optional.of("/options/action/perDay"), unknown.problem().pointer());
        ProblemException amount = assertThrows(ProblemException.class, () -> Action.fromJson(JsonCodec.parse(
                "{\"capability\": \"purchase-order:negotiate\", \"amount\": {\"value\": \"10\", \"currency\": \"EUR\", \"period\": \"P1D\"}}"),
                "/options/action"));
        assertEquals(ProblemType.UNKNOWN_CONSTRAINT, amount.type());
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, assertThrows(ProblemException.class, () -> Action.fromJson(
                JsonCodec.parse("{\"amount\": {\"value\": \"1\", \"currency\": \"EUR\"}}"), "")).type(), "an amount without a capability");
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, assertThrows(ProblemException.class, () -> Action.fromJson(JsonCodec.parse(
                "{\"capability\": \"x\", \"amount\": {\"value\": \"1e9\", \"currency\": \"EUR\"}}"), "")).type(), "an exponent amount");
    }

    private static void assertRefused(List<Problem> problems, ProblemType type, String pointer) {
        assertEquals(1, problems.size(), problems.toString());
        assertEquals(type, problems.get(0).type());
        assertEquals(Optional.of(pointer), problems.get(0).pointer());
    }
}
