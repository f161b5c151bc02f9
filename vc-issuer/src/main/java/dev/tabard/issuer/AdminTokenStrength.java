package dev.tabard.issuer;

import java.util.Objects;

/**
 * The least an operator-supplied admin token ({@code TABARD_ADMIN_TOKEN}) must be: long enough to carry 128 bits in the
 * alphabet it is written in, printable, and not one character repeated. It cannot prove a token was drawn at random;
 * it refuses the short, made-up and repetitive ones, and its message says how to make a good one. Tokens the issuer
 * makes itself are 32 random bytes and always pass.
 *
 * <pre>{@code
 * AdminTokenStrength.check(System.getenv("TABARD_ADMIN_TOKEN")); // IllegalArgumentException when too weak
 * }</pre>
 */
public final class AdminTokenStrength {

    /** The strength asked for: 128 bits, the security level of the rest of Tabard (Ed25519, P-256, AES-128). */
    public static final int MIN_BITS = 128;
    /** 128 bits in hex, the least dense alphabet in common use (4 bits a character): {@code openssl rand -hex 16}. */
    public static final int MIN_CHARS = 32;
    /** Admin tokens travel in an {@code Authorization} header, which the admin API caps at 512 characters. */
    public static final int MAX_CHARS = 256;
    /**
     * Distinct characters a token must use: 32 random hex characters use about 14, and fewer than 8 with odds below
     * 1 in 25 million; "aaaa…" or "abab…" use one or two.
     */
    public static final int MIN_DISTINCT_CHARS = 8;
    /** The command the error message suggests: 32 random bytes, 44 base64 characters, 256 bits. */
    public static final String HOW_TO_MAKE_ONE = "openssl rand -base64 32";

    private AdminTokenStrength() {
    }

    /**
     * Accepts a token that meets every bound above; returns normally or throws.
     *
     * @throws IllegalArgumentException saying what is missing and how to make a strong token; the message never
     *     contains the token
     */
    public static void check(String token) {
        Objects.requireNonNull(token, "token");
        String fix = ": make one with `" + HOW_TO_MAKE_ONE + "`, or leave TABARD_ADMIN_TOKEN unset and the issuer generates one "
                + "and prints it once";
        if (token.length() < MIN_CHARS || token.length() > MAX_CHARS) {
            throw new IllegalArgumentException("the admin token has " + token.length() + " characters; it needs " + MIN_CHARS
                    + " to " + MAX_CHARS + " random ones (" + MIN_BITS + " bits)" + fix);
        }
        if (!token.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw new IllegalArgumentException("the admin token must be printable ASCII without spaces, as it is sent in an "
                    + "Authorization header" + fix);
        }
        if (token.chars().distinct().count() < MIN_DISTINCT_CHARS) {
            throw new IllegalArgumentException("the admin token repeats a few characters (fewer than " + MIN_DISTINCT_CHARS
                    + " distinct ones); it must be random" + fix);
        }
        int bits = (int) Math.floor(token.length() * Math.log(alphabetSize(token)) / Math.log(2));
        if (bits < MIN_BITS) {
            throw new IllegalArgumentException("the admin token carries at most " + bits + " bits in its alphabet; it needs "
                    + MIN_BITS + fix);
        }
    }

    /** The size of the smallest common alphabet that holds every character of the token. */
    static int alphabetSize(String token) {
        boolean digits = token.chars().allMatch(Character::isDigit);
        if (digits) {
            return 10;
        }
        if (token.chars().allMatch(c -> Character.digit(c, 16) >= 0)
                && (token.equals(token.toLowerCase(java.util.Locale.ROOT)) || token.equals(token.toUpperCase(java.util.Locale.ROOT)))) {
            return 16;
        }
        boolean oneCase = token.equals(token.toLowerCase(java.util.Locale.ROOT)) || token.equals(token.toUpperCase(java.util.Locale.ROOT));
        if (token.chars().allMatch(Character::isLetter)) {
            return oneCase ? 26 : 52;
        }
        if (token.chars().allMatch(Character::isLetterOrDigit)) {
            return oneCase ? 36 : 62;
        }
        if (token.chars().allMatch(c -> Character.isLetterOrDigit(c) || "+/=-_".indexOf(c) >= 0)) {
            return 64;
        }
        return 94;
    }
}
