package dev.tabard.crypto;

import dev.tabard.codec.Multicodec;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The key types Tabard signs and verifies with; this enum is the algorithm allow-list. The JWS algorithm
 * always comes from the key's type, never from a token header.
 */
public enum KeyType {
    /** Ed25519 (RFC 8032). JWS {@code EdDSA}, or its fully specified name {@code Ed25519} (RFC 9864). */
    ED25519(Multicodec.ED25519_PUB, "EdDSA", Set.of("EdDSA", "Ed25519"), "OKP", "Ed25519", 32, 64),
    /** ECDSA on NIST P-256 with SHA-256. JWS {@code ES256}; public keys held compressed (33 bytes). */
    P256(Multicodec.P256_PUB, "ES256", Set.of("ES256"), "EC", "P-256", 33, 64),
    /**
     * ECDSA on NIST P-384 with SHA-384. JWS {@code ES384}; public keys held compressed (49 bytes). Verified where
     * others use it (the W3C ECDSA suites, ES384 tokens); Tabard's issuer creates Ed25519 and P-256 keys.
     */
    P384(Multicodec.P384_PUB, "ES384", Set.of("ES384"), "EC", "P-384", 49, 96);

    private final Multicodec multicodec;
    private final String jwsAlgorithm;
    private final Set<String> acceptedJwsAlgorithms;
    private final String jwkKty;
    private final String jwkCrv;
    private final int publicKeyLength;
    private final int signatureLength;

    KeyType(Multicodec multicodec, String jwsAlgorithm, Set<String> acceptedJwsAlgorithms, String jwkKty,
            String jwkCrv, int publicKeyLength, int signatureLength) {
        this.multicodec = multicodec;
        this.jwsAlgorithm = jwsAlgorithm;
        this.acceptedJwsAlgorithms = acceptedJwsAlgorithms;
        this.jwkKty = jwkKty;
        this.jwkCrv = jwkCrv;
        this.publicKeyLength = publicKeyLength;
        this.signatureLength = signatureLength;
    }

    public Multicodec multicodec() {
        return multicodec;
    }

    /** The JWS {@code alg} Tabard writes for this key type. */
    public String jwsAlgorithm() {
        return jwsAlgorithm;
    }

    /** Every JWS {@code alg} accepted for this key type on verification. */
    public Set<String> acceptedJwsAlgorithms() {
        return acceptedJwsAlgorithms;
    }

    public String jwkKty() {
        return jwkKty;
    }

    public String jwkCrv() {
        return jwkCrv;
    }

    /** Length in bytes of the public key as held (the NIST curves: SEC1 compressed). */
    public int publicKeyLength() {
        return publicKeyLength;
    }

    /** Length in bytes of a signature (the NIST curves: IEEE P1363 r‖s). */
    public int signatureLength() {
        return signatureLength;
    }

    public static Optional<KeyType> fromMulticodec(Multicodec codec) {
        Objects.requireNonNull(codec, "codec");
        for (KeyType t : values()) {
            if (t.multicodec == codec) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    public static Optional<KeyType> fromJwk(String kty, String crv) {
        for (KeyType t : values()) {
            if (t.jwkKty.equals(kty) && t.jwkCrv.equals(crv)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
