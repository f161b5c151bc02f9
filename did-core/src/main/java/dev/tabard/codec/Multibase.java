package dev.tabard.codec;

import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.util.Objects;

/**
 * Multibase strings with the two headers the VC specs use: {@code z} (base58btc) and {@code u}
 * (base64url, no padding). Any other header is refused.
 */
public final class Multibase {

    private Multibase() {}

    public static String encodeBase58Btc(byte[] data) {
        return "z" + Base58Btc.encode(data);
    }

    public static String encodeBase64Url(byte[] data) {
        return "u" + Base64Url.encode(data);
    }

    /** @throws ProblemException {@code MALFORMED_VALUE_ERROR} for an empty value, unknown header or bad encoding */
    public static byte[] decode(String value) {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty()) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "empty multibase value");
        }
        char header = value.charAt(0);
        String body = value.substring(1);
        switch (header) {
            case 'z':
                return Base58Btc.decode(body);
            case 'u':
                return Base64Url.decode(body);
            default:
                throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR,
                        "unsupported multibase header '" + header + "'");
        }
    }
}
