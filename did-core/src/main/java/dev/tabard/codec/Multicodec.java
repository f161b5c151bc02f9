package dev.tabard.codec;

import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.util.Arrays;
import java.util.Objects;

/**
 * Multicodec prefixes (unsigned varint) for the key types Tabard reads. Only the public-key codes are
 * accepted where a public key is expected: a secret-key header in {@code publicKeyMultibase} is an error.
 */
public enum Multicodec {
    ED25519_PUB(0xed, 32),
    X25519_PUB(0xec, 32),
    P256_PUB(0x1200, 33),
    P384_PUB(0x1201, 49),
    SECP256K1_PUB(0xe7, 33),
    BLS12_381_G2_PUB(0xeb, 96),
    ED25519_PRIV(0x1300, 32),
    P256_PRIV(0x1306, 32),
    P384_PRIV(0x1307, 48);

    private final int code;
    private final int keyLength;
    private final byte[] prefix;

    Multicodec(int code, int keyLength) {
        this.code = code;
        this.keyLength = keyLength;
        this.prefix = varint(code);
    }

    public int code() {
        return code;
    }

    /** Expected length of the raw key after the prefix. */
    public int keyLength() {
        return keyLength;
    }

    public byte[] prefix() {
        return prefix.clone();
    }

    /** Prefix ‖ raw key. */
    public byte[] wrap(byte[] raw) {
        Objects.requireNonNull(raw, "raw");
        byte[] out = Arrays.copyOf(prefix, prefix.length + raw.length);
        System.arraycopy(raw, 0, out, prefix.length, raw.length);
        return out;
    }

    /** A prefixed value split into its codec and raw bytes. */
    public record Decoded(Multicodec codec, byte[] raw) {
        public Decoded {
            Objects.requireNonNull(codec, "codec");
            raw = raw.clone();
        }

        @Override
        public byte[] raw() {
            return raw.clone();
        }
    }

    /**
     * @throws ProblemException {@code MALFORMED_VALUE_ERROR} for an unknown code or a key of the wrong length
     */
    public static Decoded decode(byte[] value) {
        Objects.requireNonNull(value, "value");
        long code = 0;
        int shift = 0;
        int i = 0;
        while (true) {
            if (i >= value.length || i >= 4) {
                throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "truncated multicodec varint");
            }
            int b = value[i++] & 0xFF;
            code |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
            shift += 7;
        }
        for (Multicodec m : values()) {
            if (m.code == code && Arrays.equals(m.prefix, Arrays.copyOf(value, i))) {
                byte[] raw = Arrays.copyOfRange(value, i, value.length);
                if (raw.length != m.keyLength) {
                    throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR,
                            m.name() + " key must be " + m.keyLength + " bytes, got " + raw.length);
                }
                return new Decoded(m, raw);
            }
        }
        throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR,
                "unknown multicodec 0x" + Long.toHexString(code));
    }

    private static byte[] varint(int value) {
        byte[] buf = new byte[5];
        int n = 0;
        int v = value;
        while ((v & ~0x7F) != 0) {
            buf[n++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[n++] = (byte) v;
        return Arrays.copyOf(buf, n);
    }
}
