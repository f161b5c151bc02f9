package dev.tabard.issuer.agents;

import dev.tabard.did.Did;
import dev.tabard.vc.AgentClaims;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A registered agent: what the organization attests to when it issues the agent an AgentCredential.
 *
 * @param privateConstraints names of constraints the organization keeps selectively disclosable in an SD-JWT VC (the
 *     holder shows them only to a verifier that asks); a W3C credential carries every constraint in the clear
 */
public record Agent(Did did, String name, AgentClaims.Operator operator, Set<String> capabilities,
                    AgentClaims.Constraints constraints, AgentClaims.Delegation delegation, boolean active,
                    Instant created, Instant updated, Set<String> privateConstraints) {

    public Agent {
        Objects.requireNonNull(did, "did");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(operator, "operator");
        capabilities = Set.copyOf(capabilities);
        Objects.requireNonNull(constraints, "constraints");
        Objects.requireNonNull(delegation, "delegation");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(updated, "updated");
        privateConstraints = Set.copyOf(privateConstraints);
    }

    /** An agent with no private constraints. */
    public Agent(Did did, String name, AgentClaims.Operator operator, Set<String> capabilities, AgentClaims.Constraints constraints,
                 AgentClaims.Delegation delegation, boolean active, Instant created, Instant updated) {
        this(did, name, operator, capabilities, constraints, delegation, active, created, updated, Set.of());
    }

    /** The same agent, active or not, changed at {@code updated}. */
    public Agent with(boolean active, Instant created, Instant updated) {
        return new Agent(did, name, operator, capabilities, constraints, delegation, active, created, updated, privateConstraints);
    }

    /** The claims an AgentCredential for this agent carries. */
    public AgentClaims claims(Did organization, String organizationName) {
        return new AgentClaims(did, name, organization, organizationName, operator, capabilities, constraints, delegation);
    }
}
