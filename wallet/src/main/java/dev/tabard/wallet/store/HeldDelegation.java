package dev.tabard.wallet.store;

import dev.tabard.did.Did;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A delegation link the wallet gave or received, with the chain it belongs to: the organization's AgentCredential
 * first, each link after it, this link last, each a vc+jwt. That chain is what the delegate presents.
 *
 * @param id the link's credential id
 * @param counterparty the delegate for a link given, the delegator for one received
 * @param capabilities what the link grants
 * @param validUntil when the link ends
 */
public record HeldDelegation(String id, Direction direction, Did counterparty, List<String> chain, Set<String> capabilities,
                             Instant validUntil, Registration registration) {

    /** Whether the wallet made the link or was given it. */
    public enum Direction { GIVEN, RECEIVED }

    /** Whether the root organization's issuer can revoke the link (it carries the organization's status entries). */
    public enum Registration { REGISTERED, SHORT_LIVED }

    public HeldDelegation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(counterparty, "counterparty");
        chain = List.copyOf(chain);
        if (chain.size() < 2) {
            throw new IllegalArgumentException("a delegation chain is the AgentCredential and at least one link");
        }
        capabilities = Set.copyOf(capabilities);
        Objects.requireNonNull(validUntil, "validUntil");
        Objects.requireNonNull(registration, "registration");
    }

    /** The link itself: the chain's last credential. */
    public String link() {
        return chain.get(chain.size() - 1);
    }

    public boolean validAt(Instant now) {
        return now.isBefore(validUntil);
    }
}
