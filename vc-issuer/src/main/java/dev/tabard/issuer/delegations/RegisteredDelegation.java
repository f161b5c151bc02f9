package dev.tabard.issuer.delegations;

import dev.tabard.did.Did;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the issuer keeps about a delegation link one of its agents registered: who handed what to whom, under which
 * of the organization's credentials. The link's status entries live with it in the issued credentials, so the
 * admin API revokes or suspends it like any credential, and a verifier sees that in the organization's lists.
 *
 * @param id the link's credential id
 * @param rootCredential the organization's AgentCredential the chain starts from
 * @param rootAgent that credential's agent: whose authority this is
 * @param parent the credential the link derives from (the root, or another link)
 */
public record RegisteredDelegation(String id, Did delegator, Did delegate, String rootCredential, Did rootAgent, String parent,
                                   Set<String> capabilities, Optional<String> task, Instant validUntil, Instant registered) {

    public RegisteredDelegation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(delegator, "delegator");
        Objects.requireNonNull(delegate, "delegate");
        Objects.requireNonNull(rootCredential, "rootCredential");
        Objects.requireNonNull(rootAgent, "rootAgent");
        Objects.requireNonNull(parent, "parent");
        capabilities = Set.copyOf(capabilities);
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(validUntil, "validUntil");
        Objects.requireNonNull(registered, "registered");
    }
}
