package dev.tabard.verifier;

import dev.tabard.did.Did;
import dev.tabard.vc.AgentClaims;
import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who a verified AgentCredential says the agent is: what a counterparty acts on. Only the {@link Verifier} makes one,
 * from a credential whose proof, dates, status and issuer it checked, so holding one means that was done.
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

    private AgentIdentity(AgentClaims c, Optional<URI> credentialId, Optional<Instant> validUntil) {
        this.agent = Objects.requireNonNull(c.agent(), "agent");
        this.organization = Objects.requireNonNull(c.organization(), "organization");
        this.organizationName = Objects.requireNonNull(c.organizationName(), "organizationName");
        this.name = Objects.requireNonNull(c.name(), "name");
        this.capabilities = Set.copyOf(c.capabilities());
        this.constraints = Objects.requireNonNull(c.constraints(), "constraints");
        this.operator = Objects.requireNonNull(c.operator(), "operator");
        this.delegation = Objects.requireNonNull(c.delegation(), "delegation");
        this.credentialId = Objects.requireNonNull(credentialId, "credentialId");
        this.validUntil = Objects.requireNonNull(validUntil, "validUntil");
    }

    static AgentIdentity of(AgentClaims c, Optional<URI> id, Optional<Instant> validUntil) {
        return new AgentIdentity(c, id, validUntil);
    }

    /** The agent's DID: the credential's subject. */
    public Did agent() {
        return agent;
    }

    /** The issuing organization's DID. */
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

    /** The credential's id, when it has one. */
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
