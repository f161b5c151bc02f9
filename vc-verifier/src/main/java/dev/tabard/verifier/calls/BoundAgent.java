package dev.tabard.verifier.calls;

import dev.tabard.crypto.VerificationKey;
import dev.tabard.did.DidUrl;
import dev.tabard.verifier.AgentIdentity;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A signing key bound to the agent whose presentation proved it: calls signed by {@code key} act with
 * {@code identity}'s authority until {@code until}, the earliest end of any credential on its path. The credentials
 * are kept so their statuses can be checked again while the binding lives.
 */
public record BoundAgent(DidUrl keyId, VerificationKey key, AgentIdentity identity, Instant until, List<String> credentials) {

    public BoundAgent {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(until, "until");
        credentials = List.copyOf(credentials);
        if (credentials.isEmpty()) {
            throw new IllegalArgumentException("a binding rests on at least one credential");
        }
    }

    @Override
    public String toString() {
        return "BoundAgent[" + keyId + " -> " + identity.agent() + " of " + identity.organization() + " until " + until + "]";
    }
}
