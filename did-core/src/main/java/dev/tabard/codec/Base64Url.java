package dev.tabard.codec;

import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.util.Base64;
import java.util.Objects;

/**
 * Strict base64url without padding (RFC 7515 §2). Decoding refuses padding, whitespace, characters
 * outside the alphabet and non-canonical trailing bits: the JDK and nimbus decoders tolerate some of
 * these, which makes a signature string malleable.
 */
public final class Base64Url {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private Base64Url() {}

    public static String encode(byte[] data) {
        return ENCODER.encodeToString(Objects.requireNonNull(data, "data"));
    }

    /** Six-bit values by character; -1 outside the alphabet. */
    private static final byte[] VALUES = new byte[128];

    static {
        java.util.Arrays.fill(VALUES, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < alphabet.length(); i++) {
            VALUES[alphabet.charAt(i)] = (byte) i;
        }
    }

    /** True when {@code s} is canonical unpadded base64url. */
    public static boolean isStrict(CharSequence s) {
        return decodeOrNull(Objects.requireNonNull(s, "s").toString()) != null;
    }

    /**
     * @throws ProblemException {@code MALFORMED_VALUE_ERROR} when {@code s} is not strict base64url
     */
    public static byte[] decode(CharSequence s) {
        byte[] out = decodeOrNull(Objects.requireNonNull(s, "s").toString());
        if (out == null) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "not canonical unpadded base64url");
        }
        return out;
    }

    /** One pass that checks and decodes; null unless canonical (the unused low bits of the last character zero, RFC 4648 §3.5). */
    private static byte[] decodeOrNull(String s) {
        int n = s.length();
        int rest = n % 4;
        if (rest == 1) {
            return null;
        }
        byte[] out = new byte[n / 4 * 3 + (rest == 0 ? 0 : rest - 1)];
        int o = 0;
        int i = 0;
        for (int full = n - rest; i < full; i += 4) {
            int a = value(s, i);
            int b = value(s, i + 1);
            int c = value(s, i + 2);
            int d = value(s, i + 3);
            if ((a | b | c | d) < 0) {
                return null;
            }
            int v = a << 18 | b << 12 | c << 6 | d;
            out[o++] = (byte) (v >> 16);
            out[o++] = (byte) (v >> 8);
            out[o++] = (byte) v;
        }
        if (rest == 2) {
            int a = value(s, i);
            int b = value(s, i + 1);
            if ((a | b) < 0 || (b & 0xF) != 0) {
                return null;
            }
            int v = a << 6 | b;
            out[o] = (byte) (v >> 4);
        } else if (rest == 3) {
            int a = value(s, i);
            int b = value(s, i + 1);
            int c = value(s, i + 2);
            if ((a | b | c) < 0 || (c & 0x3) != 0) {
                return null;
            }
            int v = a << 12 | b << 6 | c;
            out[o++] = (byte) (v >> 10);
            out[o] = (byte) (v >> 2);
        }
        return out;
    }

    /** The six-bit value at {@code i}, or -1 outside the alphabet. */
    private static int value(String s, int i) {
        char c = s.charAt(i);
        return c < 128 ? VALUES[c] : -1;
    }
}
