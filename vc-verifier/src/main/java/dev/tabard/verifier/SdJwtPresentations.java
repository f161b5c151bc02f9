package dev.tabard.verifier;

import dev.tabard.codec.Base64Url;
import dev.tabard.crypto.VerificationKey;
import dev.tabard.did.DidResolver;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.sdjwt.SdJwt;
import dev.tabard.sdjwt.status.StatusListToken;
import dev.tabard.sdjwt.vc.AgentSdJwtVc;
import dev.tabard.sdjwt.vc.IssuerMetadataKeys;
import dev.tabard.sdjwt.vc.SdJwtVcVerifier;
import dev.tabard.sdjwt.vc.VerifiedSdJwtVc;
import dev.tabard.vc.AgentClaims;
import dev.tabard.verifier.replay.ReplayEntry;
import dev.tabard.verifier.replay.ReplayStore;
import dev.tabard.verifier.issuers.IssuerMetadataCache;
import dev.tabard.verifier.status.TokenStatusLists;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * SD-JWT VC presentations ({@code dc+sd-jwt} with a key-binding JWT), checked in the order every presentation is:
 * format, issuer signature and disclosures, key binding to the verifier's challenge and audience, dates, key types,
 * trust policy, status (the only network step, for a credential that could otherwise be accepted), the action asked
 * for, and replay last.
 */
final class SdJwtPresentations {

    private static final dev.tabard.sdjwt.ClaimPath CONSTRAINTS = dev.tabard.sdjwt.ClaimPath.of("constraints");

    private final SdJwtVcVerifier vcs;
    /** For SD-JWT VCs verified as credentials, as issued: no key-binding JWT, so no holder proven. */
    private final SdJwtVcVerifier unbound;
    private final TrustPolicy policy;
    private final CredentialChecks checks;
    private final TokenStatusLists lists;
    private final IssuerMetadataKeys issuerKeys;
    private final ReplayStore replayStore;
    private final Clock clock;

    SdJwtPresentations(DidResolver resolver, TrustPolicy policy, CredentialChecks checks, TokenStatusLists lists,
                       IssuerMetadataCache issuerMetadata, ReplayStore replayStore, Clock clock) {
        // an https issuer's metadata is fetched only when the policy names it
        this.issuerKeys = issuerMetadata.keysFor(policy::trustsIssuerUrl);
        SdJwtVcVerifier.Builder b = SdJwtVcVerifier.builder(resolver).clock(clock).skew(policy.maxClockSkew())
                .issuerMetadata(issuerKeys);
        if (policy.acceptCredentialsNotBoundToHolder()) {
            b.allowMissingKeyBinding();
        }
        this.vcs = b.build();
        this.unbound = SdJwtVcVerifier.builder(resolver).clock(clock).skew(policy.maxClockSkew()).issuerMetadata(issuerKeys)
                .allowMissingKeyBinding().build();
        this.policy = policy;
        this.checks = checks;
        this.lists = lists;
        this.replayStore = replayStore;
        this.clock = clock;
    }

    /** What the checks common to a presentation and a credential accepted: the identity, and the warnings. */
    private record Accepted(Optional<AgentIdentity> agent, List<Problem> warnings) {
    }

    VerificationResult verify(String input, PresentationOptions options, Set<Check> checked) {
        requireFormat();
        String presentation = input.trim();
        VerifiedSdJwtVc vc = vcs.verify(presentation, options.domain(), options.challenge());
        Accepted accepted = accept(vc, checked);
        Optional<AgentIdentity> agent = accepted.agent();
        Instant now = clock.instant();
        if (options.action().isPresent()) {
            Action action = options.action().get();
            AgentIdentity acting = agent.orElseThrow(() -> new ProblemException(ProblemType.MISSING_CAPABILITY,
                    "the presentation carries no AgentCredential, so nothing authorizes " + action.capability()));
            List<Problem> refused = acting.authority().authorize(action);
            if (!refused.isEmpty()) {
                throw new ProblemException(refused);
            }
        }
        if (vc.keyBound()) {
            // the holder's key, the challenge and the key-binding JWT: the same presentation again is a replay
            String holder = "jwk:" + vc.processed().holderKey().orElseThrow().jwkThumbprint();
            String kb = SdJwt.parse(presentation).keyBindingJwt().orElseThrow();
            Instant until = now.plus(Verifier.MAX_PRESENTATION_LIFETIME).plus(policy.maxClockSkew());
            replayStore.remember(ReplayEntry.of(holder, options.challenge() + " " + sha256(kb), until));
        }
        return VerificationResult.verified(agent, accepted.warnings(), checked, vc.disclosedPaths(), vc.claims());
    }

    /**
     * An SD-JWT VC as issued, without a key-binding JWT: everything {@link #verify} checks but the holder, which only a
     * key-binding JWT proves, and the replay guard, which only a presentation needs.
     */
    VerificationResult verifyCredential(String input, Set<Check> checked) {
        requireFormat();
        String token = input.trim();
        if (SdJwt.parse(token).keyBindingJwt().isPresent()) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "this SD-JWT VC carries a key-binding JWT: it is a "
                    + "presentation, verified with verifyPresentation and the challenge and domain it was made for");
        }
        VerifiedSdJwtVc vc = unbound.verify(token, "", "");
        Accepted accepted = accept(vc, checked);
        return VerificationResult.verified(accepted.agent(), accepted.warnings(), checked, vc.disclosedPaths(), vc.claims());
    }

    private void requireFormat() {
        if (!policy.formats().contains(TrustPolicy.Format.DC_SD_JWT)) {
            throw new ProblemException(ProblemType.ALGORITHM_NOT_ALLOWED, "this verifier does not accept " + TrustPolicy.Format.DC_SD_JWT);
        }
    }

    /** Key types, trust, types, age, the identity the claims give, required capabilities and status. */
    private Accepted accept(VerifiedSdJwtVc vc, Set<Check> checked) {
        checked.add(Check.DATA_MODEL);
        checked.add(Check.PROOF);
        checked.add(Check.VALIDITY_PERIOD);
        if (vc.keyBound()) {
            checked.add(Check.HOLDER_BINDING);
        }
        keyType(vc.processed().issuerKey());
        vc.processed().holderKey().ifPresent(SdJwtPresentations.this::keyType);
        boolean trusted = vc.issuerDid().map(policy::trusts).orElseGet(() -> policy.trustsIssuerUrl(URI.create(vc.issuer())));
        if (!trusted) {
            throw new ProblemException(ProblemType.UNTRUSTED_ISSUER, vc.issuer() + " is not a trusted issuer");
        }
        boolean agentCredential = vc.vct().equals(AgentSdJwtVc.VCT);
        if (agentCredential && vc.issuerDid().isEmpty()) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR,
                    "an AgentCredential is issued by its organization's DID, not by the https issuer " + vc.issuer());
        }
        for (String type : policy.requiredTypes()) {
            if (!type.equals(vc.vct()) && !(agentCredential && type.equals(AgentClaims.CREDENTIAL_TYPE))) {
                throw new ProblemException(ProblemType.MISSING_CAPABILITY, "the credential is not a " + type);
            }
        }
        Instant now = clock.instant();
        if (policy.maxCredentialAge().isPresent() && vc.issuedAt().isPresent()
                && vc.issuedAt().get().plus(policy.maxCredentialAge().get()).isBefore(now)) {
            throw new ProblemException(ProblemType.CREDENTIAL_EXPIRED, "the credential is older than this verifier accepts");
        }
        // a constraint the holder withheld (or a digest it cannot be told from) is unknown, not absent: the identity says
        // so, authorizes no action, and the result warns
        boolean withheld = vc.processed().withheld().stream().anyMatch(CONSTRAINTS::isPrefixOf);
        Optional<AgentIdentity> agent = agentCredential
                ? Optional.of(AgentIdentity.sdJwt(AgentSdJwtVc.read(vc.claims(), vc.issuerDid().orElseThrow()), vc.expiresAt(), withheld))
                : Optional.empty();
        List<Problem> warnings = agentCredential && withheld ? List.of(Problem.at(ProblemType.UNKNOWN_CONSTRAINT, "/constraints",
                "the holder withheld some of the agent's constraints; actions cannot be authorized from this presentation"))
                : List.of();
        checks.requireCapabilities(agent.map(AgentIdentity::capabilities).orElse(Set.of()), "the agent");
        checked.add(Check.POLICY);
        if (vc.status().isPresent()) {
            URI uri = vc.status().get().uri();
            StatusListToken list = vc.issuerDid().isPresent() ? lists.get(uri, vc.issuerDid().get(), policy.maxClockSkew())
                    : lists.get(uri, URI.create(vc.issuer()), issuerKeys, policy.maxClockSkew());
            Optional<ProblemType> refused = list.status(vc.status().get().idx()).problem();
            if (refused.isPresent()) {
                throw new ProblemException(refused.get(), "the status list marks this credential " + list.status(vc.status().get().idx()));
            }
        }
        checked.add(Check.STATUS);
        return new Accepted(agent, warnings);
    }

    private void keyType(VerificationKey key) {
        if (!policy.keyTypes().contains(key.type())) {
            throw new ProblemException(ProblemType.ALGORITHM_NOT_ALLOWED, "this verifier does not accept " + key.type() + " keys");
        }
    }

    private static String sha256(String s) {
        try {
            return Base64Url.encode(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
