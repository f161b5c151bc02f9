package dev.tabard.wallet.present;

import dev.tabard.sdjwt.ClaimPath;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a verifier asks for: its challenge and domain, the credential types and capabilities it needs, and, for an
 * SD-JWT VC, the claims to disclose by path (e.g. {@code ["operator", "email"]}). Only credentials that match are
 * presented, and of an SD-JWT VC only the disclosures asked for.
 */
public record PresentationRequest(String challenge, String domain, Set<String> types, Set<String> capabilities,
                                  List<ClaimPath> disclose) {

    public PresentationRequest {
        Objects.requireNonNull(challenge, "challenge");
        Objects.requireNonNull(domain, "domain");
        types = Set.copyOf(types);
        capabilities = Set.copyOf(capabilities);
        disclose = List.copyOf(disclose);
    }

    /** A request that discloses nothing selectively disclosable. */
    public PresentationRequest(String challenge, String domain, Set<String> types, Set<String> capabilities) {
        this(challenge, domain, types, capabilities, List.of());
    }

    /** This request, disclosing the claims at {@code paths} (each a list of names and array indexes). */
    public PresentationRequest disclose(List<List<Object>> paths) {
        return new PresentationRequest(challenge, domain, types, capabilities,
                paths.stream().map(p -> new ClaimPath(p)).toList());
    }
}
