package dev.tabard.vc;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The authority one credential of a chain holds and can hand on: what the next link is measured against.
 *
 * @param capabilities what its subject may do
 * @param constraints the limits its subject acts under
 * @param delegation whether, and how many more links, its subject may add
 * @param validUntil when the authority ends, when it does
 * @param credentialId the credential's id, when it has one
 */
public record Grant(Set<String> capabilities, AgentClaims.Constraints constraints, AgentClaims.Delegation delegation,
                    Optional<Instant> validUntil, Optional<URI> credentialId) {

    public Grant {
        capabilities = Set.copyOf(capabilities);
        Objects.requireNonNull(constraints, "constraints");
        Objects.requireNonNull(delegation, "delegation");
        Objects.requireNonNull(validUntil, "validUntil");
        Objects.requireNonNull(credentialId, "credentialId");
    }

    /** The authority an organization's AgentCredential gives its agent. */
    public static Grant of(AgentClaims claims, Credential agentCredential) {
        return new Grant(claims.capabilities(), claims.constraints(), claims.delegation(),
                agentCredential.validUntil(), agentCredential.id());
    }
}
