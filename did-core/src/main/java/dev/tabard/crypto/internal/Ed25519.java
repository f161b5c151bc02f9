package dev.tabard.crypto.internal;

import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.math.ec.rfc8032.Ed25519.PublicPoint;

/**
 * Ed25519 over BouncyCastle's low-level implementation: strict RFC 8032 verification (passes all
 * Wycheproof cases) and full public-key validation (canonical encoding, not of small order).
 */
public final class Ed25519 {

    public static final int KEY_LENGTH = 32;
    public static final int SIGNATURE_LENGTH = 64;

    /**
     * Decoded public points, by key bytes. Decoding a point (a square root in the field) is about a tenth of a
     * verification, and a verifier sees the same few issuer and holder keys over and over. Bounded: cleared when full.
     */
    private static final int POINT_CACHE_ENTRIES = 4096;
    private static final Map<ByteBuffer, PublicPoint> POINTS = new ConcurrentHashMap<>();

    /**
     * Keys that passed full validation (a scalar multiplication by the group order: as dear as a verification), by
     * key bytes. An issuer checks its agent's did:key on every issuance, a verifier its holders' keys on every
     * presentation; only keys that passed are held, so a hit can never let a bad key through. Bounded: cleared when full.
     */
    private static final Map<ByteBuffer, Boolean> VALIDATED = new ConcurrentHashMap<>();

    private Ed25519() {}

    /** @throws ProblemException {@code INVALID_VERIFICATION_METHOD} for a malformed, non-canonical or small-order key */
    public static void validatePublicKey(byte[] publicKey) {
        if (publicKey.length != KEY_LENGTH) {
            throw new ProblemException(ProblemType.INVALID_VERIFICATION_METHOD,
                    "Ed25519 public key must be 32 bytes, got " + publicKey.length);
        }
        if (VALIDATED.containsKey(ByteBuffer.wrap(publicKey))) {
            return;
        }
        if (!org.bouncycastle.math.ec.rfc8032.Ed25519.validatePublicKeyFull(publicKey, 0)) {
            throw new ProblemException(ProblemType.INVALID_VERIFICATION_METHOD,
                    "Ed25519 public key is not a canonical point of large order");
        }
        if (VALIDATED.size() >= POINT_CACHE_ENTRIES) {
            VALIDATED.clear();
        }
        VALIDATED.put(ByteBuffer.wrap(publicKey.clone()), Boolean.TRUE);
    }

    /** @throws ProblemException {@code CRYPTOGRAPHIC_SECURITY_ERROR} unless the signature is valid */
    public static void verify(byte[] publicKey, byte[] message, byte[] signature) {
        PublicPoint point = signature.length == SIGNATURE_LENGTH ? point(publicKey) : null;
        if (point == null
                || !org.bouncycastle.math.ec.rfc8032.Ed25519.verify(signature, 0, point, message, 0, message.length)) {
            throw new ProblemException(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, "Ed25519 signature is not valid");
        }
    }

    /** The decoded point, as BouncyCastle's byte-array verify decodes it; null when the bytes are not a point. */
    private static PublicPoint point(byte[] publicKey) {
        if (publicKey.length != KEY_LENGTH) {
            return null;
        }
        PublicPoint point = POINTS.get(ByteBuffer.wrap(publicKey));
        if (point == null) {
            point = org.bouncycastle.math.ec.rfc8032.Ed25519.validatePublicKeyPartialExport(publicKey, 0);
            if (point != null) {
                if (POINTS.size() >= POINT_CACHE_ENTRIES) {
                    POINTS.clear();
                }
                POINTS.put(ByteBuffer.wrap(publicKey.clone()), point);
            }
        }
        return point;
    }

    public static byte[] generatePrivateKey(SecureRandom random) {
        byte[] sk = new byte[KEY_LENGTH];
        org.bouncycastle.math.ec.rfc8032.Ed25519.generatePrivateKey(random, sk);
        return sk;
    }

    public static byte[] publicKey(byte[] privateKey) {
        if (privateKey.length != KEY_LENGTH) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "Ed25519 private key must be 32 bytes");
        }
        byte[] pk = new byte[KEY_LENGTH];
        org.bouncycastle.math.ec.rfc8032.Ed25519.generatePublicKey(privateKey, 0, pk, 0);
        return pk;
    }

    public static byte[] sign(byte[] privateKey, byte[] publicKey, byte[] message) {
        byte[] sig = new byte[SIGNATURE_LENGTH];
        org.bouncycastle.math.ec.rfc8032.Ed25519.sign(privateKey, 0, publicKey, 0, message, 0, message.length, sig, 0);
        return sig;
    }
}
