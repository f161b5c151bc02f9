package dev.tabard.issuer.agents;

import dev.tabard.did.Did;
import dev.tabard.vc.AgentClaims;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/** A registered agent: what the organization attests to when it issues the agent an AgentCredential. */
public record Agent(Did did, String name, AgentClaims.Operator operator, Set<String> capabilities,
                    AgentClaims.Constraints constraints, AgentClaims.Delegation delegation, boolean active,
                    Instant created, Instant updated) {

    public Agent {
        Objects.requireNonNull(did, "did");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(operator, "operator");
        capabilities = Set.copyOf(capabilities);
        Objects.requireNonNull(constraints, "constraints");
        Objects.requireNonNull(delegation, "delegation");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(updated, "updated");
    }

    /** The claims an AgentCredential for this agent carries. */
    public AgentClaims claims(Did organization, String organizationName) {
        return new AgentClaims(did, name, organization, organizationName, operator, capabilities, constraints, delegation);
    }
}
