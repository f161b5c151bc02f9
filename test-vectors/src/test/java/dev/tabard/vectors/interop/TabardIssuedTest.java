package dev.tabard.vectors.interop;

import static dev.tabard.vectors.interop.Outcomes.assertFails;
import static dev.tabard.vectors.interop.Outcomes.assertVerified;
import static dev.tabard.vectors.interop.Outcomes.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.did.Did;
import dev.tabard.did.key.KeyDidResolver;
import dev.tabard.didweb.ResolutionBundle;
import dev.tabard.jsonld.BundledContexts;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.Credential;
import dev.tabard.vc.DelegationClaims;
import dev.tabard.vc.ParentReference;
import dev.tabard.vc.di.DataIntegrity;
import dev.tabard.vc.jose.JoseOptions;
import dev.tabard.vc.jose.VcJose;
import dev.tabard.vc.status.Bitstring;
import dev.tabard.vectors.Vectors;
import dev.tabard.verifier.PresentationOptions;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.VerificationResult;
import dev.tabard.verifier.Verifier;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The committed {@code tabard-issued.json} — what {@link TabardIssued} made and {@code verify.mjs} checked in jose,
 * did-jwt and Digital Bazaar's libraries — still verifies in Tabard, and its tampered copies fail with the expected
 * problem. A change to Tabard's verifier that would reject what peers were shown to accept fails here, without Node.
 */
class TabardIssuedTest {

    private static final JsonNode TABARD = Vectors.json("interop/tabard-issued.json");
    private static final Clock CLOCK = Clock.fixed(Instant.parse(TABARD.get("verifyAt").asText()), ZoneOffset.UTC);
    private static final PresentationOptions BINDING =
            new PresentationOptions(TABARD.get("challenge").asText(), TABARD.get("domain").asText());

    private static Verifier verifier(String statusListJwt) {
        KeyDidResolver resolver = new KeyDidResolver();
        ResolutionBundle bundle = ResolutionBundle.builder(CLOCK.instant())
                .resource(URI.create(TABARD.get("statusListUrl").asText()), "application/vc+jwt",
                        statusListJwt.getBytes(StandardCharsets.US_ASCII))
                .build();
        return Verifier.builder().resolver(resolver).clock(CLOCK)
                .trustPolicy(TrustPolicy.builder().trustIssuer(Did.parse(TABARD.get("issuer").asText())).build())
                .resolutionBundle(bundle).build();
    }

    private static Verifier verifier() {
        return verifier(valid("statusListJwt").asText());
    }

    private static JsonNode valid(String name) {
        return TABARD.get("valid").get(name);
    }

    private static String tampered(String name) {
        return text(TABARD.get("tampered").get(name));
    }

    @Test
    void credentials_verify_tamperedCopiesFailWithTheirProblem() {
        VerificationResult r = verifier().verifyCredential(text(valid("vcJwt")));
        assertVerified(r);
        assertEquals(TABARD.get("agent").asText(), r.agent().orElseThrow().agent().toString());
        assertFails(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, verifier().verifyCredential(tampered("vcJwt")));
        assertVerified(verifier().verifyCredential(text(valid("diCredential"))));
        assertFails(ProblemType.PROOF_VERIFICATION_ERROR, verifier().verifyCredential(tampered("diCredential")));
        assertVerified(verifier().verifyCredential(text(valid("vc11DiCredential"))));
        assertFails(ProblemType.PROOF_VERIFICATION_ERROR, verifier().verifyCredential(tampered("vc11DiCredential")));
    }

    @Test
    void presentations_verifyBoundToChallengeAndDomain_tamperedCopiesFail() {
        assertVerified(verifier().verifyPresentation(text(valid("vpJwt")), BINDING));
        assertFails(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, verifier().verifyPresentation(tampered("vpJwt"), BINDING));
        assertVerified(verifier().verifyPresentation(text(valid("diPresentation")), BINDING));
        assertFails(ProblemType.INVALID_CHALLENGE_ERROR, verifier().verifyPresentation(text(valid("diPresentation")),
                new PresentationOptions("another", BINDING.domain())));
        assertFails(ProblemType.PROOF_VERIFICATION_ERROR, verifier().verifyPresentation(tampered("diPresentation"), BINDING));
    }

    @Test
    void statusLists_verify_carryTheSetBits_andRevokeTheCredentialAtASetBit() {
        assertVerified(verifier().verifyCredential(text(valid("statusListJwt"))));
        assertFails(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, verifier().verifyCredential(tampered("statusListJwt")));
        assertVerified(verifier().verifyCredential(text(valid("statusListDi"))));
        assertFails(ProblemType.PROOF_VERIFICATION_ERROR, verifier().verifyCredential(tampered("statusListDi")));
        Bitstring list = Bitstring.decode(valid("statusListDi").get("credentialSubject").get("encodedList").asText(), 1);
        Set<Long> set = new HashSet<>();
        TABARD.get("setBits").forEach(b -> set.add(b.asLong()));
        for (long i = 0; i < list.length(); i++) {
            assertEquals(set.contains(i) ? 1 : 0, list.get(i), "bit " + i);
        }
        assertFails(ProblemType.CREDENTIAL_REVOKED, verifier().verifyCredential(text(valid("revokedCredential"))));
        // a list whose signature does not hold is not used to decide anything
        assertFails(ProblemType.STATUS_VERIFICATION_ERROR,
                verifier(tampered("statusListJwt")).verifyCredential(text(valid("vcJwt"))));
        Vectors.report("interop: Tabard-issued vc+jwt, vp+jwt, eddsa-rdfc-2022 credentials, presentation and status lists "
                + "(valid, tampered, revoked)", 18, 18);
    }

    @Test
    void delegationLinks_verifyAsOrdinaryCredentials_andArePinnedToTheirParent() {
        KeyDidResolver resolver = new KeyDidResolver();
        JoseOptions options = JoseOptions.strict(CLOCK, Duration.ofSeconds(60));
        VcJose.VerifiedCredential link = VcJose.verifyCredential(text(valid("delegationJwt")), resolver, options);
        DelegationClaims claims = DelegationClaims.from(link.credential());
        assertEquals(TABARD.get("agent").asText(), claims.delegator().toString());
        assertEquals(TABARD.get("delegate").asText(), claims.delegate().toString());
        String rootJwt = text(valid("vcJwt"));
        URI rootId = VcJose.verifyCredential(rootJwt, resolver, options).credential().id().orElseThrow();
        assertTrue(claims.parent().matches(ParentReference.ofToken(rootId, rootJwt)));
        assertFalse(claims.parent().matches(ParentReference.ofToken(rootId, tampered("vcJwt"))));
        assertEquals(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, assertThrows(ProblemException.class,
                () -> VcJose.verifyCredential(tampered("delegationJwt"), resolver, options)).type());

        ObjectNode di = (ObjectNode) valid("delegationDi");
        DataIntegrity.verify(di, resolver, DataIntegrity.Expectations.assertion(CLOCK), BundledContexts.standard());
        DelegationClaims diClaims = DelegationClaims.from(Credential.of(di));
        assertTrue(diClaims.parent().matches(ParentReference.ofDocument(rootId, valid("diCredential"))));
        assertEquals(ProblemType.PROOF_VERIFICATION_ERROR, assertThrows(ProblemException.class, () -> DataIntegrity.verify(
                (ObjectNode) TABARD.get("tampered").get("delegationDi"), resolver, DataIntegrity.Expectations.assertion(CLOCK),
                BundledContexts.standard())).type());
        Vectors.report("interop: Tabard-issued DelegationCredentials (vc+jwt, eddsa-rdfc-2022; valid, tampered, parent digest)", 7, 7);
    }
}
