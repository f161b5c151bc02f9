package dev.tabard.crypto;

/**
 * Signs with a private key that may live in memory, an encrypted vault or an HSM. Callers see only the
 * public half; the algorithm is fixed by {@link #keyType()}.
 */
public interface Signer {

    KeyType keyType();

    VerificationKey publicKey();

    /**
     * Signs {@code message}. Ed25519 per RFC 8032; P-256 and P-384 as ECDSA over SHA-256 and SHA-384 with deterministic nonces
     * (RFC 6979), returned as IEEE P1363 r‖s with low or high s as produced.
     */
    byte[] sign(byte[] message);
}
