package dev.tabard.verifier;

import dev.tabard.did.Did;
import dev.tabard.vc.AgentClaims;
import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who a verified AgentCredential says the agent is: what a counterparty acts on.
 *
 * @param credentialId the credential's id, when it has one
 */
public record AgentIdentity(Did agent, Did organization, String organizationName, String name, Set<String> capabilities,
                            AgentClaims.Constraints constraints, AgentClaims.Operator operator, AgentClaims.Delegation delegation,
                            Optional<URI> credentialId, Optional<Instant> validUntil) {

    public AgentIdentity {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(organization, "organization");
        Objects.requireNonNull(organizationName, "organizationName");
        Objects.requireNonNull(name, "name");
        capabilities = Set.copyOf(capabilities);
        Objects.requireNonNull(constraints, "constraints");
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(delegation, "delegation");
        Objects.requireNonNull(credentialId, "credentialId");
        Objects.requireNonNull(validUntil, "validUntil");
    }

    static AgentIdentity of(AgentClaims c, Optional<URI> id, Optional<Instant> validUntil) {
        return new AgentIdentity(c.agent(), c.organization(), c.organizationName(), c.name(), c.capabilities(), c.constraints(),
                c.operator(), c.delegation(), id, validUntil);
    }
}
