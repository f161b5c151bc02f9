package dev.tabard.vectors.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.verifier.Action;
import dev.tabard.verifier.PresentationOptions;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.VerificationResult;
import dev.tabard.verifier.Verifier;
import dev.tabard.wallet.Wallet;
import dev.tabard.wallet.delegation.DelegationRequest;
import dev.tabard.wallet.oid4vci.IssuanceClient;
import dev.tabard.wallet.present.PresentationRequest;
import dev.tabard.wallet.store.HeldDelegation;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delegation end to end, over HTTPS on 127.0.0.1: the organization's issuer gives agent A its AgentCredential; A's wallet
 * delegates a narrower authority to sub-agent B (short-lived, or registered with the issuer); B's wallet receives the
 * chain and presents it; a counterparty's verifier authorizes B's action within the limit, refuses it above, and
 * refuses everything once the organization revokes the link or A's credential.
 */
@Timeout(120)
class DelegationEndToEndTest {

    private static final String ADMIN = "tabard_delegation-e2e_Hq3vN8xK2pL5mR7tY1cB4dF6gJ9";
    private static final String DOMAIN = "https://supplier.example";
    @TempDir
    Path dir;
    private LocalIssuer issuer;

    @BeforeEach
    void start() throws Exception {
        issuer = new LocalIssuer(dir.resolve("issuer"), ADMIN);
    }

    @AfterEach
    void stop() {
        issuer.close();
    }

    /** A counterparty's verifier: trusts the organization's domain, fetches its DID document and status lists. */
    private Verifier verifier() {
        return Verifier.builder().trustPolicy(TrustPolicy.builder().trustWebDomain("localhost").build()).fetchPolicy(issuer.fetcher.policy()).build();
    }

    private Wallet wallet(String name) {
        return Wallet.open(dir.resolve(name + ".wallet"), "secret".toCharArray(), verifier(), new IssuanceClient(issuer.fetcher, Clock.systemUTC()),
                Clock.systemUTC());
    }

    private JsonNode send(String method, String path, String body) throws Exception {
        return issuer.admin(method, path, body);
    }

    /** Agent A, registered with a 5,000 EUR limit and one level of delegation, holding its AgentCredential. */
    private Wallet agentA() throws Exception {
        Wallet a = wallet("a");
        send("POST", "/admin/agents", "{\"did\":\"" + a.did() + "\",\"name\":\"procurement-agent\",\"operator\":{\"name\":\"Procurement\"},"
                + "\"capabilities\":[\"purchase-order:negotiate\",\"supplier:lookup\"],\"constraints\":{\"maxTransactionValue\":"
                + "{\"amount\":\"5000\",\"currency\":\"EUR\"},\"dataRegions\":[\"EU\"]},\"delegation\":{\"allowed\":true,\"maxDepth\":1}}");
        a.store(send("POST", "/admin/agents/" + a.did() + "/credentials", null).get("vcJwt").asText());
        return a;
    }

    private VerificationResult act(Wallet b, String challenge, String amount) {
        String vp = b.present(new PresentationRequest(challenge, DOMAIN, Set.of("AgentCredential"), Set.of("purchase-order:negotiate")));
        return verifier().verifyPresentation(vp, new PresentationOptions(challenge, DOMAIN)
                .withAction(Action.of("purchase-order:negotiate").amount(amount, "EUR")));
    }

    @Test
    void aShortLivedDelegationIsPresentedByTheSubAgentAndAuthorizedWithinItsLimit() throws Exception {
        try (Wallet a = agentA(); Wallet b = wallet("b")) {
            HeldDelegation given = a.delegate(DelegationRequest.to(b.did(), Set.of("purchase-order:negotiate"))
                    .maxTransactionValue("250", "EUR").task("order printer paper"));
            assertEquals(HeldDelegation.Registration.SHORT_LIVED, given.registration());
            assertEquals(1, a.delegations(HeldDelegation.Direction.GIVEN).size());
            HeldDelegation received = b.receiveDelegation(Wallet.handover(given));
            assertEquals(a.did(), received.counterparty());
            assertEquals(1, b.delegations(HeldDelegation.Direction.RECEIVED).size());

            VerificationResult within = act(b, "c-1", "120.00");
            assertTrue(within.verified(), within.toString());
            assertEquals(b.did(), within.agent().orElseThrow().agent());
            assertEquals(List.of(a.did(), b.did()), within.agent().orElseThrow().authority().steps().stream().map(s -> s.agent()).toList());
            VerificationResult above = act(b, "c-2", "250.01");
            assertFalse(above.verified());
            assertEquals(ProblemType.CONSTRAINT_VIOLATED, above.errors().get(0).type());
            assertEquals(Optional.of("/verifiableCredential/1/credentialSubject/constraints/maxTransactionValue"), above.errors().get(0).pointer());

            // A cannot hand on what it does not hold, nor for longer than a short-lived link may live
            assertEquals(ProblemType.MISSING_CAPABILITY, assertThrows(ProblemException.class,
                    () -> a.delegate(DelegationRequest.to(b.did(), Set.of("treasury:transfer")))).type());
            assertEquals(ProblemType.LIFETIME_TOO_LONG, assertThrows(ProblemException.class, () -> a.delegate(
                    DelegationRequest.to(b.did(), Set.of("supplier:lookup")).lasting(Duration.ofMinutes(30)))).type());
            // and B, with no further delegation, cannot hand it on
            try (Wallet c = wallet("c")) {
                assertEquals(ProblemType.DELEGATION_NOT_ALLOWED, assertThrows(ProblemException.class,
                        () -> b.delegate(DelegationRequest.to(c.did(), Set.of("purchase-order:negotiate")))).type());
            }
        }
    }

    @Test
    void aRegisteredDelegationIsListedAndRevokedByTheOrganization() throws Exception {
        try (Wallet a = agentA(); Wallet b = wallet("b")) {
            HeldDelegation given = a.delegate(DelegationRequest.to(b.did(), Set.of("purchase-order:negotiate"))
                    .maxTransactionValue("250", "EUR").lasting(Duration.ofMinutes(45)).registered());
            assertEquals(HeldDelegation.Registration.REGISTERED, given.registration());
            b.receiveDelegation(Wallet.handover(given));
            JsonNode listed = send("GET", "/admin/agents/" + a.did() + "/delegations", null).get("delegations");
            assertEquals(1, listed.size());
            assertEquals(given.id(), listed.get(0).get("id").asText());
            assertTrue(act(b, "r-1", "10").verified());

            send("POST", "/admin/credentials/" + given.id() + "/revoke", null);
            VerificationResult revoked = act(b, "r-2", "10");
            assertEquals(ProblemType.CREDENTIAL_REVOKED, revoked.errors().get(0).type(), revoked.toString());
            assertEquals(Optional.of("/verifiableCredential/1"), revoked.errors().get(0).pointer());
            VerificationResult chain = verifier().verifyDelegationChain(b.did(), given.chain());
            assertEquals(ProblemType.CREDENTIAL_REVOKED, chain.errors().get(0).type(), "a revoked chain is not accepted: " + chain);
        }
    }

    @Test
    void revokingTheDelegatorsCredentialRefusesTheChainBeneathIt() throws Exception {
        try (Wallet a = agentA(); Wallet b = wallet("b")) {
            b.receiveDelegation(Wallet.handover(a.delegate(DelegationRequest.to(b.did(), Set.of("purchase-order:negotiate")))));
            assertTrue(act(b, "x-1", "10").verified());
            String rootId = a.credentials(dev.tabard.wallet.store.CredentialQuery.all()).get(0).id();
            send("POST", "/admin/credentials/" + rootId + "/revoke", null);
            VerificationResult r = act(b, "x-2", "10");
            assertEquals(ProblemType.CREDENTIAL_REVOKED, r.errors().get(0).type(), r.toString());
            assertEquals(Optional.of("/verifiableCredential/0"), r.errors().get(0).pointer());
        }
    }
}
