package dev.tabard.verifier.calls;

import dev.tabard.crypto.VerificationKey;
import dev.tabard.did.DidUrl;
import dev.tabard.verifier.AgentIdentity;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A signing key bound to the agent whose presentation proved it: calls signed by {@link #key()} act with
 * {@link #identity()}'s authority until {@link #until()}, the earliest end of any credential on its path. The
 * credentials are kept so their statuses can be checked again while the binding lives. Only {@link AgentKeys} makes
 * one, from a presentation its verifier accepted (a final class, not a record, so no public constructor can claim a
 * binding that was not proven).
 */
public final class BoundAgent {

    private final DidUrl keyId;
    private final VerificationKey key;
    private final AgentIdentity identity;
    private final Instant until;
    private final List<String> credentials;

    BoundAgent(DidUrl keyId, VerificationKey key, AgentIdentity identity, Instant until, List<String> credentials) {
        this.keyId = Objects.requireNonNull(keyId, "keyId");
        this.key = Objects.requireNonNull(key, "key");
        this.identity = Objects.requireNonNull(identity, "identity");
        this.until = Objects.requireNonNull(until, "until");
        this.credentials = List.copyOf(credentials);
        if (this.credentials.isEmpty()) {
            throw new IllegalArgumentException("a binding rests on at least one credential");
        }
    }

    public DidUrl keyId() {
        return keyId;
    }

    public VerificationKey key() {
        return key;
    }

    public AgentIdentity identity() {
        return identity;
    }

    public Instant until() {
        return until;
    }

    /** The credentials presented, as carried: the AgentCredential, or the chain from it. */
    public List<String> credentials() {
        return credentials;
    }

    @Override
    public String toString() {
        return "BoundAgent[" + keyId + " -> " + identity.agent() + " of " + identity.organization() + " until " + until + "]";
    }
}
