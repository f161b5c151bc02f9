package dev.tabard.verifier;

import dev.tabard.did.Relationship;
import java.util.Objects;
import java.util.Optional;

/**
 * What a caller expects of a credential's proof beyond the defaults: the proof purpose (VC-API
 * {@code options.expectedProofPurpose}, {@code assertionMethod} unless said otherwise) and, when the caller
 * bound the credential to one, a challenge and a domain. A vc+jwt carries none of these, so anything but the
 * defaults fails it.
 *
 * @see <a href="https://www.w3.org/TR/vc-data-integrity/#verify-proof">Data Integrity §4.4 Verify Proof</a>
 */
public record VerifyOptions(Relationship proofPurpose, Optional<String> challenge, Optional<String> domain) {

    private static final VerifyOptions DEFAULTS = new VerifyOptions(Relationship.ASSERTION_METHOD, Optional.empty(), Optional.empty());

    public VerifyOptions {
        Objects.requireNonNull(proofPurpose, "proofPurpose");
        Objects.requireNonNull(challenge, "challenge");
        Objects.requireNonNull(domain, "domain");
    }

    /** An assertion by the issuer, bound to no challenge or domain. */
    public static VerifyOptions defaults() {
        return DEFAULTS;
    }

    public boolean isDefault() {
        return equals(DEFAULTS);
    }
}
