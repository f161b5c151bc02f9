package dev.tabard.verifier;

import dev.tabard.did.Relationship;
import java.util.Objects;
import java.util.Optional;

/**
 * What a caller expects of a credential's proof beyond the defaults: the proof purpose (VC-API
 * {@code options.expectedProofPurpose}, {@code assertionMethod} unless said otherwise) and, when the caller
 * bound the credential to one, a challenge and a domain. A vc+jwt carries none of these, so anything but the
 * defaults fails it. Immutable: start from {@link #defaults()} and derive with the {@code with…} methods.
 *
 * @see <a href="https://www.w3.org/TR/vc-data-integrity/#verify-proof">Data Integrity §4.4 Verify Proof</a>
 */
public final class VerifyOptions {

    private static final VerifyOptions DEFAULTS = new VerifyOptions(Relationship.ASSERTION_METHOD, Optional.empty(), Optional.empty());

    private final Relationship proofPurpose;
    private final Optional<String> challenge;
    private final Optional<String> domain;

    private VerifyOptions(Relationship proofPurpose, Optional<String> challenge, Optional<String> domain) {
        this.proofPurpose = Objects.requireNonNull(proofPurpose, "proofPurpose");
        this.challenge = challenge;
        this.domain = domain;
    }

    /** An assertion by the issuer, bound to no challenge or domain. */
    public static VerifyOptions defaults() {
        return DEFAULTS;
    }

    /** These options, expecting a proof made for {@code purpose}. */
    public VerifyOptions withProofPurpose(Relationship purpose) {
        return new VerifyOptions(purpose, challenge, domain);
    }

    /** These options, expecting a proof bound to {@code expected} as its challenge. */
    public VerifyOptions withChallenge(String expected) {
        return new VerifyOptions(proofPurpose, Optional.of(nonBlank(expected, "challenge")), domain);
    }

    /** These options, expecting a proof bound to {@code expected} as its domain. */
    public VerifyOptions withDomain(String expected) {
        return new VerifyOptions(proofPurpose, challenge, Optional.of(nonBlank(expected, "domain")));
    }

    public Relationship proofPurpose() {
        return proofPurpose;
    }

    public Optional<String> challenge() {
        return challenge;
    }

    public Optional<String> domain() {
        return domain;
    }

    public boolean isDefault() {
        return equals(DEFAULTS);
    }

    private static String nonBlank(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VerifyOptions v && proofPurpose == v.proofPurpose && challenge.equals(v.challenge) && domain.equals(v.domain);
    }

    @Override
    public int hashCode() {
        return Objects.hash(proofPurpose, challenge, domain);
    }

    @Override
    public String toString() {
        return "VerifyOptions[" + proofPurpose + ", challenge=" + challenge + ", domain=" + domain + "]";
    }
}
