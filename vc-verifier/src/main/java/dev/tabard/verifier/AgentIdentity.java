package dev.tabard.verifier;

import dev.tabard.did.Did;
import dev.tabard.vc.AgentClaims;
import dev.tabard.vc.Credential;
import dev.tabard.vc.DelegationChain;
import dev.tabard.vc.ParentReference;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who is acting, and with what authority: what a counterparty acts on. For an AgentCredential presented directly that
 * is its agent; for a delegation chain it is the agent at the end of the chain, with the capabilities and constraints
 * that reached it ({@link #authority()} shows every step). Only the {@link Verifier} makes one, from credentials whose
 * proofs, dates, statuses, issuer and chain it checked, so holding one means that was done.
 */
public final class AgentIdentity {

    private final Did agent;
    private final Did organization;
    private final String organizationName;
    private final String name;
    private final Set<String> capabilities;
    private final AgentClaims.Constraints constraints;
    private final AgentClaims.Operator operator;
    private final AgentClaims.Delegation delegation;
    private final Optional<URI> credentialId;
    private final Optional<Instant> validUntil;
    private final Authority authority;

    private AgentIdentity(Authority authority, Optional<URI> credentialId, Optional<Instant> validUntil) {
        AgentClaims root = authority.root();
        DelegationChain.Step acting = authority.steps().get(authority.steps().size() - 1);
        this.agent = acting.agent();
        this.organization = root.organization();
        this.organizationName = root.organizationName();
        this.name = root.name();
        this.capabilities = acting.grant().capabilities();
        this.constraints = acting.grant().constraints();
        this.operator = root.operator();
        this.delegation = acting.grant().delegation();
        this.credentialId = Objects.requireNonNull(credentialId, "credentialId");
        this.validUntil = Objects.requireNonNull(validUntil, "validUntil");
        this.authority = authority;
    }

    /** The agent of an AgentCredential presented directly. */
    static AgentIdentity direct(AgentClaims claims, Credential credential, Optional<ParentReference> reference) {
        return new AgentIdentity(Authority.direct(claims, credential, reference), credential.id(), credential.validUntil());
    }

    /**
     * The agent of an AgentCredential presented as an SD-JWT VC, from the claims disclosed: what the holder withheld
     * (the operator's contact, a private constraint) is absent.
     */
    static AgentIdentity sdJwt(AgentClaims claims, Optional<Instant> validUntil, boolean constraintsWithheld) {
        return new AgentIdentity(Authority.direct(claims, validUntil, constraintsWithheld), Optional.empty(), validUntil);
    }

    /**
     * The agent at the end of a verified chain: the last link's id, and the earliest end of any credential on the path
     * (the authority lasts no longer).
     */
    static AgentIdentity delegated(DelegationChain.Path path, List<Credential> credentials) {
        Optional<Instant> until = credentials.stream().map(Credential::validUntil).flatMap(Optional::stream).min(Instant::compareTo);
        return new AgentIdentity(new Authority(path), credentials.get(credentials.size() - 1).id(), until);
    }

    /** Every agent authority passed through, the organization's first and this one last, with what each was granted. */
    public Authority authority() {
        return authority;
    }

    /** The acting agent's DID: the subject of the AgentCredential, or of the chain's last link. */
    public Did agent() {
        return agent;
    }

    /** The organization whose AgentCredential the authority starts from. */
    public Did organization() {
        return organization;
    }

    public String organizationName() {
        return organizationName;
    }

    public String name() {
        return name;
    }

    public Set<String> capabilities() {
        return capabilities;
    }

    public AgentClaims.Constraints constraints() {
        return constraints;
    }

    public AgentClaims.Operator operator() {
        return operator;
    }

    public AgentClaims.Delegation delegation() {
        return delegation;
    }

    /** The id of the credential that gave the acting agent its authority (the last link of a chain), when it has one. */
    public Optional<URI> credentialId() {
        return credentialId;
    }

    public Optional<Instant> validUntil() {
        return validUntil;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AgentIdentity a && agent.equals(a.agent) && organization.equals(a.organization)
                && organizationName.equals(a.organizationName) && name.equals(a.name) && capabilities.equals(a.capabilities)
                && constraints.equals(a.constraints) && operator.equals(a.operator) && delegation.equals(a.delegation)
                && credentialId.equals(a.credentialId) && validUntil.equals(a.validUntil);
    }

    @Override
    public int hashCode() {
        return Objects.hash(agent, organization, name, credentialId);
    }

    @Override
    public String toString() {
        return "AgentIdentity[" + agent + " '" + name + "' of " + organization + ", capabilities=" + capabilities + "]";
    }
}
