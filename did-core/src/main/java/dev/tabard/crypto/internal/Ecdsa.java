package dev.tabard.crypto.internal;

import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.function.Supplier;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;

/**
 * ECDSA on the NIST curves Tabard verifies with, each with the hash that matches its size (P-256 with SHA-256,
 * P-384 with SHA-384; RFC 7518 §3.4), over BouncyCastle's lightweight API: point validation on import (SEC1
 * compressed or uncompressed only, coordinates below the field prime, on the curve, not infinity), strict signature
 * encodings (P1363 of exactly twice the coordinate length; DER strictly canonical), deterministic signing (RFC 6979).
 */
public final class Ecdsa {

    /** NIST P-256 (secp256r1) with SHA-256. */
    public static final Ecdsa P256 = new Ecdsa("P-256", "secp256r1", 32, SHA256Digest::new);

    /** NIST P-384 (secp384r1) with SHA-384. */
    public static final Ecdsa P384 = new Ecdsa("P-384", "secp384r1", 48, SHA384Digest::new);

    private static final byte COMPRESSED_EVEN = 0x02;
    private static final byte COMPRESSED_ODD = 0x03;
    private static final byte UNCOMPRESSED = 0x04;

    private final String name;
    private final X9ECParameters curve;
    private final ECDomainParameters domain;
    private final BigInteger n;
    private final int fieldLength;
    private final Supplier<Digest> digest;

    private Ecdsa(String name, String curveName, int fieldLength, Supplier<Digest> digest) {
        this.name = name;
        this.curve = CustomNamedCurves.getByName(curveName);
        this.domain = new ECDomainParameters(curve.getCurve(), curve.getG(), curve.getN(), curve.getH());
        this.n = curve.getN();
        this.fieldLength = fieldLength;
        this.digest = digest;
    }

    /** A validated public point of one curve. */
    public static final class PublicKey {
        private final Ecdsa curve;
        private final ECPublicKeyParameters params;

        private PublicKey(Ecdsa curve, ECPublicKeyParameters params) {
            this.curve = curve;
            this.params = params;
        }

        /** The SEC1 compressed encoding. */
        public byte[] compressed() {
            return params.getQ().getEncoded(true);
        }

        /** The SEC1 uncompressed encoding ({@code 04 ‖ x ‖ y}). */
        public byte[] uncompressed() {
            return params.getQ().getEncoded(false);
        }
    }

    /** Length in bytes of one coordinate, of a scalar, and of each half of a P1363 signature. */
    public int fieldLength() {
        return fieldLength;
    }

    /**
     * Decodes and validates a SEC1 point, compressed ({@code 02|03 ‖ x}) or uncompressed ({@code 04 ‖ x ‖ y}).
     * The infinity encoding, the hybrid forms ({@code 06|07}), coordinates at or above the field prime and points off
     * the curve are refused.
     *
     * @throws ProblemException {@code INVALID_VERIFICATION_METHOD} for any of them
     */
    public PublicKey publicKey(byte[] sec1) {
        boolean compressed = sec1.length == 1 + fieldLength
                && (sec1[0] == COMPRESSED_EVEN || sec1[0] == COMPRESSED_ODD);
        boolean uncompressed = sec1.length == 1 + 2 * fieldLength && sec1[0] == UNCOMPRESSED;
        if (!compressed && !uncompressed) {
            throw invalidKey(name + " public key must be a " + (1 + fieldLength) + "-byte compressed or "
                    + (1 + 2 * fieldLength) + "-byte uncompressed SEC1 point");
        }
        try {
            ECPoint p = curve.getCurve().decodePoint(sec1).normalize();
            if (p.isInfinity() || !p.isValid()) {
                throw invalidKey(name + " public key is not a valid curve point");
            }
            return new PublicKey(this, new ECPublicKeyParameters(p, domain));
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw invalidKey(name + " public key is not a valid curve point");
        }
    }

    /** Verifies an IEEE P1363 ({@code r ‖ s}) signature, the JWS and Data Integrity form. */
    public void verifyP1363(PublicKey key, byte[] message, byte[] signature) {
        if (key.curve != this || signature.length != 2 * fieldLength) {
            throw badSignature();
        }
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, fieldLength));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, fieldLength, 2 * fieldLength));
        verify(key, message, r, s);
    }

    /** Verifies a DER-encoded signature; the encoding must be canonical DER (Wycheproof's BER cases fail). */
    public void verifyDer(PublicKey key, byte[] message, byte[] der) {
        if (key.curve != this) {
            throw badSignature();
        }
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

    private void verify(PublicKey key, byte[] message, BigInteger r, BigInteger s) {
        if (r.signum() <= 0 || s.signum() <= 0 || r.compareTo(n) >= 0 || s.compareTo(n) >= 0) {
            throw badSignature();
        }
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, key.params);
        if (!verifier.verifySignature(hash(message), r, s)) {
            throw badSignature();
        }
    }

    public byte[] generatePrivateKey(SecureRandom random) {
        BigInteger d;
        do {
            d = BigIntegers.createRandomBigInteger(8 * fieldLength, random);
        } while (d.signum() == 0 || d.compareTo(n) >= 0);
        return BigIntegers.asUnsignedByteArray(fieldLength, d);
    }

    /** The compressed public point for a private scalar. */
    public byte[] derivePublicKey(byte[] privateKey) {
        BigInteger d = scalar(privateKey);
        return curve.getG().multiply(d).normalize().getEncoded(true);
    }

    /** Deterministic ECDSA (RFC 6979) with the curve's hash, P1363 output. */
    public byte[] sign(byte[] privateKey, byte[] message) {
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(digest.get()));
        signer.init(true, new ECPrivateKeyParameters(scalar(privateKey), domain));
        BigInteger[] rs = signer.generateSignature(hash(message));
        byte[] out = new byte[2 * fieldLength];
        System.arraycopy(BigIntegers.asUnsignedByteArray(fieldLength, rs[0]), 0, out, 0, fieldLength);
        System.arraycopy(BigIntegers.asUnsignedByteArray(fieldLength, rs[1]), 0, out, fieldLength, fieldLength);
        return out;
    }

    private BigInteger scalar(byte[] privateKey) {
        if (privateKey.length != fieldLength) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR,
                    name + " private key must be " + fieldLength + " bytes");
        }
        BigInteger d = new BigInteger(1, privateKey);
        if (d.signum() == 0 || d.compareTo(n) >= 0) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, name + " private key is out of range");
        }
        return d;
    }

    private byte[] hash(byte[] message) {
        Digest d = digest.get();
        d.update(message, 0, message.length);
        byte[] out = new byte[d.getDigestSize()];
        d.doFinal(out, 0);
        return out;
    }

    private static ProblemException invalidKey(String detail) {
        return new ProblemException(ProblemType.INVALID_VERIFICATION_METHOD, detail);
    }

    private ProblemException badSignature() {
        return new ProblemException(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, "ECDSA " + name + " signature is not valid");
    }

    @Override
    public String toString() {
        return "ECDSA " + name;
    }
}
