package dev.tabard.vc.di;

import dev.tabard.codec.Timestamps;
import dev.tabard.did.DidUrl;
import dev.tabard.did.Relationship;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a new proof says besides its value.
 *
 * @param cryptosuite the suite's name
 * @param verificationMethod the signing key's DID URL
 * @param purpose {@code assertionMethod} for an issuer, {@code authentication} for a holder's presentation
 * @param created when the proof was made
 * @param expires when it stops being acceptable, for short-lived presentations
 * @throws IllegalArgumentException when {@code created} or {@code expires} is outside years 0001-9999
 * @param challenge the verifier's challenge
 * @param domain the verifier's domain
 * @param id the proof's own id, for a later proof to name it
 * @param previousProof the id of the proof in the set this one is chained after (VC Data Integrity §2.1.2)
 */
public record ProofOptions(String cryptosuite, DidUrl verificationMethod, Relationship purpose, Instant created,
                           Optional<Instant> expires, Optional<String> challenge, Optional<String> domain, Optional<String> id,
                           Optional<String> previousProof) {

    public ProofOptions {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(previousProof, "previousProof");
        Objects.requireNonNull(cryptosuite, "cryptosuite");
        Objects.requireNonNull(verificationMethod, "verificationMethod");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(expires, "expires");
        Objects.requireNonNull(challenge, "challenge");
        Objects.requireNonNull(domain, "domain");
        // both are written as XSD dateTimeStamp, which only years 0001-9999 can be
        Timestamps.format(created);
        expires.ifPresent(Timestamps::format);
    }

    public ProofOptions(String cryptosuite, DidUrl verificationMethod, Relationship purpose, Instant created,
                        Optional<Instant> expires, Optional<String> challenge, Optional<String> domain) {
        this(cryptosuite, verificationMethod, purpose, created, expires, challenge, domain, Optional.empty(), Optional.empty());
    }

    /** These options, the proof carrying {@code proofId} so that a later proof can be chained after it. */
    public ProofOptions withId(String proofId) {
        return new ProofOptions(cryptosuite, verificationMethod, purpose, created, expires, challenge, domain, Optional.of(proofId),
                previousProof);
    }

    /** These options, the proof chained after the proof {@code proofId} already in the set: it signs that proof too. */
    public ProofOptions chainedAfter(String proofId) {
        return new ProofOptions(cryptosuite, verificationMethod, purpose, created, expires, challenge, domain, id, Optional.of(proofId));
    }

    /** An issuer's proof. */
    public static ProofOptions assertion(String cryptosuite, DidUrl key, Instant created) {
        return new ProofOptions(cryptosuite, key, Relationship.ASSERTION_METHOD, created, Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    /** A holder's presentation proof bound to a verifier's challenge and domain. */
    public static ProofOptions authentication(String cryptosuite, DidUrl key, Instant created, Instant expires,
                                              String challenge, String domain) {
        return new ProofOptions(cryptosuite, key, Relationship.AUTHENTICATION, created, Optional.of(expires),
                Optional.of(challenge), Optional.of(domain));
    }
}
