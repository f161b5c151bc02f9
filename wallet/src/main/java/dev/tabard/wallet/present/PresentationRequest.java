package dev.tabard.wallet.present;

import java.util.Objects;
import java.util.Set;

/**
 * What a verifier asks for: its challenge and domain, and the credential types and capabilities it needs. Only
 * credentials that match are presented.
 */
public record PresentationRequest(String challenge, String domain, Set<String> types, Set<String> capabilities) {

    public PresentationRequest {
        Objects.requireNonNull(challenge, "challenge");
        Objects.requireNonNull(domain, "domain");
        types = Set.copyOf(types);
        capabilities = Set.copyOf(capabilities);
    }
}
