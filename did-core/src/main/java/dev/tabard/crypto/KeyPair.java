package dev.tabard.crypto;

import dev.tabard.crypto.internal.Ed25519;
import dev.tabard.crypto.internal.Ecdsa;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * A private key with its public half, held in memory. A final class rather than a record so that no
 * accessor or {@code toString} exposes the secret; the private bytes leave only through
 * {@link #unsafePrivateKeyBytes()}.
 */
public final class KeyPair implements Signer {

    private final KeyType type;
    private final byte[] privateKey;
    private final VerificationKey publicKey;
    private final byte[] publicKeyBytes;

    private KeyPair(KeyType type, byte[] privateKey, VerificationKey publicKey) {
        this.type = type;
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.publicKeyBytes = publicKey.publicKey().toByteArray();
    }

    public static KeyPair generate(KeyType type, SecureRandom random) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(random, "random");
        byte[] sk = type == KeyType.ED25519 ? Ed25519.generatePrivateKey(random) : curve(type).generatePrivateKey(random);
        return fromPrivateKey(type, sk);
    }

    /**
     * Rebuilds a key pair from its private key (Ed25519 seed or P-256 scalar, 32 bytes; P-384 scalar, 48 bytes).
     *
     * @throws ProblemException {@code MALFORMED_VALUE_ERROR} for a key of the wrong length or out of range
     */
    public static KeyPair fromPrivateKey(KeyType type, byte[] privateKey) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(privateKey, "privateKey");
        byte[] sk = privateKey.clone();
        byte[] pk = type == KeyType.ED25519 ? Ed25519.publicKey(sk) : curve(type).derivePublicKey(sk);
        return new KeyPair(type, sk, VerificationKey.of(type, pk));
    }

    /**
     * Rebuilds a key pair and checks it against the public key it is expected to have.
     *
     * @throws ProblemException {@code INVALID_VERIFICATION_METHOD} when the keys do not belong together
     */
    public static KeyPair fromPrivateKey(KeyType type, byte[] privateKey, VerificationKey expected) {
        KeyPair kp = fromPrivateKey(type, privateKey);
        if (!kp.publicKey.equals(expected)) {
            kp.destroy();
            throw new ProblemException(ProblemType.INVALID_VERIFICATION_METHOD,
                    "private key does not match the public key");
        }
        return kp;
    }

    @Override
    public KeyType keyType() {
        return type;
    }

    @Override
    public VerificationKey publicKey() {
        return publicKey;
    }

    @Override
    public byte[] sign(byte[] message) {
        Objects.requireNonNull(message, "message");
        return type == KeyType.ED25519
                ? Ed25519.sign(privateKey, publicKeyBytes, message)
                : curve(type).sign(privateKey, message);
    }

    private static Ecdsa curve(KeyType type) {
        return type == KeyType.P384 ? Ecdsa.P384 : Ecdsa.P256;
    }

    /** The private key bytes. Only for storage in an encrypted vault. */
    public byte[] unsafePrivateKeyBytes() {
        return privateKey.clone();
    }

    /** Overwrites the private key in memory; the pair is unusable afterwards. */
    public void destroy() {
        Arrays.fill(privateKey, (byte) 0);
    }

    @Override
    public String toString() {
        return "KeyPair(" + publicKey + ", private key redacted)";
    }
}
