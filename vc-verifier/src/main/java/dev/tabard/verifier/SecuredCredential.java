package dev.tabard.verifier;

import dev.tabard.did.VerificationMethod;
import dev.tabard.vc.Credential;
import java.util.Objects;

/** A credential whose proof verified, the method that made the proof, and how it was secured. */
record SecuredCredential(Credential credential, VerificationMethod method, TrustPolicy.Format format) {

    SecuredCredential {
        Objects.requireNonNull(credential, "credential");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(format, "format");
    }
}
