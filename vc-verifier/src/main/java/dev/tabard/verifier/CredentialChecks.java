package dev.tabard.verifier;

import dev.tabard.did.Did;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.AgentClaims;
import dev.tabard.vc.Credential;
import dev.tabard.vc.StatusEntry;
import dev.tabard.vc.status.StatusListCredentials;
import dev.tabard.verifier.status.StatusListCache;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a credential must meet once its proof verified: its validity period and the trust policy first, its status
 * last. Status is the only check that reaches the network, so it runs only for a credential that could otherwise be
 * accepted: an untrusted issuer cannot make this verifier wait on a status host of its choosing.
 */
final class CredentialChecks {

    private final TrustPolicy policy;
    private final StatusListCache statusLists;
    private final Clock clock;

    CredentialChecks(TrustPolicy policy, StatusListCache statusLists, Clock clock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.statusLists = Objects.requireNonNull(statusLists, "statusLists");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Validity period, format, key type, issuer trust, required types, age and capabilities; no network.
     *
     * @return the agent the credential describes, if it is an AgentCredential
     * @throws ProblemException {@code CREDENTIAL_NOT_YET_VALID}, {@code CREDENTIAL_EXPIRED}, {@code ALGORITHM_NOT_ALLOWED},
     *     {@code UNTRUSTED_ISSUER}, {@code MISSING_CAPABILITY}
     */
    Optional<AgentIdentity> policy(SecuredCredential s, Set<Check> checked) {
        Credential c = s.credential();
        trusted(s, checked);
        Optional<AgentIdentity> agent = Optional.empty();
        if (c.types().contains(AgentClaims.CREDENTIAL_TYPE)) {
            agent = Optional.of(AgentIdentity.direct(AgentClaims.from(c), c, s.reference()));
        }
        requireCapabilities(agent.map(AgentIdentity::capabilities).orElse(Set.of()), "the agent");
        checked.add(Check.POLICY);
        return agent;
    }

    /**
     * What the root of a delegation chain must meet: everything {@link #policy} checks but the capabilities, which the
     * chain's effective grant must hold instead ({@link #requireCapabilities}).
     */
    void trusted(SecuredCredential s, Set<Check> checked) {
        Credential c = s.credential();
        inPeriodAndForm(s, checked);
        Did issuer = issuer(c);
        if (!policy.trusts(issuer)) {
            throw new ProblemException(ProblemType.UNTRUSTED_ISSUER, issuer + " is not a trusted issuer");
        }
        for (String type : policy.requiredTypes()) {
            if (!c.types().contains(type)) {
                throw new ProblemException(ProblemType.MISSING_CAPABILITY, "the credential is not a " + type);
            }
        }
        if (policy.maxCredentialAge().isPresent() && c.validFrom().isPresent()
                && c.validFrom().get().plus(policy.maxCredentialAge().get()).isBefore(clock.instant())) {
            throw new ProblemException(ProblemType.CREDENTIAL_EXPIRED, "the credential is older than this verifier accepts");
        }
    }

    /**
     * What every credential meets, a delegation link included (whose issuer is an agent the chain stands behind, not one
     * the policy names): its validity period, an accepted format and an accepted key type.
     */
    void inPeriodAndForm(SecuredCredential s, Set<Check> checked) {
        Credential c = s.credential();
        Instant now = clock.instant();
        Duration skew = policy.maxClockSkew();
        if (c.validFrom().isPresent() && now.plus(skew).isBefore(c.validFrom().get())) {
            throw new ProblemException(ProblemType.CREDENTIAL_NOT_YET_VALID, "the credential is valid from " + c.validFrom().get());
        }
        if (c.validUntil().isPresent() && now.minus(skew).isAfter(c.validUntil().get())) {
            throw new ProblemException(ProblemType.CREDENTIAL_EXPIRED, "the credential expired at " + c.validUntil().get());
        }
        checked.add(Check.VALIDITY_PERIOD);
        if (!policy.formats().contains(s.format())) {
            throw new ProblemException(ProblemType.ALGORITHM_NOT_ALLOWED, "this verifier does not accept " + s.format());
        }
        if (!policy.keyTypes().contains(s.method().key().type())) {
            throw new ProblemException(ProblemType.ALGORITHM_NOT_ALLOWED, "this verifier does not accept " + s.method().key().type() + " keys");
        }
    }

    /** The policy's required capabilities, against what {@code who} holds. */
    void requireCapabilities(Set<String> have, String who) {
        for (String cap : policy.requiredCapabilities()) {
            if (!have.contains(cap)) {
                throw new ProblemException(ProblemType.MISSING_CAPABILITY, who + " lacks the capability " + cap);
            }
        }
    }

    /**
     * Every status entry against its list, fetched (or cached) through the {@link StatusListCache}. Call only after
     * {@link #policy} accepted the credential.
     *
     * @throws ProblemException {@code CREDENTIAL_REVOKED}, {@code CREDENTIAL_SUSPENDED}, {@code STATUS_RETRIEVAL_ERROR},
     *     {@code STATUS_VERIFICATION_ERROR} and the list's own problems
     */
    void status(SecuredCredential s, Set<Check> checked) {
        status(s, issuer(s.credential()), checked);
    }

    /**
     * As {@link #status(SecuredCredential, Set)}, with lists that {@code listIssuer} must have signed: a registered
     * delegation link's entries are in its root organization's lists, not its delegator's.
     */
    void status(SecuredCredential s, Did listIssuer, Set<Check> checked) {
        Credential c = s.credential();
        Did issuer = listIssuer;
        for (StatusEntry entry : c.statuses()) {
            if (!entry.isBitstring()) {
                throw new ProblemException(ProblemType.STATUS_VERIFICATION_ERROR, "unsupported status type " + entry.type());
            }
            Credential list = statusLists.get(entry.statusListCredential().orElseThrow(), issuer, policy.statusStaleness().orElse(Duration.ZERO));
            StatusListCredentials.Status status = StatusListCredentials.check(entry, list);
            if (status.isSet()) {
                switch (status.purpose()) {
                    case REVOCATION -> throw new ProblemException(ProblemType.CREDENTIAL_REVOKED, "the issuer revoked this credential");
                    case SUSPENSION -> throw new ProblemException(ProblemType.CREDENTIAL_SUSPENDED, "the issuer suspended this credential");
                    default -> {
                        // refresh and message statuses are information, not a verdict
                    }
                }
            }
        }
        checked.add(Check.STATUS);
    }

    static Did issuer(Credential c) {
        return Did.tryParse(c.issuer().id().toString()).orElseThrow(() -> new ProblemException(ProblemType.UNTRUSTED_ISSUER,
                "the issuer " + c.issuer().id() + " is not a DID"));
    }
}
