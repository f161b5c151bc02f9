package dev.tabard.verifier;

import dev.tabard.did.VerificationMethod;
import dev.tabard.vc.Credential;
import dev.tabard.vc.ParentReference;
import java.util.Objects;
import java.util.Optional;

/**
 * A credential whose proof verified, the method that made the proof, how it was secured, and — when it has an id —
 * the reference a delegation link derived from it must carry (a digest of it as carried).
 */
record SecuredCredential(Credential credential, VerificationMethod method, TrustPolicy.Format format,
                         Optional<ParentReference> reference) {

    SecuredCredential {
        Objects.requireNonNull(credential, "credential");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(reference, "reference");
    }
}
