package dev.vouch.codec;

import dev.vouch.problem.ProblemException;
import dev.vouch.problem.ProblemType;
import java.util.Base64;
import java.util.Objects;

/**
 * Strict base64url without padding (RFC 7515 §2). Decoding refuses padding, whitespace, characters
 * outside the alphabet and non-canonical trailing bits: the JDK and nimbus decoders tolerate some of
 * these, which makes a signature string malleable.
 */
public final class Base64Url {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private Base64Url() {}

    public static String encode(byte[] data) {
        return ENCODER.encodeToString(Objects.requireNonNull(data, "data"));
    }

    /** True when {@code s} is canonical unpadded base64url. */
    public static boolean isStrict(CharSequence s) {
        Objects.requireNonNull(s, "s");
        int n = s.length();
        if (n % 4 == 1) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_';
            if (!ok) {
                return false;
            }
        }
        if (n % 4 != 0) {
            // The unused low bits of the last character must be zero (RFC 4648 §3.5 canonical encoding).
            int last = value(s.charAt(n - 1));
            int unusedBits = (n % 4 == 2) ? 4 : 2;
            return (last & ((1 << unusedBits) - 1)) == 0;
        }
        return true;
    }

    /**
     * @throws ProblemException {@code MALFORMED_VALUE_ERROR} when {@code s} is not strict base64url
     */
    public static byte[] decode(CharSequence s) {
        if (!isStrict(s)) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "not canonical unpadded base64url");
        }
        return DECODER.decode(s.toString());
    }

    private static int value(char c) {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        return c == '-' ? 62 : 63;
    }
}
