package dev.tabard.crypto;

import dev.tabard.problem.ProblemException;

/**
 * Verifies signatures for one public key.
 *
 * <p><b>Security:</b> returns normally only for a valid signature; there is no boolean to forget to check.
 */
@FunctionalInterface
public interface SignatureVerifier {

    /**
     * @throws ProblemException {@code CRYPTOGRAPHIC_SECURITY_ERROR} when the signature is not valid for the
     *     message, including a signature of the wrong length or a non-canonical encoding
     */
    void verify(byte[] message, byte[] signature);
}
