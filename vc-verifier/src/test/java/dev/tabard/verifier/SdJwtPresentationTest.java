package dev.tabard.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.codec.Base64Url;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.key.KeyDids;
import dev.tabard.fetch.TestHttpsServer;
import dev.tabard.problem.ProblemType;
import dev.tabard.sdjwt.ClaimPath;
import dev.tabard.sdjwt.Disclosure;
import dev.tabard.sdjwt.KeyBinding;
import dev.tabard.sdjwt.Presentations;
import dev.tabard.sdjwt.SdJwt;
import dev.tabard.sdjwt.status.StatusList;
import dev.tabard.sdjwt.status.StatusListToken;
import dev.tabard.sdjwt.status.StatusReference;
import dev.tabard.sdjwt.vc.AgentSdJwtVc;
import dev.tabard.sdjwt.vc.SdJwtVcIssuer;
import dev.tabard.vc.AgentClaims;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SD-JWT VC presentations through the one {@link Verifier}: an AgentCredential issued with private parts, presented
 * with a key-binding JWT, its status in a Token Status List served over HTTPS on 127.0.0.1; every tamper refused with
 * its problem type.
 */
@Timeout(60)
class SdJwtPresentationTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String AUD = "https://verifier.example";
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    private final KeyPair orgKey = KeyPair.generate(KeyType.P256, RANDOM);
    private final Did org = KeyDids.of(orgKey.publicKey());
    private final String kid = KeyDids.methodId(orgKey.publicKey()).toString();
    private final KeyPair agentKey = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final KeyPair wallet = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final AtomicReference<String> listToken = new AtomicReference<>();
    private TestHttpsServer server;
    private URI listUri;

    @BeforeEach
    void start() throws IOException {
        server = new TestHttpsServer();
        server.handle("/status/1", ex -> TestHttpsServer.send(ex, 200, StatusListToken.MEDIA_TYPE, listToken.get()));
        listUri = URI.create(server.origin() + "/status/1");
        publish(StatusList.of(2, 1024));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void publish(StatusList list) {
        listToken.set(new StatusListToken(listUri, now.minusSeconds(30), Optional.of(now.plusSeconds(3600)), Optional.of(Duration.ofMinutes(5)), list)
                .sign(orgKey, kid, org.toString()));
    }

    private AgentClaims agent() {
        return new AgentClaims(KeyDids.of(agentKey.publicKey()), "Buyer", org, "Acme", new AgentClaims.Operator("Ops", Optional.of("ops@acme.example")),
                Set.of("purchase", "quote"), new AgentClaims.Constraints(Optional.of(new AgentClaims.Money("500", "EUR")), List.of("EU"), "{}"),
                new AgentClaims.Delegation(false, 0));
    }

    private SdJwt issue() {
        return SdJwtVcIssuer.builder(orgKey).kid(kid).issuer(org.toString()).vct(AgentSdJwtVc.VCT).claims(AgentSdJwtVc.claims(agent()))
                .disclosable(AgentSdJwtVc.PRIVATE_BY_DEFAULT).disclosable(ClaimPath.of("constraints", "maxTransactionValue"))
                .holderKey(wallet.publicKey()).issuedAt(now.minusSeconds(60)).expiresAt(now.plus(Duration.ofDays(30)))
                .status(new StatusReference(7, listUri)).decoys(2).issue();
    }

    private SdJwt present(List<ClaimPath> paths, String nonce) {
        return KeyBinding.sign(wallet, Presentations.select(issue(), paths), AUD, nonce, now);
    }

    private TrustPolicy.Builder policy() {
        return TrustPolicy.builder().trustIssuer(org).formats(TrustPolicy.Format.DC_SD_JWT, TrustPolicy.Format.VC_JWT)
                .allowKeyTypes(KeyType.ED25519, KeyType.P256);
    }

    private Verifier verifier(TrustPolicy policy) {
        return Verifier.builder().trustPolicy(policy).fetchPolicy(server.policy().build()).clock(clock).build();
    }

    private VerificationResult verify(String presentation, String nonce) {
        return verifier(policy().build()).verifyPresentation(presentation, new PresentationOptions(nonce, AUD));
    }

    private static void assertRefused(ProblemType type, VerificationResult r) {
        assertFalse(r.verified());
        assertEquals(type, r.errors().get(0).type(), r.errors().toString());
        assertTrue(r.agent().isEmpty());
    }

    @Test
    void verifyPresentation_nothingPrivateDisclosed_acceptedWithAgentWithoutPrivateParts() {
        VerificationResult r = verify(present(List.of(), "n-1").serialize(), "n-1");
        assertTrue(r.verified(), r.toString());
        AgentIdentity a = r.agent().orElseThrow();
        assertEquals(KeyDids.of(agentKey.publicKey()), a.agent());
        assertEquals(org, a.organization());
        assertEquals(Set.of("purchase", "quote"), a.capabilities());
        assertEquals(Optional.empty(), a.operator().email());
        assertEquals(Optional.empty(), a.constraints().maxTransactionValue(), "the private constraint was not disclosed");
        assertEquals(List.of("EU"), a.constraints().dataRegions());
        assertEquals(List.of(), r.disclosed());
        // the claims are those always visible: the withheld email and limit are absent, not null
        var claims = r.claims().orElseThrow();
        assertEquals(org.toString(), claims.get("iss").asText());
        assertFalse(claims.get("operator").has("email"));
        assertFalse(claims.get("constraints").has("maxTransactionValue"));
        assertEquals(Set.of(Check.DATA_MODEL, Check.PROOF, Check.HOLDER_BINDING, Check.VALIDITY_PERIOD, Check.POLICY, Check.STATUS), r.checked());
    }

    @Test
    void verifyPresentation_privatePartsDisclosed_listedAndInTheAgent() {
        VerificationResult r = verify(present(List.of(ClaimPath.of("operator", "email"), ClaimPath.of("constraints", "maxTransactionValue")),
                "n-1").serialize(), "n-1");
        assertTrue(r.verified(), r.toString());
        assertEquals(Set.of(ClaimPath.of("operator", "email"), ClaimPath.of("constraints", "maxTransactionValue")), Set.copyOf(r.disclosed()));
        assertEquals(Optional.of("ops@acme.example"), r.agent().orElseThrow().operator().email());
        assertEquals(Optional.of(new AgentClaims.Money("500", "EUR")), r.agent().orElseThrow().constraints().maxTransactionValue());
        assertEquals(2, r.toJson().get("disclosed").size());
    }

    @Test
    void verifyPresentation_actionWithConstraintsWithheld_refusedAsUnknownConstraint() {
        VerificationResult r = verifier(policy().build()).verifyPresentation(present(List.of(), "n").serialize(),
                new PresentationOptions("n", AUD).withAction(Action.of("purchase").amount("10000", "EUR")));
        assertRefused(ProblemType.UNKNOWN_CONSTRAINT, r);
        VerificationResult identityOnly = verify(present(List.of(), "n-2").serialize(), "n-2");
        assertTrue(identityOnly.verified());
        assertEquals(ProblemType.UNKNOWN_CONSTRAINT, identityOnly.warnings().get(0).type());
        assertTrue(identityOnly.agent().orElseThrow().authority().constraintsWithheld());
        assertEquals(ProblemType.UNKNOWN_CONSTRAINT,
                identityOnly.agent().orElseThrow().authority().authorize(Action.of("quote")).get(0).type(), "not later either");
    }

    @Test
    void verifyPresentation_actionWithConstraintsDisclosed_checkedAgainstThem() {
        List<ClaimPath> constraints = List.of(ClaimPath.of("constraints"));
        VerificationResult within = verifier(policy().build()).verifyPresentation(present(constraints, "n-1").serialize(),
                new PresentationOptions("n-1", AUD).withAction(Action.of("purchase").amount("120", "EUR")));
        assertTrue(within.verified(), within.toString());
        assertEquals(List.of(), within.warnings());
        VerificationResult beyond = verifier(policy().build()).verifyPresentation(present(constraints, "n-2").serialize(),
                new PresentationOptions("n-2", AUD).withAction(Action.of("purchase").amount("501", "EUR")));
        assertRefused(ProblemType.CONSTRAINT_VIOLATED, beyond);
    }

    @Test
    void verifyPresentation_formatNotInPolicy_refused() {
        VerificationResult r = verifier(TrustPolicy.builder().trustIssuer(org).build())
                .verifyPresentation(present(List.of(), "n").serialize(), new PresentationOptions("n", AUD));
        assertRefused(ProblemType.ALGORITHM_NOT_ALLOWED, r);
    }

    @Test
    void verifyPresentation_untrustedIssuerOrMissingCapability_refused() {
        String p = present(List.of(), "n").serialize();
        Did other = KeyDids.of(KeyPair.generate(KeyType.ED25519, RANDOM).publicKey());
        assertRefused(ProblemType.UNTRUSTED_ISSUER, verifier(TrustPolicy.builder().trustIssuer(other)
                .formats(TrustPolicy.Format.DC_SD_JWT).allowKeyTypes(KeyType.ED25519, KeyType.P256).build())
                .verifyPresentation(p, new PresentationOptions("n", AUD)));
        assertRefused(ProblemType.MISSING_CAPABILITY, verifier(policy().requireCapabilities("refund").build())
                .verifyPresentation(p, new PresentationOptions("n", AUD)));
    }

    @Test
    void verifyPresentation_keyBindingTampers_refused() {
        assertRefused(ProblemType.INVALID_CHALLENGE_ERROR, verify(present(List.of(), "n-1").serialize(), "n-2"));
        assertRefused(ProblemType.INVALID_DOMAIN_ERROR, verifier(policy().build())
                .verifyPresentation(present(List.of(), "n").serialize(), new PresentationOptions("n", "https://elsewhere.example")));
        SdJwt stale = KeyBinding.sign(wallet, Presentations.select(issue(), List.of()), AUD, "n", now.minus(Duration.ofMinutes(8)));
        assertRefused(ProblemType.KEY_BINDING_INVALID, verify(stale.serialize(), "n"));
        KeyPair thief = KeyPair.generate(KeyType.ED25519, RANDOM);
        SdJwt stolen = KeyBinding.sign(thief, Presentations.select(issue(), List.of()), AUD, "n", now);
        assertRefused(ProblemType.KEY_BINDING_INVALID, verify(stolen.serialize(), "n"));
        assertRefused(ProblemType.KEY_BINDING_MISSING, verify(Presentations.select(issue(), List.of()).serialize(), "n"));
    }

    @Test
    void verifyPresentation_disclosureTampers_refused() {
        SdJwt shown = present(List.of(ClaimPath.of("operator", "email")), "n");
        Disclosure email = shown.disclosures().get(0);
        String forged = Base64Url.encode(("[\"" + email.salt() + "\",\"email\",\"evil@example.org\"]").getBytes(StandardCharsets.UTF_8));
        assertRefused(ProblemType.SD_JWT_DISCLOSURE_INVALID, verify(shown.serialize().replace(email.encoded(), forged), "n"));

        List<Disclosure> twice = new ArrayList<>(shown.disclosures());
        twice.add(email);
        assertRefused(ProblemType.SD_JWT_DISCLOSURE_INVALID, verify(new SdJwt(shown.issuerJwt(), twice, shown.keyBindingJwt()).serialize(), "n"));

        List<Disclosure> orphan = new ArrayList<>(shown.disclosures());
        orphan.add(Disclosure.ofProperty(RANDOM, "capabilities", JsonCodec.parse("[\"admin\"]")));
        assertRefused(ProblemType.SD_JWT_DISCLOSURE_INVALID, verify(new SdJwt(shown.issuerJwt(), orphan, shown.keyBindingJwt()).serialize(), "n"));

        SdJwt two = present(List.of(ClaimPath.of("operator", "email"), ClaimPath.of("constraints", "maxTransactionValue")), "n");
        List<Disclosure> reordered = new ArrayList<>(two.disclosures());
        Collections.reverse(reordered);
        assertRefused(ProblemType.KEY_BINDING_INVALID, verify(new SdJwt(two.issuerJwt(), reordered, two.keyBindingJwt()).serialize(), "n"));

        String[] parts = shown.issuerJwt().split("\\.");
        var payload = JsonCodec.parseObject(Base64Url.decode(parts[1]));
        ((com.fasterxml.jackson.databind.node.ArrayNode) payload.get("operator").get("_sd")).remove(0);
        String dropped = parts[0] + "." + Base64Url.encode(JsonCodec.write(payload)) + "." + parts[2];
        assertRefused(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, verify(new SdJwt(dropped, shown.disclosures(), shown.keyBindingJwt()).serialize(), "n"));
    }

    @Test
    void verifyPresentation_revokedOrSuspendedInTheTokenStatusList_refused() {
        publish(StatusList.of(2, 1024).with(7, 1));
        assertRefused(ProblemType.CREDENTIAL_REVOKED, verify(present(List.of(), "n").serialize(), "n"));
        publish(StatusList.of(2, 1024).with(7, 2));
        assertRefused(ProblemType.CREDENTIAL_SUSPENDED, verify(present(List.of(), "n").serialize(), "n"));
        publish(StatusList.of(2, 1024).with(6, 1).with(8, 2));
        assertTrue(verify(present(List.of(), "n").serialize(), "n").verified(), "neighbours do not matter");
    }

    @Test
    void verifyPresentation_statusListForAnotherUriOrSignedByAnother_refused() {
        listToken.set(new StatusListToken(URI.create(server.origin() + "/status/2"), now, Optional.empty(), Optional.empty(),
                StatusList.of(1, 1024)).sign(orgKey, kid));
        assertRefused(ProblemType.STATUS_VERIFICATION_ERROR, verify(present(List.of(), "n").serialize(), "n"));
        KeyPair other = KeyPair.generate(KeyType.ED25519, RANDOM);
        listToken.set(new StatusListToken(listUri, now, Optional.empty(), Optional.empty(), StatusList.of(1, 1024))
                .sign(other, KeyDids.methodId(other.publicKey()).toString()));
        assertRefused(ProblemType.STATUS_VERIFICATION_ERROR, verify(present(List.of(), "n").serialize(), "n"));
    }

    @Test
    void verifyPresentation_samePresentationTwice_refusedAsReplay() {
        Verifier v = verifier(policy().build());
        String p = present(List.of(), "n-1").serialize();
        assertTrue(v.verifyPresentation(p, new PresentationOptions("n-1", AUD)).verified());
        assertRefused(ProblemType.PRESENTATION_REPLAYED, v.verifyPresentation(p, new PresentationOptions("n-1", AUD)));
    }

    @Test
    void verifyPresentation_statusList_fetchedOnceWithinItsTtl() {
        Verifier v = verifier(policy().build());
        int before = server.requests.get();
        assertTrue(v.verifyPresentation(present(List.of(), "n-1").serialize(), new PresentationOptions("n-1", AUD)).verified());
        assertTrue(v.verifyPresentation(present(List.of(), "n-2").serialize(), new PresentationOptions("n-2", AUD)).verified());
        assertEquals(1, server.requests.get() - before, "the second verification reads the cached list");
    }

    @Test
    void verifyPresentation_offlineVerifierWithAStatus_failsWithStatusRetrievalError() {
        VerificationResult r = Verifier.builder().trustPolicy(policy().build()).clock(clock).build()
                .verifyPresentation(present(List.of(), "n").serialize(), new PresentationOptions("n", AUD));
        assertRefused(ProblemType.STATUS_RETRIEVAL_ERROR, r);
        assertTrue(r.checked().contains(Check.POLICY) && !r.checked().contains(Check.STATUS), "trusted first, status could not run");
    }

    @Test
    void trustPolicy_fromJson_readsTheMediaTypeSpelling() {
        TrustPolicy p = TrustPolicy.fromJson("{\"trustAnyIssuer\":true,\"formats\":[\"dc+sd-jwt\",\"vc_jwt\"]}".getBytes(StandardCharsets.UTF_8));
        assertEquals(Set.of(TrustPolicy.Format.DC_SD_JWT, TrustPolicy.Format.VC_JWT), p.formats());
    }

    /** An SD-JWT VC as issued is a credential: verified without a holder, its status read; with a KB-JWT it is not. */
    @Test
    void verifyCredential_issuedSdJwtVc_verifiedWithoutHolderBinding_refusedWhenRevokedOrKeyBoundOrNotAccepted() {
        String issued = issue().serialize();
        VerificationResult r = verifier(policy().build()).verifyCredential(issued);
        assertTrue(r.verified(), r.errors()::toString);
        assertEquals(Set.of(Check.DATA_MODEL, Check.PROOF, Check.VALIDITY_PERIOD, Check.POLICY, Check.STATUS), r.checked(),
                "no holder binding: a credential proves no holder");
        assertEquals(KeyDids.of(agentKey.publicKey()), r.agent().orElseThrow().agent());
        assertEquals(Set.of("purchase", "quote"), r.agent().orElseThrow().capabilities());

        assertRefused(ProblemType.MALFORMED_VALUE_ERROR, verifier(policy().build()).verifyCredential(present(List.of(), "n-1").serialize()));
        assertRefused(ProblemType.ALGORITHM_NOT_ALLOWED, verifier(policy().formats(TrustPolicy.Format.VC_JWT).build()).verifyCredential(issued));
        publish(StatusList.of(2, 1024).with(7, 1));
        assertRefused(ProblemType.CREDENTIAL_REVOKED, verifier(policy().build()).verifyCredential(issued));
    }
}
