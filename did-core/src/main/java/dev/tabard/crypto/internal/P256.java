package dev.tabard.crypto.internal;

import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;

/**
 * ECDSA P-256 with SHA-256 over BouncyCastle's lightweight API: point validation on import, strict
 * signature encodings (P1363 exactly 64 bytes; DER strictly canonical), deterministic signing (RFC 6979).
 */
public final class P256 {

    private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256r1");
    public static final ECDomainParameters DOMAIN =
            new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH());
    private static final BigInteger N = CURVE.getN();

    private P256() {}

    /** A validated public point. */
    public static final class PublicKey {
        final ECPublicKeyParameters params;

        PublicKey(ECPublicKeyParameters params) {
            this.params = params;
        }
    }

    /** Decodes and validates a SEC1 point (compressed or uncompressed). */
    public static PublicKey publicKey(byte[] sec1) {
        return new PublicKey(new ECPublicKeyParameters(decodePoint(sec1), DOMAIN));
    }

    private static ECPoint decodePoint(byte[] sec1) {
        if (sec1.length != 33 && sec1.length != 65) {
            throw invalidKey("P-256 public key must be a 33- or 65-byte SEC1 point");
        }
        try {
            ECPoint p = CURVE.getCurve().decodePoint(sec1).normalize();
            if (p.isInfinity() || !p.isValid()) {
                throw invalidKey("P-256 public key is not a valid curve point");
            }
            return p;
        } catch (IllegalArgumentException e) {
            throw invalidKey("P-256 public key is not a valid curve point");
        }
    }

    public static byte[] compress(byte[] sec1) {
        return decodePoint(sec1).getEncoded(true);
    }

    public static byte[] decompress(byte[] sec1) {
        return decodePoint(sec1).getEncoded(false);
    }

    /** Verifies an IEEE P1363 (r‖s, 64 bytes) signature, the JWS ES256 form. */
    public static void verifyP1363(PublicKey key, byte[] message, byte[] signature) {
        if (signature.length != 64) {
            throw badSignature();
        }
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
        verify(key, message, r, s);
    }

    /** Verifies a DER-encoded signature; the encoding must be canonical DER (Wycheproof's BER cases fail). */
    public static void verifyDer(PublicKey key, byte[] message, byte[] der) {
        BigInteger r;
        BigInteger s;
        try {
            ASN1Primitive prim = ASN1Primitive.fromByteArray(der);
            if (!(prim instanceof ASN1Sequence)) {
                throw badSignature();
            }
            ASN1Sequence seq = (ASN1Sequence) prim;
            if (seq.size() != 2 || !Arrays.equals(seq.getEncoded("DER"), der)) {
                throw badSignature();
            }
            r = ASN1Integer.getInstance(seq.getObjectAt(0)).getValue();
            s = ASN1Integer.getInstance(seq.getObjectAt(1)).getValue();
        } catch (java.io.IOException | IllegalArgumentException | IllegalStateException e) {
            throw badSignature();
        }
        verify(key, message, r, s);
    }

    private static void verify(PublicKey key, byte[] message, BigInteger r, BigInteger s) {
        if (r.signum() <= 0 || s.signum() <= 0 || r.compareTo(N) >= 0 || s.compareTo(N) >= 0) {
            throw badSignature();
        }
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, key.params);
        if (!verifier.verifySignature(sha256(message), r, s)) {
            throw badSignature();
        }
    }

    public static byte[] generatePrivateKey(SecureRandom random) {
        BigInteger d;
        do {
            d = BigIntegers.createRandomBigInteger(256, random);
        } while (d.signum() == 0 || d.compareTo(N) >= 0);
        return BigIntegers.asUnsignedByteArray(32, d);
    }

    /** The compressed public point for a 32-byte private scalar. */
    public static byte[] derivePublicKey(byte[] privateKey) {
        BigInteger d = scalar(privateKey);
        return CURVE.getG().multiply(d).normalize().getEncoded(true);
    }

    /** Deterministic ECDSA (RFC 6979), P1363 output. */
    public static byte[] sign(byte[] privateKey, byte[] message) {
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, new ECPrivateKeyParameters(scalar(privateKey), DOMAIN));
        BigInteger[] rs = signer.generateSignature(sha256(message));
        byte[] out = new byte[64];
        System.arraycopy(BigIntegers.asUnsignedByteArray(32, rs[0]), 0, out, 0, 32);
        System.arraycopy(BigIntegers.asUnsignedByteArray(32, rs[1]), 0, out, 32, 32);
        return out;
    }

    private static BigInteger scalar(byte[] privateKey) {
        if (privateKey.length != 32) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "P-256 private key must be 32 bytes");
        }
        BigInteger d = new BigInteger(1, privateKey);
        if (d.signum() == 0 || d.compareTo(N) >= 0) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "P-256 private key is out of range");
        }
        return d;
    }

    private static byte[] sha256(byte[] message) {
        SHA256Digest digest = new SHA256Digest();
        digest.update(message, 0, message.length);
        byte[] out = new byte[32];
        digest.doFinal(out, 0);
        return out;
    }

    private static ProblemException invalidKey(String detail) {
        return new ProblemException(ProblemType.INVALID_VERIFICATION_METHOD, detail);
    }

    private static ProblemException badSignature() {
        return new ProblemException(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, "ECDSA P-256 signature is not valid");
    }
}
