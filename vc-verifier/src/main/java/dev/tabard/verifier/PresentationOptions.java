package dev.tabard.verifier;

import java.util.Objects;
import java.util.Optional;

/**
 * What a presentation must be bound to — the challenge (the {@code nonce} of a vp+jwt) and the domain (the {@code aud}
 * of a vp+jwt), both required: an unbound presentation can be replayed to anyone — and, optionally, the action the
 * presenter asks to take, which its authority must allow.
 */
public final class PresentationOptions {

    private final String challenge;
    private final String domain;
    private final Optional<Action> action;

    public PresentationOptions(String challenge, String domain) {
        this(challenge, domain, Optional.empty());
    }

    private PresentationOptions(String challenge, String domain, Optional<Action> action) {
        this.challenge = Objects.requireNonNull(challenge, "challenge");
        this.domain = Objects.requireNonNull(domain, "domain");
        if (challenge.isBlank() || domain.isBlank()) {
            throw new IllegalArgumentException("challenge and domain must not be blank");
        }
        this.action = action;
    }

    /**
     * These options, also authorizing {@code action}: the presentation verifies only if the acting agent's authority
     * (its AgentCredential, or the delegation chain it presents) allows it.
     */
    public PresentationOptions withAction(Action action) {
        return new PresentationOptions(challenge, domain, Optional.of(Objects.requireNonNull(action, "action")));
    }

    public String challenge() {
        return challenge;
    }

    public String domain() {
        return domain;
    }

    /** The action to authorize, when the caller named one. */
    public Optional<Action> action() {
        return action;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PresentationOptions p && challenge.equals(p.challenge) && domain.equals(p.domain) && action.equals(p.action);
    }

    @Override
    public int hashCode() {
        return Objects.hash(challenge, domain, action);
    }

    @Override
    public String toString() {
        return "PresentationOptions[challenge=" + challenge + ", domain=" + domain + action.map(a -> ", action=" + a).orElse("") + "]";
    }
}
