package dev.tabard.sdjwt.vc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.key.KeyDidResolver;
import dev.tabard.did.key.KeyDids;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.sdjwt.ClaimPath;
import dev.tabard.sdjwt.KeyBinding;
import dev.tabard.sdjwt.Presentations;
import dev.tabard.sdjwt.SdJwt;
import dev.tabard.sdjwt.status.StatusReference;
import dev.tabard.testing.ManualClock;
import dev.tabard.vc.AgentClaims;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SdJwtVcVerifierTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final String AUD = "https://verifier.example";

    private final KeyPair org = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final Did orgDid = KeyDids.of(org.publicKey());
    private final KeyPair wallet = KeyPair.generate(KeyType.P256, RANDOM);
    private final KeyPair agentKey = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final ManualClock clock = new ManualClock(NOW);
    private final SdJwtVcVerifier verifier = SdJwtVcVerifier.builder(new KeyDidResolver(clock)).clock(clock).build();

    private AgentClaims agent() {
        return new AgentClaims(KeyDids.of(agentKey.publicKey()), "Buyer", orgDid, "Acme", new AgentClaims.Operator("Ops", Optional.of("ops@acme.example")),
                Set.of("purchase", "quote"), new AgentClaims.Constraints(Optional.of(new AgentClaims.Money("500", "EUR")), List.of("EU"), "{}"),
                new AgentClaims.Delegation(true, 1));
    }

    private SdJwtVcIssuer issuer() {
        return SdJwtVcIssuer.builder(org).kid(KeyDids.methodId(org.publicKey()).toString()).issuer(orgDid.toString())
                .vct(AgentSdJwtVc.VCT).claims(AgentSdJwtVc.claims(agent())).disclosable(AgentSdJwtVc.PRIVATE_BY_DEFAULT)
                .disclosable(ClaimPath.of("constraints", "maxTransactionValue")).holderKey(wallet.publicKey())
                .issuedAt(NOW.minusSeconds(60)).expiresAt(NOW.plus(Duration.ofDays(30)))
                .status(new StatusReference(7, URI.create("https://acme.example/status/1"))).decoys(2);
    }

    private String present(SdJwt issued, List<ClaimPath> paths, String nonce) {
        return KeyBinding.sign(wallet, Presentations.select(issued, paths), AUD, nonce, NOW).serialize();
    }

    @Test
    void verify_nothingPrivateDisclosed_givesAgentWithoutPrivateParts() {
        VerifiedSdJwtVc vc = verifier.verify(present(issuer().issue(), List.of(), "n"), AUD, "n");
        AgentClaims read = AgentSdJwtVc.read(vc.claims(), vc.issuerDid().orElseThrow());
        assertEquals(Optional.empty(), read.operator().email());
        assertEquals(Optional.empty(), read.constraints().maxTransactionValue());
        assertEquals(List.of("EU"), read.constraints().dataRegions());
        assertEquals(agent().capabilities(), read.capabilities());
        assertEquals(List.of(), vc.disclosedPaths());
        assertEquals(Optional.of(new StatusReference(7, URI.create("https://acme.example/status/1"))), vc.status());
        assertTrue(vc.keyBound());
        assertEquals(AgentSdJwtVc.VCT, vc.vct());
    }

    @Test
    void verify_allDisclosed_givesTheIssuedAgent() {
        String p = present(issuer().issue(), List.of(ClaimPath.of("operator", "email"), ClaimPath.of("constraints")), "n");
        VerifiedSdJwtVc vc = verifier.verify(p, AUD, "n");
        assertEquals(agent(), AgentSdJwtVc.read(vc.claims(), vc.issuerDid().orElseThrow()));
        assertEquals(Set.of(ClaimPath.of("operator", "email"), ClaimPath.of("constraints", "maxTransactionValue")), Set.copyOf(vc.disclosedPaths()));
    }

    @Test
    void verify_missingKeyBinding_refusedUnlessAllowedByName() {
        String bare = Presentations.select(issuer().issue(), List.of()).serialize();
        assertProblem(ProblemType.KEY_BINDING_MISSING, () -> verifier.verify(bare, AUD, "n"));
        SdJwtVcVerifier bearer = SdJwtVcVerifier.builder(new KeyDidResolver(clock)).clock(clock).allowMissingKeyBinding().build();
        assertFalse(bearer.verify(bare, AUD, "n").keyBound());
    }

    @Test
    void verify_wrongNonceOrAudience_refused() {
        String p = present(issuer().issue(), List.of(), "n");
        assertProblem(ProblemType.INVALID_CHALLENGE_ERROR, () -> verifier.verify(p, AUD, "other"));
        assertProblem(ProblemType.INVALID_DOMAIN_ERROR, () -> verifier.verify(p, "https://elsewhere.example", "n"));
    }

    @Test
    void verify_expiredOrNotYetValid_refused() {
        String expired = present(issuer().expiresAt(NOW.minusSeconds(120)).issue(), List.of(), "n");
        assertProblem(ProblemType.CREDENTIAL_EXPIRED, () -> verifier.verify(expired, AUD, "n"));
        String future = present(issuer().notBefore(NOW.plusSeconds(3600)).issue(), List.of(), "n");
        assertProblem(ProblemType.CREDENTIAL_NOT_YET_VALID, () -> verifier.verify(future, AUD, "n"));
    }

    @Test
    void verify_kidOfAnotherDid_refused() {
        KeyPair other = KeyPair.generate(KeyType.ED25519, RANDOM);
        String p = present(SdJwtVcIssuer.builder(other).kid(KeyDids.methodId(other.publicKey()).toString()).issuer(orgDid.toString())
                .vct(AgentSdJwtVc.VCT).claims(AgentSdJwtVc.claims(agent())).holderKey(wallet.publicKey()).issuedAt(NOW).issue(), List.of(), "n");
        assertProblem(ProblemType.INVALID_VERIFICATION_METHOD_URL, () -> verifier.verify(p, AUD, "n"));
    }

    @Test
    void verify_httpsIssuer_refusedAsNotSupported() {
        String p = present(SdJwtVcIssuer.builder(org).kid("https://acme.example#k").issuer("https://acme.example")
                .vct(AgentSdJwtVc.VCT).claims(AgentSdJwtVc.claims(agent())).holderKey(wallet.publicKey()).issuedAt(NOW).issue(), List.of(), "n");
        assertProblem(ProblemType.UNTRUSTED_ISSUER, () -> verifier.verify(p, AUD, "n"));
    }

    @Test
    void verify_legacyTyp_onlyWithTheNamedRelaxation() {
        SdJwt legacy = dev.tabard.sdjwt.SdJwtIssuer.builder(org).kid(KeyDids.methodId(org.publicKey()).toString()).typ(SdJwtVc.LEGACY_TYP)
                .claims((com.fasterxml.jackson.databind.node.ObjectNode) dev.tabard.codec.JsonCodec.parse(
                        "{\"iss\":\"" + orgDid + "\",\"vct\":\"urn:x\",\"iat\":" + NOW.getEpochSecond() + "}"))
                .holderKey(wallet.publicKey()).issue();
        String p = present(legacy, List.of(), "n");
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> verifier.verify(p, AUD, "n"));
        SdJwtVcVerifier lenient = SdJwtVcVerifier.builder(new KeyDidResolver(clock)).clock(clock).acceptLegacyTyp().build();
        assertEquals("urn:x", lenient.verify(p, AUD, "n").vct());
    }

    private String presentFromHttpsIssuer(URI iss, String kid, KeyPair signer) {
        SdJwt issued = SdJwtVcIssuer.builder(signer).kid(kid).issuer(iss.toString()).vct("https://credentials.example/Supplier")
                .claims((com.fasterxml.jackson.databind.node.ObjectNode) dev.tabard.codec.JsonCodec.parse("{\"name\":\"s\",\"tier\":\"gold\"}"))
                .disclosable(ClaimPath.of("tier")).holderKey(wallet.publicKey()).issuedAt(NOW.minusSeconds(60))
                .expiresAt(NOW.plus(Duration.ofDays(1))).issue();
        return present(issued, List.of(ClaimPath.of("tier")), "n");
    }

    @Test
    void verify_httpsIssuer_keyFromItsMetadataByKid() {
        URI iss = URI.create("https://issuer.example/tenants/acme");
        KeyPair other = KeyPair.generate(KeyType.ED25519, RANDOM);
        KeyPair p256 = KeyPair.generate(KeyType.P256, RANDOM);
        JwtVcIssuerMetadata metadata = new JwtVcIssuerMetadata(iss, Optional.of(new IssuerJwks(List.of(
                new IssuerJwks.Entry(Optional.of("k1"), org.publicKey()), new IssuerJwks.Entry(Optional.of("k2"), other.publicKey()),
                new IssuerJwks.Entry(Optional.of("k3"), p256.publicKey())))),
                Optional.empty());
        SdJwtVcVerifier withMetadata = SdJwtVcVerifier.builder(new KeyDidResolver(clock)).clock(clock)
                .issuerMetadata(IssuerMetadataKeys.of(metadata)).build();
        VerifiedSdJwtVc vc = withMetadata.verify(presentFromHttpsIssuer(iss, "k1", org), AUD, "n");
        assertEquals(iss.toString(), vc.issuer());
        assertTrue(vc.issuerDid().isEmpty());
        assertEquals(List.of(ClaimPath.of("tier")), vc.disclosedPaths());
        assertEquals("gold", vc.claims().get("tier").asText());
        // the kid names k2, whose key did not sign it
        assertProblem(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, () -> withMetadata.verify(presentFromHttpsIssuer(iss, "k2", org), AUD, "n"));
        // the key decides the algorithm: an EdDSA JWS naming a P-256 key
        assertProblem(ProblemType.ALGORITHM_NOT_ALLOWED, () -> withMetadata.verify(presentFromHttpsIssuer(iss, "k3", org), AUD, "n"));
        assertProblem(ProblemType.INVALID_VERIFICATION_METHOD_URL, () -> withMetadata.verify(presentFromHttpsIssuer(iss, "k9", org), AUD, "n"));
        // an https issuer whose metadata is not held, and any https issuer for a verifier that takes DIDs only
        assertProblem(ProblemType.UNTRUSTED_ISSUER, () -> withMetadata.verify(
                presentFromHttpsIssuer(URI.create("https://issuer.example/tenants/other"), "k1", org), AUD, "n"));
        assertProblem(ProblemType.UNTRUSTED_ISSUER, () -> verifier.verify(presentFromHttpsIssuer(iss, "k1", org), AUD, "n"));
        assertProblem(ProblemType.UNTRUSTED_ISSUER, () -> withMetadata.verify(
                presentFromHttpsIssuer(URI.create("http://issuer.example/tenants/acme"), "k1", org), AUD, "n"));
    }

    @Test
    void issue_alwaysVisibleClaimsCannotBeMadeDisclosable() {
        assertThrows(IllegalArgumentException.class, () -> issuer().disclosable(ClaimPath.of("status")));
        assertThrows(IllegalArgumentException.class, () -> issuer().disclosable(ClaimPath.of("cnf")));
    }

    static void assertProblem(ProblemType type, org.junit.jupiter.api.function.Executable e) {
        ProblemException x = assertThrows(ProblemException.class, e);
        assertEquals(type, x.type(), x.getMessage());
    }
}
