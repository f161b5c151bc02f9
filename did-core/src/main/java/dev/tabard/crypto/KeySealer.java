package dev.tabard.crypto;

import dev.tabard.codec.Base64Url;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.generators.SCrypt;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Encrypts private keys at rest: AES-256-GCM under a key derived from a secret with Argon2id (RFC 9106), the
 * password hash OWASP recommends first. The derivation is slow on purpose and runs once, when the sealer is made;
 * each sealed key then costs one AES operation.
 *
 * <p>The parameters are six dot-separated parts, {@code v2.argon2id.<memory KiB>.<iterations>.<parallelism>.<salt>}
 * (a 16-byte base64url salt), stored beside the sealed keys so that they can be raised later. Because they are read
 * back from a file anyone with write access can edit, {@link #open(char[], String, SecureRandom)} bounds them before
 * running anything: a file that asks for 4 GiB or a million passes is refused in microseconds instead of exhausting
 * memory or a CPU, and one that asks for less than the OWASP floor is refused as well, so an edit cannot weaken the
 * next re-seal. A sealed key is three parts, {@code v1.<nonce>.<ciphertext+tag>} (a 12-byte nonce and AES-GCM's
 * output with its 16-byte tag, both base64url); the label is bound as associated data, so a sealed key cannot be
 * moved to another record unnoticed.
 *
 * <p>Stores sealed before Argon2id hold scrypt parameters, {@code v1.<log2 N>.<r>.<p>.<salt>}; their sealed keys have
 * the same {@code v1.<nonce>.<ciphertext+tag>} form. Such parameters still open, within the bounds of what was ever
 * written, and the sealer says {@link #needsUpgrade()} so that its owner re-seals every key under {@link #create} and
 * stores the new parameters in the same transaction.
 */
public final class KeySealer {

    /** OWASP Password Storage Cheat Sheet's Argon2id floor: 19 MiB, 2 passes, 1 lane (about 110 ms warm here). */
    public static final int MIN_MEMORY_KIB = 19 * 1024;
    public static final int MIN_ITERATIONS = 2;
    public static final int MIN_PARALLELISM = 1;

    /** 256 MiB: what a CLI on a small host can allocate without swapping; 13x the floor. */
    public static final int MAX_MEMORY_KIB = 256 * 1024;
    /** 10 passes: with the memory ceiling, a few seconds of work; more buys little against offline guessing. */
    public static final int MAX_ITERATIONS = 10;
    /** 4 lanes: Bouncy Castle computes lanes one after another, so more only adds time. */
    public static final int MAX_PARALLELISM = 4;

    /**
     * Smallest scrypt cost still opened: N = 2^15 is the only cost the scrypt sealer ever wrote (its default, with no way
     * to lower it), so anything less was edited into the file.
     */
    public static final int MIN_SCRYPT_LOG2_N = 15;
    /**
     * Largest scrypt cost still opened: 2^17 with r = 8 needs 128 MiB (128 * r * N bytes), half the Argon2id memory
     * ceiling and under two seconds here; it leaves room for a store whose cost an operator raised, and keeps an edited
     * file from asking for gigabytes.
     */
    public static final int MAX_SCRYPT_LOG2_N = 17;
    /** The only scrypt block size ever written; memory and time grow with it, so no other value is run. */
    public static final int SCRYPT_BLOCK_SIZE = 8;
    /** The only scrypt parallelism ever written; time grows with it, so no other value is run. */
    public static final int SCRYPT_PARALLELISM = 1;

    /** RFC 9106 recommends 16 bytes; a longer stored salt is refused rather than hashed. The scrypt sealer wrote 16 too. */
    public static final int SALT_BYTES = 16;
    /** The AES-GCM nonce length (NIST SP 800-38D's recommended 96 bits). */
    private static final int NONCE_BYTES = 12;
    /** Longer than any parameter string we write; longer text is refused unread. */
    private static final int MAX_PARAMETERS_LENGTH = 100;
    /** AES-256. */
    private static final int KEY_BYTES = 32;

    private final String parameters;
    private final String description;
    private final boolean needsUpgrade;
    private final SecretKeySpec key;
    private final SecureRandom random;

    private KeySealer(String parameters, String description, boolean needsUpgrade, byte[] derivedKey, SecureRandom random) {
        this.parameters = parameters;
        this.description = description;
        this.needsUpgrade = needsUpgrade;
        this.key = new SecretKeySpec(derivedKey, "AES");
        Arrays.fill(derivedKey, (byte) 0);
        this.random = Objects.requireNonNull(random, "random");
    }

    private static KeySealer argon2id(char[] secret, byte[] salt, int memoryKib, int iterations, int parallelism, SecureRandom random) {
        byte[] pw = utf8(secret);
        Argon2BytesGenerator argon2 = new Argon2BytesGenerator();
        argon2.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt).withMemoryAsKB(memoryKib).withIterations(iterations).withParallelism(parallelism).build());
        byte[] k = new byte[KEY_BYTES];
        argon2.generateBytes(pw, k);
        Arrays.fill(pw, (byte) 0);
        return new KeySealer("v2.argon2id." + memoryKib + "." + iterations + "." + parallelism + "." + Base64Url.encode(salt),
                "argon2id m=" + memoryKib + " KiB, t=" + iterations + ", p=" + parallelism, false, k, random);
    }

    /** The derivation of the scrypt sealer, byte for byte, so that its stores still open. */
    private static KeySealer scrypt(char[] secret, byte[] salt, int log2N, SecureRandom random) {
        byte[] pw = utf8(secret);
        byte[] k = SCrypt.generate(pw, salt, 1 << log2N, SCRYPT_BLOCK_SIZE, SCRYPT_PARALLELISM, KEY_BYTES);
        Arrays.fill(pw, (byte) 0);
        return new KeySealer("v1." + log2N + "." + SCRYPT_BLOCK_SIZE + "." + SCRYPT_PARALLELISM + "." + Base64Url.encode(salt),
                "scrypt N=2^" + log2N + ", r=" + SCRYPT_BLOCK_SIZE + ", p=" + SCRYPT_PARALLELISM + ", needs upgrade", true, k, random);
    }

    /**
     * The secret's UTF-8 bytes, the same bytes {@code new String(secret).getBytes(UTF_8)} gives (a lone surrogate
     * becomes {@code '?'}), so every store opens as before; but no {@code String} is made, which could not be wiped
     * and would outlive the caller's wiped {@code char[]}. The encoder's buffer is wiped here, the result by the caller.
     */
    private static byte[] utf8(char[] secret) {
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        ByteBuffer encoded;
        try {
            encoded = encoder.encode(CharBuffer.wrap(secret));
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("a replacing UTF-8 encoder reported an error", e);
        }
        byte[] out = new byte[encoded.remaining()];
        encoded.get(out);
        if (encoded.hasArray()) {
            Arrays.fill(encoded.array(), (byte) 0);
        }
        return out;
    }

    /** A sealer for a new store, or for re-sealing an old one: fresh salt, the OWASP floor parameters. */
    public static KeySealer create(char[] secret, SecureRandom random) {
        Objects.requireNonNull(secret, "secret");
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return argon2id(secret, salt, MIN_MEMORY_KIB, MIN_ITERATIONS, MIN_PARALLELISM, random);
    }

    /**
     * A sealer for an existing store, from the parameters {@link #parameters()} gave when it was made: Argon2id
     * ({@code v2}), or scrypt ({@code v1}) from before Argon2id, which {@link #needsUpgrade() needs an upgrade}. The
     * parameters are checked against the bounds above before the derivation runs.
     *
     * @throws ProblemException {@code LIMIT_EXCEEDED} for Argon2id memory, iterations or parallelism outside
     *     [{@value #MIN_MEMORY_KIB}, {@value #MAX_MEMORY_KIB}] KiB, [{@value #MIN_ITERATIONS}, {@value #MAX_ITERATIONS}],
     *     [{@value #MIN_PARALLELISM}, {@value #MAX_PARALLELISM}], or scrypt log2 N outside [{@value #MIN_SCRYPT_LOG2_N},
     *     {@value #MAX_SCRYPT_LOG2_N}], r other than {@value #SCRYPT_BLOCK_SIZE} or p other than
     *     {@value #SCRYPT_PARALLELISM}; {@code MALFORMED_VALUE_ERROR} for text that is not parameters we write
     */
    public static KeySealer open(char[] secret, String parameters, SecureRandom random) {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(parameters, "parameters");
        String[] parts = parameters.length() > MAX_PARAMETERS_LENGTH ? new String[0] : parameters.split("\\.", -1);
        if (parts.length == 6 && parts[0].equals("v2") && parts[1].equals("argon2id")) {
            int memoryKib = bounded(parts[2], "Argon2id memory (KiB)", MIN_MEMORY_KIB, MAX_MEMORY_KIB);
            int iterations = bounded(parts[3], "Argon2id iterations", MIN_ITERATIONS, MAX_ITERATIONS);
            int parallelism = bounded(parts[4], "Argon2id parallelism", MIN_PARALLELISM, MAX_PARALLELISM);
            return argon2id(secret, salt(parts[5]), memoryKib, iterations, parallelism, random);
        }
        if (parts.length == 5 && parts[0].equals("v1")) {
            int log2N = bounded(parts[1], "scrypt log2 N", MIN_SCRYPT_LOG2_N, MAX_SCRYPT_LOG2_N);
            bounded(parts[2], "scrypt r", SCRYPT_BLOCK_SIZE, SCRYPT_BLOCK_SIZE);
            bounded(parts[3], "scrypt p", SCRYPT_PARALLELISM, SCRYPT_PARALLELISM);
            return scrypt(secret, salt(parts[4]), log2N, random);
        }
        throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "the key sealing parameters are not"
                + " v2.argon2id.<memory KiB>.<iterations>.<parallelism>.<salt> (or the older v1.<log2 N>.<r>.<p>.<salt>);"
                + " restore the file from a backup");
    }

    private static byte[] salt(String text) {
        byte[] salt;
        try {
            salt = Base64Url.decode(text);
        } catch (ProblemException e) {
            salt = new byte[0];
        }
        if (salt.length != SALT_BYTES) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR,
                    "the key sealing salt must be " + SALT_BYTES + " bytes of base64url; restore the file from a backup");
        }
        return salt;
    }

    private static int bounded(String digits, String what, int min, int max) {
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "the key sealing " + what + " is not a number");
        }
        long v = digits.length() > 9 ? Long.MAX_VALUE : Long.parseLong(digits);
        if (v < min || v > max) {
            throw new ProblemException(ProblemType.LIMIT_EXCEEDED, "the stored " + what + " " + digits + " is outside "
                    + min + ".." + max + "; the file was edited or written by another program: restore it from a backup");
        }
        return (int) v;
    }

    /**
     * Whether this sealer was opened from scrypt parameters: it still opens and seals, but its owner should re-seal every
     * key under a sealer from {@link #create} ({@link #resealUnder}) and store that sealer's parameters with the
     * re-sealed keys in one transaction, so that no key is ever sealed under parameters that are not stored.
     */
    public boolean needsUpgrade() {
        return needsUpgrade;
    }

    /**
     * Opens {@code sealed} with this sealer and seals it again under {@code target}, bound to the same label; the
     * plaintext is wiped before returning.
     *
     * @throws ProblemException as {@link #open(String, String)}
     */
    public String resealUnder(KeySealer target, String sealed, String label) {
        Objects.requireNonNull(target, "target");
        byte[] plaintext = open(sealed, label);
        try {
            return target.seal(plaintext, label);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /** The derivation parameters and salt, to store beside the sealed keys (not secret). */
    public String parameters() {
        return parameters;
    }

    /** Seals {@code plaintext}, bound to {@code label}. */
    public String seal(byte[] plaintext, String label) {
        byte[] nonce = new byte[NONCE_BYTES];
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
     * @throws ProblemException {@code UNAUTHORIZED} when the secret is wrong or the data or label was altered;
     *     {@code MALFORMED_VALUE_ERROR} for text that is not a sealed key
     */
    public byte[] open(String sealed, String label) {
        Objects.requireNonNull(sealed, "sealed");
        String[] parts = sealed.split("\\.", -1);
        if (parts.length != 3 || !parts[0].equals("v1")) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "not a sealed key");
        }
        byte[] nonce = Base64Url.decode(parts[1]);
        if (nonce.length != NONCE_BYTES) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "not a sealed key: the nonce must be " + NONCE_BYTES + " bytes");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, nonce));
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
        return "KeySealer[" + description + "]";
    }
}
