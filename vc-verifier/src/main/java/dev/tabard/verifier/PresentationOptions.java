package dev.tabard.verifier;

import java.util.Objects;

/**
 * What a presentation must be bound to: the challenge this verifier issued (the {@code nonce} of a vp+jwt)
 * and this verifier's domain (the {@code aud} of a vp+jwt). Both are required: an unbound presentation can
 * be replayed to anyone.
 */
public record PresentationOptions(String challenge, String domain) {

    public PresentationOptions {
        Objects.requireNonNull(challenge, "challenge");
        Objects.requireNonNull(domain, "domain");
        if (challenge.isBlank() || domain.isBlank()) {
            throw new IllegalArgumentException("challenge and domain must not be blank");
        }
    }
}
