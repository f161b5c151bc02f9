package dev.tabard.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.DidDocumentBuilder;
import dev.tabard.did.DidResolver;
import dev.tabard.did.DidResolvers;
import dev.tabard.did.DidUrl;
import dev.tabard.did.Relationship;
import dev.tabard.did.VerificationMethod;
import dev.tabard.did.key.KeyDidResolver;
import dev.tabard.did.key.KeyDids;
import dev.tabard.didweb.ResolutionBundle;
import dev.tabard.didweb.WebDidResolver;
import dev.tabard.fetch.FetchPolicy;
import dev.tabard.fetch.SafeFetcher;
import dev.tabard.fetch.TestHttpsServer;
import dev.tabard.jsonld.BundledContexts;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.AgentClaims;
import dev.tabard.vc.di.DataIntegrity;
import dev.tabard.vc.di.ProofOptions;
import dev.tabard.vc.jose.VcJose;
import dev.tabard.vc.status.Bitstring;
import dev.tabard.vc.status.StatusListCredentials;
import dev.tabard.vc.status.StatusPurpose;
import dev.tabard.verifier.replay.ReplayGuard;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The whole verification path against a real HTTPS server on 127.0.0.1 serving an org's did:web and status lists. */
class VerifierTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String DOMAIN = "https://verifier.example";
    private final Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    private final Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    private final KeyPair orgKey = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final KeyPair agentKey = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final Did agent = KeyDids.of(agentKey.publicKey());
    private final AtomicReference<Bitstring> revocations = new AtomicReference<>(Bitstring.create(Bitstring.MIN_ENTRIES, 1));
    private final AtomicReference<Bitstring> suspensions = new AtomicReference<>(Bitstring.create(Bitstring.MIN_ENTRIES, 1));
    private TestHttpsServer server;
    private Did org;
    private DidUrl jwkKid;
    private DidUrl multikeyVm;
    private URI revocationList;
    private URI suspensionList;

    @BeforeEach
    void start() throws IOException {
        server = new TestHttpsServer();
        org = Did.parse("did:web:localhost%3A" + server.port());
        jwkKid = org.withFragment("key-1");
        multikeyVm = org.withFragment("key-1-multikey");
        byte[] doc = DidDocumentBuilder.forDid(org)
                .method(new VerificationMethod(jwkKid, org, orgKey.publicKey(), VerificationMethod.JSON_WEB_KEY), Relationship.ASSERTION_METHOD)
                .method(new VerificationMethod(multikeyVm, org, orgKey.publicKey(), VerificationMethod.MULTIKEY), Relationship.ASSERTION_METHOD)
                .toJson();
        server.handle("/.well-known/did.json", ex -> TestHttpsServer.send(ex, 200, "application/did+json", new String(doc, StandardCharsets.UTF_8)));
        revocationList = URI.create(server.origin() + "/status/1");
        suspensionList = URI.create(server.origin() + "/status/2");
        server.handle("/status/1", ex -> TestHttpsServer.send(ex, 200, "application/vc+jwt", statusList(revocationList, StatusPurpose.REVOCATION, revocations.get())));
        server.handle("/status/2", ex -> TestHttpsServer.send(ex, 200, "application/vc+jwt", statusList(suspensionList, StatusPurpose.SUSPENSION, suspensions.get())));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String statusList(URI id, StatusPurpose purpose, Bitstring list) {
        ObjectNode vc = StatusListCredentials.credential(id, org.toString(), purpose, list, now.minusSeconds(60), now.plusSeconds(300));
        return VcJose.secureCredential(vc, orgKey, jwkKid, now);
    }

    private DidResolver resolver(SafeFetcher fetcher) {
        return DidResolvers.of(WebDidResolver.builder().fetcher(fetcher).clock(clock).build(), new KeyDidResolver());
    }

    private Verifier verifier(TrustPolicy policy) {
        SafeFetcher fetcher = new SafeFetcher(server.policy().build());
        DidResolver resolver = resolver(fetcher);
        return Verifier.builder().resolver(resolver).clock(clock).trustPolicy(policy)
                .fetchPolicy(fetcher.policy())
                .replayGuard(ReplayGuard.inMemory(clock)).build();
    }

    private TrustPolicy trustOrg() {
        return TrustPolicy.builder().trustWebDomain("localhost").requireCapabilities("supplier:lookup").build();
    }

    private ObjectNode agentCredential() {
        AgentClaims claims = new AgentClaims(agent, "procurement-agent", org, "ACME Corp",
                new AgentClaims.Operator("Procurement team", Optional.of("procurement@acme.example")),
                Set.of("purchase-order:negotiate", "supplier:lookup"),
                new AgentClaims.Constraints(Optional.of(new AgentClaims.Money("5000", "EUR")), List.of("EU"), "{}"),
                new AgentClaims.Delegation(true, 1));
        return claims.credential(URI.create("urn:uuid:" + java.util.UUID.randomUUID()), now.minusSeconds(60), now.plusSeconds(3600),
                List.of(AgentClaims.statusEntry(revocationList, "revocation", 94567),
                        AgentClaims.statusEntry(suspensionList, "suspension", 23452)));
    }

    private String vcJwt() {
        return VcJose.secureCredential(agentCredential(), orgKey, jwkKid, now);
    }

    private String present(KeyPair holder, String vcJwt, String nonce) {
        return VcJose.securePresentation(VcJose.presentationOf(List.of(vcJwt)), holder, KeyDids.methodId(holder.publicKey()), nonce,
                DOMAIN, "urn:uuid:" + java.util.UUID.randomUUID(), now, now.plusSeconds(120));
    }

    private static ProblemType firstError(VerificationResult r) {
        assertFalse(r.verified());
        return r.errors().get(0).type();
    }

    @Test
    void presentationWithoutCredentials_provesTheHoldersKeyOnly_noAgent_andMeetsNoCapabilityPolicy() {
        String vp = VcJose.securePresentation(VcJose.presentationOf(List.of()), agentKey, KeyDids.methodId(agentKey.publicKey()),
                "n-empty", DOMAIN, "urn:uuid:" + RANDOM.nextLong(), now, now.plusSeconds(60));
        PresentationOptions options = new PresentationOptions("n-empty", DOMAIN);
        VerificationResult open = verifier(TrustPolicy.builder().trustAnyIssuer().build()).verifyPresentation(vp, options);
        assertTrue(open.verified(), open.errors().toString());
        assertTrue(open.agent().isEmpty(), "no credential, no agent identity");
        assertTrue(open.checked().contains(Check.PROOF) && open.checked().contains(Check.HOLDER_BINDING), open.checked().toString());
        VerificationResult withPolicy = verifier(trustOrg()).verifyPresentation(vp, options);
        assertFalse(withPolicy.verified());
        assertEquals(ProblemType.MISSING_CAPABILITY, withPolicy.errors().get(0).type());
        String forged = VcJose.securePresentation(VcJose.presentationOf(List.of()), KeyPair.generate(KeyType.ED25519, RANDOM),
                KeyDids.methodId(agentKey.publicKey()), "n-empty", DOMAIN, "urn:uuid:" + RANDOM.nextLong(), now, now.plusSeconds(60));
        assertFalse(verifier(TrustPolicy.builder().trustAnyIssuer().build()).verifyPresentation(forged, options).verified(),
                "its proof is still checked");
    }

    @Test
    void agentPresentationVerifiesToItsIdentity() {
        VerificationResult r = verifier(trustOrg()).verifyPresentation(present(agentKey, vcJwt(), "c-1"), new PresentationOptions("c-1", DOMAIN));
        assertTrue(r.verified(), () -> r.errors().toString());
        AgentIdentity id = r.agent().orElseThrow();
        assertEquals(agent, id.agent());
        assertEquals(org, id.organization());
        assertTrue(id.capabilities().contains("supplier:lookup"));
        assertEquals(Set.of(Check.values()), r.checked());
        assertEquals(true, r.toJson().get("verified").asBoolean());
    }

    @Test
    void replayedPresentationIsRefused() {
        Verifier v = verifier(trustOrg());
        String vp = present(agentKey, vcJwt(), "c-1");
        assertTrue(v.verifyPresentation(vp, new PresentationOptions("c-1", DOMAIN)).verified());
        assertEquals(ProblemType.PRESENTATION_REPLAYED, firstError(v.verifyPresentation(vp, new PresentationOptions("c-1", DOMAIN))));
        assertEquals(ProblemType.INVALID_CHALLENGE_ERROR, firstError(v.verifyPresentation(present(agentKey, vcJwt(), "c-1"),
                new PresentationOptions("c-2", DOMAIN))));
        assertEquals(ProblemType.INVALID_DOMAIN_ERROR, firstError(v.verifyPresentation(present(agentKey, vcJwt(), "c-3"),
                new PresentationOptions("c-3", "https://other.example"))));
    }

    @Test
    void revokedAndSuspendedCredentialsFail() {
        String vc = vcJwt();
        assertTrue(verifier(trustOrg()).verifyCredential(vc).verified());
        suspensions.set(suspensions.get().with(23452, 1));
        assertEquals(ProblemType.CREDENTIAL_SUSPENDED, firstError(verifier(trustOrg()).verifyCredential(vc)));
        revocations.set(revocations.get().with(94567, 1));
        assertEquals(ProblemType.CREDENTIAL_REVOKED, firstError(verifier(trustOrg()).verifyPresentation(present(agentKey, vc, "c-9"),
                new PresentationOptions("c-9", DOMAIN))));
    }

    @Test
    void anotherHolderCannotPresentTheCredential() {
        KeyPair thief = KeyPair.generate(KeyType.ED25519, RANDOM);
        assertEquals(ProblemType.HOLDER_MISMATCH, firstError(verifier(trustOrg()).verifyPresentation(present(thief, vcJwt(), "c-1"),
                new PresentationOptions("c-1", DOMAIN))));
        // nor once the verifier has verified it for its holder and kept the token
        Verifier v = verifier(trustOrg());
        String vc = vcJwt();
        assertTrue(v.verifyPresentation(present(agentKey, vc, "c-2"), new PresentationOptions("c-2", DOMAIN)).verified());
        assertEquals(ProblemType.HOLDER_MISMATCH, firstError(v.verifyPresentation(present(thief, vc, "c-3"),
                new PresentationOptions("c-3", DOMAIN))));
        assertTrue(v.verifyPresentation(present(agentKey, vc, "c-4"), new PresentationOptions("c-4", DOMAIN)).verified());
    }

    @Test
    void verifyPresentation_credentialAboutSomeoneElse_refusedWithHolderMismatchUnderAnyPolicyThatDoesNotRelaxIt() {
        KeyPair other = KeyPair.generate(KeyType.ED25519, RANDOM);
        for (TrustPolicy policy : List.of(trustOrg(), TrustPolicy.builder().trustAnyIssuer().build(),
                TrustPolicy.fromJson("{\"trustAnyIssuer\":true}".getBytes(StandardCharsets.UTF_8)))) {
            VerificationResult r = verifier(policy).verifyPresentation(present(other, vcJwt(), "c-r"), new PresentationOptions("c-r", DOMAIN));
            assertEquals(ProblemType.HOLDER_MISMATCH, firstError(r), policy.toString());
            assertTrue(r.agent().isEmpty());
        }
    }

    @Test
    void verifyPresentation_credentialAboutSomeoneElseWithAcceptCredentialsNotBoundToHolder_verifiesWithWarningAndNoIdentity() {
        KeyPair other = KeyPair.generate(KeyType.ED25519, RANDOM);
        TrustPolicy fromFile = TrustPolicy.fromJson(("{\"trustedWebDomains\":[\"localhost\"],"
                + "\"acceptCredentialsNotBoundToHolder\":true}").getBytes(StandardCharsets.UTF_8));
        for (TrustPolicy relaxed : List.of(fromFile, TrustPolicy.builder().trustAnyIssuer().acceptCredentialsNotBoundToHolder().build())) {
            assertTrue(relaxed.acceptCredentialsNotBoundToHolder());
            VerificationResult r = verifier(relaxed).verifyPresentation(present(other, vcJwt(), "c-u"), new PresentationOptions("c-u", DOMAIN));
            assertTrue(r.verified(), r.errors().toString());
            assertTrue(r.agent().isEmpty(), "no identity from a credential the holder is not the subject of");
            assertEquals(ProblemType.HOLDER_MISMATCH, r.warnings().get(0).type());
            VerificationResult own = verifier(relaxed).verifyPresentation(present(agentKey, vcJwt(), "c-b"),
                    new PresentationOptions("c-b", DOMAIN));
            assertTrue(own.agent().isPresent() && own.warnings().isEmpty(), "a bound credential still gives the identity");
        }
        // a relaxation is written as JSON true, not as something that might mean yes
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, assertThrows(ProblemException.class, () -> TrustPolicy.fromJson(
                "{\"acceptCredentialsNotBoundToHolder\":\"yes\"}".getBytes(StandardCharsets.UTF_8))).type());
    }

    @Test
    void onlyAcceptedPresentationsTakeRoomInTheReplayGuard() {
        ReplayGuard guard = ReplayGuard.inMemory(clock);
        SafeFetcher fetcher = new SafeFetcher(server.policy().build());
        DidResolver resolver = resolver(fetcher);
        Verifier v = Verifier.builder().resolver(resolver).clock(clock).replayGuard(guard)
                .trustPolicy(TrustPolicy.builder().trustWebDomain("acme.example").build())
                .fetchPolicy(fetcher.policy()).build();
        assertEquals(ProblemType.UNTRUSTED_ISSUER, firstError(v.verifyPresentation(present(agentKey, vcJwt(), "c-1"),
                new PresentationOptions("c-1", DOMAIN))));
        assertEquals(0, guard.size());
        Verifier trusting = Verifier.builder().resolver(resolver).clock(clock).replayGuard(guard).trustPolicy(trustOrg())
                .fetchPolicy(fetcher.policy()).build();
        String vp = present(agentKey, vcJwt(), "c-2");
        assertTrue(trusting.verifyPresentation(vp, new PresentationOptions("c-2", DOMAIN)).verified());
        assertEquals(2, guard.size()); // the holder's nonce and the jti
        assertEquals(ProblemType.PRESENTATION_REPLAYED, firstError(trusting.verifyPresentation(vp, new PresentationOptions("c-2", DOMAIN))));
    }

    @Test
    void policyDecidesIssuerAndCapabilities() {
        assertEquals(ProblemType.UNTRUSTED_ISSUER, firstError(verifier(TrustPolicy.builder().trustWebDomain("acme.example").build())
                .verifyCredential(vcJwt())));
        assertEquals(ProblemType.MISSING_CAPABILITY, firstError(verifier(TrustPolicy.builder().trustIssuer(org)
                .requireCapabilities("treasury:transfer").build()).verifyCredential(vcJwt())));
        assertEquals(ProblemType.ALGORITHM_NOT_ALLOWED, firstError(verifier(TrustPolicy.builder().trustIssuer(org)
                .allowKeyTypes(KeyType.P256).build()).verifyCredential(vcJwt())));
    }

    @Test
    void expiredAndForgedCredentialsFail() {
        ObjectNode old = agentCredential();
        old.put("validFrom", now.minusSeconds(7200).toString());
        old.put("validUntil", now.minusSeconds(3600).toString());
        String expired = VcJose.secureCredential(old, orgKey, jwkKid, now.minusSeconds(7200));
        ProblemType t = firstError(verifier(trustOrg()).verifyCredential(expired));
        assertEquals(ProblemType.CREDENTIAL_EXPIRED, t);
        String forged = VcJose.secureCredential(agentCredential(), KeyPair.generate(KeyType.ED25519, RANDOM), jwkKid, now);
        assertEquals(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, firstError(verifier(trustOrg()).verifyCredential(forged)));
        assertEquals(ProblemType.PARSING_ERROR, firstError(verifier(trustOrg()).verifyCredential("{not json")));
        assertEquals(ProblemType.INPUT_TOO_LARGE, firstError(verifier(trustOrg()).verifyCredential("a".repeat(Verifier.MAX_INPUT + 1))));
    }

    @Test
    void dataIntegrityCredentialVerifies() {
        ObjectNode signed = DataIntegrity.sign(agentCredential(), orgKey, ProofOptions.assertion("eddsa-rdfc-2022", multikeyVm, now),
                BundledContexts.standard());
        VerificationResult r = verifier(trustOrg()).verifyCredential(signed.toString());
        assertTrue(r.verified(), () -> r.errors().toString());
        assertEquals(agent, r.agent().orElseThrow().agent());
        ((ObjectNode) signed.get("credentialSubject")).putArray("capabilities").add("treasury:transfer");
        assertEquals(ProblemType.PROOF_VERIFICATION_ERROR, firstError(verifier(trustOrg()).verifyCredential(signed.toString())));
    }

    @Test
    void unreachableStatusListFailsClosedUnlessStalenessIsAllowed() {
        String vc = vcJwt();
        SafeFetcher fetcher = new SafeFetcher(server.policy().build());
        DidResolver resolver = resolver(fetcher);
        AtomicReference<Instant> time = new AtomicReference<>(now);
        Clock moving = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return time.get();
            }
        };
        Verifier strict = Verifier.builder().resolver(resolver).clock(moving).trustPolicy(trustOrg()).fetchPolicy(fetcher.policy()).build();
        Verifier lenient = Verifier.builder().resolver(resolver).clock(moving).fetchPolicy(fetcher.policy())
                .trustPolicy(TrustPolicy.builder().trustWebDomain("localhost").acceptStaleStatusFor(Duration.ofMinutes(30)).build()).build();
        assertTrue(strict.verifyCredential(vc).verified());
        assertTrue(lenient.verifyCredential(vc).verified());
        server.close();
        time.set(now.plusSeconds(600)); // the lists (valid 5 minutes) are stale now
        assertEquals(ProblemType.STATUS_RETRIEVAL_ERROR, firstError(strict.verifyCredential(vc)));
        assertTrue(lenient.verifyCredential(vc).verified());
    }

    @Test
    void offlineWithABundleMakesNoNetworkCalls() {
        String vc = vcJwt();
        byte[] didDoc = resolver(new SafeFetcher(server.policy().build())).resolve(org).document().json().getBytes(StandardCharsets.UTF_8);
        ResolutionBundle bundle = ResolutionBundle.builder(now).document(org, didDoc)
                .resource(revocationList, "application/vc+jwt", statusList(revocationList, StatusPurpose.REVOCATION, revocations.get()).getBytes())
                .resource(suspensionList, "application/vc+jwt", statusList(suspensionList, StatusPurpose.SUSPENSION, suspensions.get()).getBytes())
                .build();
        int before = server.requests.get();
        SafeFetcher forbidden = new SafeFetcher(FetchPolicy.defaults()); // would refuse 127.0.0.1 anyway
        DidResolver offline = DidResolvers.of(WebDidResolver.offline(bundle), new KeyDidResolver());
        Verifier v = Verifier.builder().resolver(offline).clock(clock).trustPolicy(trustOrg())
                .resolutionBundle(bundle).build();
        VerificationResult r = v.verifyPresentation(present(agentKey, vc, "c-offline"), new PresentationOptions("c-offline", DOMAIN));
        assertTrue(r.verified(), () -> r.errors().toString());
        assertEquals(before, server.requests.get());
        assertEquals(0, forbidden.connections());
    }

    @Test
    void policyFilesAreReadStrictly() {
        TrustPolicy p = TrustPolicy.fromJson(("{\"trustedIssuers\":[\"" + org + "\"],\"requiredCapabilities\":[\"supplier:lookup\"],"
                + "\"formats\":[\"vc_jwt\"],\"maxClockSkew\":\"PT30S\",\"statusStaleness\":\"PT10M\"}").getBytes(StandardCharsets.UTF_8));
        assertTrue(p.trusts(org));
        assertEquals(Duration.ofSeconds(30), p.maxClockSkew());
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, assertThrows(ProblemException.class,
                () -> TrustPolicy.fromJson("{\"trustedIsuers\":[]}".getBytes(StandardCharsets.UTF_8))).type());
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, assertThrows(ProblemException.class,
                () -> TrustPolicy.fromJson("{\"maxClockSkew\":\"PT1H\"}".getBytes(StandardCharsets.UTF_8))).type());
        assertFalse(TrustPolicy.builder().build().trusts(org));
    }

}
