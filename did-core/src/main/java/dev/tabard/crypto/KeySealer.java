package dev.tabard.crypto;

import dev.tabard.codec.Base64Url;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * Encrypts private keys at rest: AES-256-GCM under a key derived from a secret with scrypt. The derivation is
 * slow on purpose and runs once, when the sealer is made; each sealed key then costs one AES operation.
 *
 * <p>A sealed value is text, {@code v1.<log2 N>.<r>.<p>.<salt>.<nonce>.<ciphertext+tag>} in base64url, so the
 * parameters travel with the data and can be raised later without losing old keys. The label is bound as
 * associated data: a sealed key cannot be moved to another record unnoticed.
 */
public final class KeySealer {

    public static final int DEFAULT_LOG2_N = 15;
    public static final int DEFAULT_R = 8;
    public static final int DEFAULT_P = 1;

    private final byte[] salt;
    private final int log2N;
    private final int r;
    private final int p;
    private final SecretKeySpec key;
    private final SecureRandom random;

    private KeySealer(char[] secret, byte[] salt, int log2N, int r, int p, SecureRandom random) {
        if (log2N < 10 || log2N > 22 || r < 1 || r > 32 || p < 1 || p > 16) {
            throw new IllegalArgumentException("scrypt parameters out of range");
        }
        this.salt = salt.clone();
        this.log2N = log2N;
        this.r = r;
        this.p = p;
        byte[] pw = new String(secret).getBytes(StandardCharsets.UTF_8);
        byte[] k = SCrypt.generate(pw, salt, 1 << log2N, r, p, 32);
        Arrays.fill(pw, (byte) 0);
        this.key = new SecretKeySpec(k, "AES");
        Arrays.fill(k, (byte) 0);
        this.random = random;
    }

    /** A sealer for a new store: fresh salt, default parameters. */
    public static KeySealer create(char[] secret, SecureRandom random) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return new KeySealer(secret, salt, DEFAULT_LOG2_N, DEFAULT_R, DEFAULT_P, random);
    }

    /** A sealer for an existing store, from the parameters {@link #parameters()} gave when it was made. */
    public static KeySealer open(char[] secret, String parameters, SecureRandom random) {
        String[] parts = parameters.split("\\.");
        if (parts.length != 5 || !parts[0].equals("v1")) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "unknown key sealing parameters");
        }
        try {
            return new KeySealer(secret, Base64Url.decode(parts[4]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]),
                    Integer.parseInt(parts[3]), random);
        } catch (NumberFormatException e) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "malformed key sealing parameters");
        }
    }

    /** The derivation parameters and salt, to store beside the sealed keys (not secret). */
    public String parameters() {
        return "v1." + log2N + "." + r + "." + p + "." + Base64Url.encode(salt);
    }

    /** Seals {@code plaintext}, bound to {@code label}. */
    public String seal(byte[] plaintext, String label) {
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            c.updateAAD(label.getBytes(StandardCharsets.UTF_8));
            return "v1." + Base64Url.encode(nonce) + "." + Base64Url.encode(c.doFinal(plaintext));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /**
     * Opens what {@link #seal} made.
     *
     * @throws ProblemException {@code UNAUTHORIZED} when the secret is wrong or the data or label was altered
     */
    public byte[] open(String sealed, String label) {
        Objects.requireNonNull(sealed, "sealed");
        String[] parts = sealed.split("\\.");
        if (parts.length != 3 || !parts[0].equals("v1")) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "not a sealed key");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, Base64Url.decode(parts[1])));
            c.updateAAD(label.getBytes(StandardCharsets.UTF_8));
            return c.doFinal(Base64Url.decode(parts[2]));
        } catch (javax.crypto.AEADBadTagException e) {
            throw new ProblemException(ProblemType.UNAUTHORIZED, "wrong secret, or the sealed key was altered");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "KeySealer[" + "scrypt N=2^" + log2N + "]";
    }
}
