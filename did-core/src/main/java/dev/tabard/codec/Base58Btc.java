package dev.tabard.codec;

import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.util.Arrays;
import java.util.Objects;

/** Base58 with the Bitcoin alphabet, as multibase {@code z} uses it. */
public final class Base58Btc {

    private static final char[] ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".toCharArray();
    private static final int[] INDEXES = new int[128];
    /** Far above any key or signature; bounds the quadratic decode. */
    public static final int MAX_ENCODED_LENGTH = 4096;

    static {
        Arrays.fill(INDEXES, -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            INDEXES[ALPHABET[i]] = i;
        }
    }

    private Base58Btc() {}

    public static String encode(byte[] input) {
        Objects.requireNonNull(input, "input");
        if (input.length == 0) {
            return "";
        }
        int zeros = 0;
        while (zeros < input.length && input[zeros] == 0) {
            zeros++;
        }
        byte[] copy = Arrays.copyOf(input, input.length);
        char[] encoded = new char[input.length * 2];
        int out = encoded.length;
        int start = zeros;
        while (start < copy.length) {
            encoded[--out] = ALPHABET[divmod(copy, start, 256, 58)];
            if (copy[start] == 0) {
                start++;
            }
        }
        while (out < encoded.length && encoded[out] == ALPHABET[0]) {
            out++;
        }
        while (--zeros >= 0) {
            encoded[--out] = ALPHABET[0];
        }
        return new String(encoded, out, encoded.length - out);
    }

    /** @throws ProblemException {@code MALFORMED_VALUE_ERROR} on a character outside the alphabet or an oversized input */
    public static byte[] decode(String input) {
        Objects.requireNonNull(input, "input");
        if (input.length() > MAX_ENCODED_LENGTH) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "base58btc value too long");
        }
        if (input.isEmpty()) {
            return new byte[0];
        }
        byte[] input58 = new byte[input.length()];
        for (int i = 0; i < input.length(); i++) {
            char c = input.charAt(i);
            int digit = c < 128 ? INDEXES[c] : -1;
            if (digit < 0) {
                throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR,
                        "invalid base58btc character at position " + i);
            }
            input58[i] = (byte) digit;
        }
        int zeros = 0;
        while (zeros < input58.length && input58[zeros] == 0) {
            zeros++;
        }
        byte[] decoded = new byte[input.length()];
        int out = decoded.length;
        int start = zeros;
        while (start < input58.length) {
            decoded[--out] = divmod(input58, start, 58, 256);
            if (input58[start] == 0) {
                start++;
            }
        }
        while (out < decoded.length && decoded[out] == 0) {
            out++;
        }
        return Arrays.copyOfRange(decoded, out - zeros, decoded.length);
    }

    private static byte divmod(byte[] number, int first, int base, int divisor) {
        int remainder = 0;
        for (int i = first; i < number.length; i++) {
            int digit = number[i] & 0xFF;
            int temp = remainder * base + digit;
            number[i] = (byte) (temp / divisor);
            remainder = temp % divisor;
        }
        return (byte) remainder;
    }
}
