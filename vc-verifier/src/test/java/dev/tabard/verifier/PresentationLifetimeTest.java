package dev.tabard.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.DidResolver;
import dev.tabard.did.DidResolvers;
import dev.tabard.did.Relationship;
import dev.tabard.did.key.KeyDidResolver;
import dev.tabard.did.key.KeyDids;
import dev.tabard.jsonld.BundledContexts;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.AgentClaims;
import dev.tabard.vc.di.DataIntegrity;
import dev.tabard.vc.di.ProofOptions;
import dev.tabard.vc.jose.VcJose;
import dev.tabard.verifier.replay.ReplayGuard;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Defect 3 (replay half): presentations claiming long lifetimes are refused before they reach the replay guard, and one
 * holder cannot fill the guard. Real did:key holders, real signatures, vp+jwt and Data Integrity.
 */
class PresentationLifetimeTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String DOMAIN = "https://verifier.example";
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    private final KeyPair orgKey = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final Did org = KeyDids.of(orgKey.publicKey());
    private final DidResolver resolver = DidResolvers.of(new KeyDidResolver());

    private Verifier verifier(ReplayGuard guard) {
        return Verifier.builder().resolver(resolver).clock(clock).replayGuard(guard)
                .trustPolicy(TrustPolicy.builder().trustIssuer(org).build()).build();
    }

    /** An AgentCredential for {@code agentKey}'s did:key, issued by the org as a vc+jwt, without status entries. */
    private String credentialFor(KeyPair agentKey) {
        AgentClaims claims = new AgentClaims(KeyDids.of(agentKey.publicKey()), "agent", org, "ACME Corp",
                new AgentClaims.Operator("Ops", Optional.empty()), Set.of("supplier:lookup"),
                new AgentClaims.Constraints(Optional.empty(), List.of(), "{}"), new AgentClaims.Delegation(false, 0));
        ObjectNode vc = claims.credential(URI.create("urn:uuid:" + UUID.randomUUID()), now.minusSeconds(60), now.plusSeconds(3600),
                List.of());
        return VcJose.secureCredential(vc, orgKey, KeyDids.methodId(orgKey.publicKey()), now);
    }

    private String vpJwt(KeyPair holder, String nonce, Instant iat, Instant exp) {
        return VcJose.securePresentation(VcJose.presentationOf(List.of(credentialFor(holder))), holder,
                KeyDids.methodId(holder.publicKey()), nonce, DOMAIN, "urn:uuid:" + UUID.randomUUID(), iat, exp);
    }

    private String diPresentation(KeyPair holder, String challenge, Optional<Instant> expires) {
        ObjectNode vp = VcJose.presentationOf(List.of(credentialFor(holder)));
        vp.put("holder", KeyDids.of(holder.publicKey()).toString());
        ProofOptions options = new ProofOptions("eddsa-rdfc-2022", KeyDids.methodId(holder.publicKey()), Relationship.AUTHENTICATION,
                now, expires, Optional.of(challenge), Optional.of(DOMAIN));
        return DataIntegrity.sign(vp, holder, options, BundledContexts.standard()).toString();
    }

    private static ProblemType firstError(VerificationResult r) {
        assertFalse(r.verified());
        return r.errors().get(0).type();
    }

    @Test
    void vpJwt_expiringInYear9999_failsWithLifetimeTooLongAndTakesNoRoomInTheGuard() {
        ReplayGuard guard = new ReplayGuard(1_000, clock);
        KeyPair agent = KeyPair.generate(KeyType.ED25519, RANDOM);
        String vp = vpJwt(agent, "c-1", now, Instant.parse("9999-12-31T23:59:59Z"));
        assertEquals(ProblemType.LIFETIME_TOO_LONG, firstError(verifier(guard).verifyPresentation(vp, new PresentationOptions("c-1", DOMAIN))));
        assertEquals(0, guard.size());
    }

    @Test
    void vpJwt_lifetimeAtTheCap_verifiesAndOneSecondOverFails() {
        Verifier v = verifier(new ReplayGuard(1_000, clock));
        KeyPair agent = KeyPair.generate(KeyType.ED25519, RANDOM);
        VerificationResult atCap = v.verifyPresentation(vpJwt(agent, "c-1", now, now.plus(Verifier.MAX_PRESENTATION_LIFETIME)),
                new PresentationOptions("c-1", DOMAIN));
        assertTrue(atCap.verified(), () -> atCap.errors().toString());
        assertEquals(ProblemType.LIFETIME_TOO_LONG, firstError(v.verifyPresentation(
                vpJwt(agent, "c-2", now, now.plus(Verifier.MAX_PRESENTATION_LIFETIME).plusSeconds(1)), new PresentationOptions("c-2", DOMAIN))));
        // the window opens at iat: signed 8 minutes ago and valid 5 more is 13 minutes
        assertEquals(ProblemType.LIFETIME_TOO_LONG, firstError(v.verifyPresentation(
                vpJwt(agent, "c-3", now.minusSeconds(480), now.plusSeconds(300)), new PresentationOptions("c-3", DOMAIN))));
    }

    @Test
    void dataIntegrityPresentation_expiringInYear9999_failsWithLifetimeTooLong() {
        ReplayGuard guard = new ReplayGuard(1_000, clock);
        KeyPair agent = KeyPair.generate(KeyType.ED25519, RANDOM);
        String vp = diPresentation(agent, "c-1", Optional.of(Instant.parse("9999-12-31T23:59:59Z")));
        assertEquals(ProblemType.LIFETIME_TOO_LONG, firstError(verifier(guard).verifyPresentation(vp, new PresentationOptions("c-1", DOMAIN))));
        assertEquals(0, guard.size());
    }

    @Test
    void dataIntegrityPresentation_withoutExpires_isRememberedForTheCapAndThenForgotten() {
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
        ReplayGuard guard = new ReplayGuard(1_000, moving);
        Verifier v = Verifier.builder().resolver(resolver).clock(moving).replayGuard(guard)
                .trustPolicy(TrustPolicy.builder().trustIssuer(org).build()).build();
        KeyPair agent = KeyPair.generate(KeyType.ED25519, RANDOM);
        String vp = diPresentation(agent, "c-1", Optional.empty());
        VerificationResult first = v.verifyPresentation(vp, new PresentationOptions("c-1", DOMAIN));
        assertTrue(first.verified(), () -> first.errors().toString());
        assertEquals(1, guard.size());
        time.set(now.plus(Verifier.MAX_PRESENTATION_LIFETIME));
        assertEquals(ProblemType.PRESENTATION_REPLAYED, firstError(v.verifyPresentation(vp, new PresentationOptions("c-1", DOMAIN))));
        // remembered for the cap plus the policy's skew from verification, then the room is given back
        time.set(now.plus(Verifier.MAX_PRESENTATION_LIFETIME).plus(v.policy().maxClockSkew()).plusSeconds(2));
        guard.purge();
        assertEquals(0, guard.size());
    }

    @Test
    void oneHolderFlooding_isShedWhileAnotherHolderIsServed() {
        ReplayGuard guard = new ReplayGuard(64, 8, clock);
        Verifier v = verifier(guard);
        KeyPair abuser = KeyPair.generate(KeyType.ED25519, RANDOM);
        KeyPair honest = KeyPair.generate(KeyType.ED25519, RANDOM);
        int accepted = 0;
        ProblemType refusal = null;
        for (int i = 0; i < 20 && refusal == null; i++) {
            VerificationResult r = v.verifyPresentation(vpJwt(abuser, "a-" + i, now, now.plusSeconds(600)),
                    new PresentationOptions("a-" + i, DOMAIN));
            if (r.verified()) {
                accepted++;
            } else {
                refusal = r.errors().get(0).type();
            }
        }
        assertEquals(4, accepted, "each vp+jwt takes two entries (nonce and jti) of the holder's eight");
        assertEquals(ProblemType.CLIENT_LIMIT_EXCEEDED, refusal);
        VerificationResult r = v.verifyPresentation(vpJwt(honest, "h-1", now, now.plusSeconds(120)), new PresentationOptions("h-1", DOMAIN));
        assertTrue(r.verified(), () -> r.errors().toString());
    }
}
