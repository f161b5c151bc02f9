package dev.tabard.verifier;

/** The checks a verification runs; a result lists those it performed. */
public enum Check {
    /** The document is well-formed and follows the data model. */
    DATA_MODEL,
    /** Every proof verifies with a key its controller lists for the purpose. */
    PROOF,
    /** The presentation's signer is the credential subject, and the challenge and domain are the expected ones. */
    HOLDER_BINDING,
    /** The credential is within validFrom/validUntil, with the allowed clock skew. */
    VALIDITY_PERIOD,
    /** No status list marks the credential revoked or suspended. */
    STATUS,
    /** The verifier's trust policy accepts the issuer, types, capabilities and age. */
    POLICY
}
