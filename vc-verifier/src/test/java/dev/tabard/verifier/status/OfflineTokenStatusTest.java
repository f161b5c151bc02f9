package dev.tabard.verifier.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.key.KeyDids;
import dev.tabard.didweb.ResolutionBundle;
import dev.tabard.problem.ProblemType;
import dev.tabard.sdjwt.KeyBinding;
import dev.tabard.sdjwt.Presentations;
import dev.tabard.sdjwt.status.StatusList;
import dev.tabard.sdjwt.status.StatusListToken;
import dev.tabard.sdjwt.status.StatusReference;
import dev.tabard.sdjwt.vc.AgentSdJwtVc;
import dev.tabard.sdjwt.vc.SdJwtVcIssuer;
import dev.tabard.vc.AgentClaims;
import dev.tabard.verifier.Check;
import dev.tabard.verifier.PresentationOptions;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.VerificationResult;
import dev.tabard.verifier.Verifier;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A verifier with a resolution bundle and no network checks an SD-JWT VC's Token Status List from the bundle: the
 * list URI names a host that does not exist, so only the bundle can answer.
 */
class OfflineTokenStatusTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String AUD = "https://verifier.example";
    private static final URI LIST = URI.create("https://status.invalid/lists/1");

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    private final KeyPair orgKey = KeyPair.generate(KeyType.P256, RANDOM);
    private final Did org = KeyDids.of(orgKey.publicKey());
    private final String kid = KeyDids.methodId(orgKey.publicKey()).toString();
    private final KeyPair wallet = KeyPair.generate(KeyType.ED25519, RANDOM);

    private String presentation(String nonce) {
        AgentClaims agent = new AgentClaims(KeyDids.of(KeyPair.generate(KeyType.ED25519, RANDOM).publicKey()), "Buyer", org, "Acme",
                new AgentClaims.Operator("Ops", Optional.of("ops@acme.example")), Set.of("purchase"),
                new AgentClaims.Constraints(Optional.empty(), List.of(), "{}"), new AgentClaims.Delegation(false, 0));
        var issued = SdJwtVcIssuer.builder(orgKey).kid(kid).issuer(org.toString()).vct(AgentSdJwtVc.VCT)
                .claims(AgentSdJwtVc.claims(agent)).disclosable(AgentSdJwtVc.PRIVATE_BY_DEFAULT).holderKey(wallet.publicKey())
                .issuedAt(now.minusSeconds(60)).expiresAt(now.plus(Duration.ofDays(30))).status(new StatusReference(7, LIST)).issue();
        return KeyBinding.sign(wallet, Presentations.select(issued, List.of()), AUD, nonce, now).serialize();
    }

    private VerificationResult verifyWith(String listToken, String nonce) {
        ResolutionBundle bundle = ResolutionBundle.builder(now)
                .resource(LIST, StatusListToken.MEDIA_TYPE, listToken.getBytes(StandardCharsets.US_ASCII)).build();
        TrustPolicy policy = TrustPolicy.builder().trustIssuer(org).formats(TrustPolicy.Format.DC_SD_JWT)
                .allowKeyTypes(KeyType.ED25519, KeyType.P256).build();
        return Verifier.builder().trustPolicy(policy).resolutionBundle(bundle).clock(clock).build()
                .verifyPresentation(presentation(nonce), new PresentationOptions(nonce, AUD));
    }

    private String list(StatusList bits, Instant expires) {
        return new StatusListToken(LIST, now.minus(Duration.ofHours(2)), Optional.of(expires), Optional.empty(), bits)
                .sign(orgKey, kid, org.toString());
    }

    @Test
    void bundledStatusList_verifiesTheStatusWithNoNetwork() {
        VerificationResult r = verifyWith(list(StatusList.of(2, 1024), now.plus(Duration.ofHours(1))), "n-1");
        assertTrue(r.verified(), r.toString());
        assertTrue(r.checked().contains(Check.STATUS));
    }

    @Test
    void bundledStatusList_revoked_refused() {
        VerificationResult r = verifyWith(list(StatusList.of(2, 1024).with(7, 1), now.plus(Duration.ofHours(1))), "n-1");
        assertFalse(r.verified());
        assertEquals(ProblemType.CREDENTIAL_REVOKED, r.errors().get(0).type(), r.errors().toString());
    }

    @Test
    void bundledStatusList_expired_refused() {
        VerificationResult r = verifyWith(list(StatusList.of(2, 1024), now.minusSeconds(120)), "n-1");
        assertFalse(r.verified());
        assertEquals(ProblemType.STATUS_VERIFICATION_ERROR, r.errors().get(0).type(), r.errors().toString());
    }
}
