package dev.tabard.vectors.sdjwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.did.DidResolver;
import dev.tabard.did.DidResolvers;
import dev.tabard.did.key.KeyDidResolver;
import dev.tabard.didweb.WebDidResolver;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.sdjwt.ClaimPath;
import dev.tabard.sdjwt.SdJwt;
import dev.tabard.sdjwt.vc.SdJwtVc;
import dev.tabard.vectors.wallet.LocalIssuer;
import dev.tabard.verifier.PresentationOptions;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.VerificationResult;
import dev.tabard.verifier.Verifier;
import dev.tabard.wallet.Wallet;
import dev.tabard.wallet.oid4vci.IssuanceClient;
import dev.tabard.wallet.present.PresentationRequest;
import dev.tabard.wallet.store.CredentialQuery;
import dev.tabard.wallet.store.StoredCredential;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SD-JWT VC end to end: a real issuer (did:web, HTTPS on 127.0.0.1), a real wallet receiving an AgentCredential SD-JWT
 * VC over OpenID4VCI, a presentation disclosing only the operator's contact, a real Verifier accepting it with the
 * private constraint absent, and after a revocation through the admin API the Verifier refusing the credential from
 * the issuer's Token Status List.
 */
@Timeout(120)
class SdJwtEndToEndTest {

    private static final String ADMIN = "tabard_sdjwt-e2e_Hq3vN8xK2pL5mR7tY1cB4dF6gJ9kZ0sW";
    private static final String VERIFIER = "https://verifier.example";
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

    /** A fresh verifier (so a fresh Token Status List cache) that accepts SD-JWT VCs from the local issuer. */
    private Verifier verifier() {
        DidResolver resolver = DidResolvers.of(WebDidResolver.builder().fetcher(issuer.fetcher).build(), new KeyDidResolver());
        return Verifier.builder().resolver(resolver).trustPolicy(TrustPolicy.builder().trustWebDomain("localhost")
                .formats(TrustPolicy.Format.VC_JWT, TrustPolicy.Format.DATA_INTEGRITY, TrustPolicy.Format.DC_SD_JWT).build())
                .fetchPolicy(issuer.fetcher.policy()).build();
    }

    @Test
    void receivedOverOpenId4VciPresentedWithASubsetAndRefusedOnceRevoked() throws Exception {
        try (Wallet w = Wallet.open(dir.resolve("agent.wallet"), "wallet secret".toCharArray(), verifier(),
                new IssuanceClient(issuer.fetcher, Clock.systemUTC()), Clock.systemUTC())) {
            issuer.admin("POST", "/admin/agents", "{\"did\":\"" + w.did() + "\",\"name\":\"buyer\",\"operator\":{\"name\":\"Ops\","
                    + "\"email\":\"ops@acme.example\"},\"capabilities\":[\"purchase\"],\"constraints\":{\"maxTransactionValue\":"
                    + "{\"amount\":\"500\",\"currency\":\"EUR\"},\"dataRegions\":[\"EU\"]},\"privateConstraints\":[\"maxTransactionValue\"]}");
            JsonNode offer = issuer.admin("POST", "/admin/agents/" + w.did() + "/offer?format=dc%2Bsd-jwt", null);
            assertEquals("AgentCredential_dc+sd-jwt", offer.at("/credential_offer/credential_configuration_ids/0").asText());

            StoredCredential held = w.receive(offer.get("offer_url").asText());
            assertEquals(Set.of(SdJwtVc.TYP, "https://w3id.org/tabard/vct/AgentCredential"), held.types());
            assertTrue(SdJwt.parse(held.token()).keyBindingJwt().isEmpty());
            assertEquals(1, w.credentials(CredentialQuery.all()).size());
            assertTrue(w.review().get(0).result().verified(), () -> w.review().get(0).result().errors().toString());
            // a W3C presentation never carries an SD-JWT VC
            assertEquals(ProblemType.MISSING_CAPABILITY, assertThrows(ProblemException.class,
                    () -> w.present(new PresentationRequest("c", VERIFIER, Set.of(), Set.of("purchase")))).type());

            String shown = w.presentSdJwt(new PresentationRequest("c-1", VERIFIER, Set.of(), Set.of("purchase"))
                    .disclose(List.of(List.of("operator", "email"))));
            assertFalse(shown.contains(held.token()), "not every disclosure is presented");
            VerificationResult ok = verifier().verifyPresentation(shown, new PresentationOptions("c-1", VERIFIER));
            assertTrue(ok.verified(), () -> ok.errors().toString());
            assertEquals(List.of(ClaimPath.of("operator", "email")), ok.disclosed());
            assertEquals(w.did(), ok.agent().orElseThrow().agent());
            assertEquals("ops@acme.example", ok.agent().orElseThrow().operator().email().orElseThrow());
            assertTrue(ok.agent().orElseThrow().constraints().maxTransactionValue().isEmpty(), "the private limit stays private");
            assertEquals(ProblemType.UNKNOWN_CONSTRAINT, ok.warnings().get(0).type());
            // the nonce is the verifier's: another challenge refuses it
            assertFalse(verifier().verifyPresentation(shown, new PresentationOptions("c-2", VERIFIER)).verified());

            JsonNode listed = issuer.admin("GET", "/admin/agents/" + w.did() + "/credentials", null).get("credentials").get(0);
            assertEquals(SdJwtVc.TYP, listed.get("format").asText());
            issuer.admin("POST", "/admin/credentials/" + listed.get("id").asText() + "/revoke", null);

            String again = w.presentSdJwt(new PresentationRequest("c-3", VERIFIER, Set.of(), Set.of("purchase")));
            VerificationResult refused = verifier().verifyPresentation(again, new PresentationOptions("c-3", VERIFIER));
            assertFalse(refused.verified());
            assertEquals(ProblemType.CREDENTIAL_REVOKED, refused.errors().get(0).type(), refused.errors().toString());
        }
    }

    @Test
    void renewedBeforeExpiryAsAnSdJwtVc_theOldKeptWhenTheIssuerRefuses() throws Exception {
        try (Wallet w = Wallet.open(dir.resolve("renew.wallet"), "wallet secret".toCharArray(), verifier(),
                new IssuanceClient(issuer.fetcher, Clock.systemUTC()), Clock.systemUTC())) {
            issuer.admin("POST", "/admin/agents", "{\"did\":\"" + w.did() + "\",\"name\":\"buyer\",\"operator\":{\"name\":\"Ops\","
                    + "\"email\":\"ops@acme.example\"},\"capabilities\":[\"purchase\"]}");
            JsonNode offer = issuer.admin("POST", "/admin/agents/" + w.did() + "/offer?format=dc%2Bsd-jwt", null);
            StoredCredential old = w.receive(offer.get("offer_url").asText());
            assertEquals(0, w.renew(java.time.Duration.ofMinutes(10)).size(), "not due yet");

            List<StoredCredential> renewed = w.renew(java.time.Duration.ofHours(2));
            assertEquals(1, renewed.size());
            List<StoredCredential> held = w.credentials(CredentialQuery.all());
            assertEquals(1, held.size());
            assertFalse(held.get(0).id().equals(old.id()), "a new SD-JWT VC replaced the old one");
            assertTrue(held.get(0).types().contains(SdJwtVc.TYP), held.get(0).types().toString());
            assertTrue(w.review().get(0).result().verified(), () -> w.review().get(0).result().errors().toString());
            JsonNode listed = issuer.admin("GET", "/admin/agents/" + w.did() + "/credentials", null).get("credentials");
            assertEquals(2, listed.size());

            // both were issued within a second, so the listing's order does not say which is the new one
            for (JsonNode c : listed) {
                issuer.admin("POST", "/admin/credentials/" + c.get("id").asText() + "/revoke", null);
            }
            ProblemException e = assertThrows(ProblemException.class, () -> w.renew(java.time.Duration.ofHours(2)));
            assertTrue(e.getMessage().contains("credential_request_denied"), e.getMessage());
            assertEquals(List.of(held.get(0).id()), w.credentials(CredentialQuery.all()).stream().map(StoredCredential::id).toList(),
                    "a refused renewal keeps what the wallet held");
        }
    }
}
