package dev.tabard.httpsig;

import dev.tabard.httpsig.internal.SfParser;
import dev.tabard.httpsig.internal.StructuredFields;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Objects;

/**
 * The Content-Digest field of RFC 9530: a Dictionary of digests of the message content, which a signature covers in
 * place of the content itself (RFC 9421 §7.2.8).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9530#section-2">RFC 9530 §2</a>
 */
public final class ContentDigest {

    /** The longest Content-Digest field value {@link #verify} reads. */
    public static final int MAX_FIELD_LENGTH = 8 * 1024;

    private ContentDigest() {
    }

    /** {@code sha-256=:<base64 of SHA-256(content)>:}. */
    public static String sha256(byte[] content) {
        return member("sha-256", "SHA-256", content);
    }

    /** {@code sha-512=:<base64 of SHA-512(content)>:}. */
    public static String sha512(byte[] content) {
        return member("sha-512", "SHA-512", content);
    }

    private static String member(String key, String algorithm, byte[] content) {
        Objects.requireNonNull(content, "content");
        return key + "=:" + Base64.getEncoder().encodeToString(digest(algorithm, content)) + ":";
    }

    /**
     * Checks a Content-Digest field value against {@code content}: every {@code sha-256} and {@code sha-512} member
     * must match; members of other algorithms are ignored (RFC 9530 §2 lets a recipient ignore digests), but at least
     * one known member is required, so a field of unknown algorithms only is refused rather than passed.
     *
     * <p><b>Security:</b> digests are compared in constant time; a key given twice is refused rather than resolved.
     *
     * @throws ProblemException {@code INPUT_TOO_LARGE} over {@link #MAX_FIELD_LENGTH}; {@code PARSING_ERROR} when it
     *     is not a Dictionary; {@code MALFORMED_VALUE_ERROR} for a repeated key, a known member that is not a Byte
     *     Sequence, or no known member; {@code CRYPTOGRAPHIC_SECURITY_ERROR} when a digest does not match
     */
    public static void verify(String fieldValue, byte[] content) {
        Objects.requireNonNull(fieldValue, "fieldValue");
        Objects.requireNonNull(content, "content");
        if (fieldValue.length() > MAX_FIELD_LENGTH) {
            throw new ProblemException(ProblemType.INPUT_TOO_LARGE,
                    "Content-Digest is longer than " + MAX_FIELD_LENGTH + " characters");
        }
        int known = 0;
        for (StructuredFields.DictionaryMember m : SfParser.parseDictionary(fieldValue, false)) {
            String algorithm = switch (m.key()) {
                case "sha-256" -> "SHA-256";
                case "sha-512" -> "SHA-512";
                default -> null;
            };
            if (algorithm == null) {
                continue;
            }
            if (!(m.value() instanceof StructuredFields.Item item)
                    || !(item.value() instanceof StructuredFields.ByteSequence expected)) {
                throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR,
                        "Content-Digest member " + m.key() + " is not a Byte Sequence");
            }
            if (!MessageDigest.isEqual(digest(algorithm, content), expected.value().toByteArray())) {
                throw new ProblemException(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR,
                        "Content-Digest " + m.key() + " does not match the content");
            }
            known++;
        }
        if (known == 0) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR,
                    "Content-Digest has no sha-256 or sha-512 member");
        }
    }

    private static byte[] digest(String algorithm, byte[] content) {
        try {
            return MessageDigest.getInstance(algorithm).digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
