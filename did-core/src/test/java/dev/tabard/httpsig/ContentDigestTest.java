package dev.tabard.httpsig;

import static dev.tabard.httpsig.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tabard.problem.ProblemType;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * RFC 9530 §2 and Appendix B values, and RFC 9421's test messages' digests. (RFC 9530's Brotli examples are left
 * out: the bytes it prints do not hash to the digests it prints.)
 */
class ContentDigestTest {

    private static final byte[] HELLO_LF = "{\"hello\": \"world\"}\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HELLO = "{\"hello\": \"world\"}".getBytes(StandardCharsets.US_ASCII);

    @Test
    void sha256AndSha512_reproduceTheRfcValues() {
        assertEquals("sha-256=:RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg=:", ContentDigest.sha256(HELLO_LF));
        assertEquals("sha-512=:YMAam51Jz/jOATT6/zvHrLVgOYTGFy1d6GJiOHTohq4yP+pgk4vf2aCsyRZOtw8MjkM7iw7yZ/WkppmM44T3qg==:",
                ContentDigest.sha512(HELLO_LF));
        assertEquals("sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:", ContentDigest.sha256(new byte[0]));
        assertEquals("sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:",
                ContentDigest.sha512(HELLO));
        // RFC 9530 B.3: the partial content, bytes 10-18 of the JSON and its LF
        assertEquals("sha-256=:jjcgBDWNAtbYUXI37CVG3gRuGOAjaaDRGpIUFsdyepQ=:",
                ContentDigest.sha256("\"world\"}\n".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void verify_matchingMembers_passes_unknownAlgorithmsIgnored() {
        ContentDigest.verify("sha-256=:RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg=:", HELLO_LF);
        ContentDigest.verify("sha-256=:RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg=:, sha-512=:YMAam51Jz/jOATT6/zvHrLVgOYTGFy1d6"
                + "GJiOHTohq4yP+pgk4vf2aCsyRZOtw8MjkM7iw7yZ/WkppmM44T3qg==:", HELLO_LF);
        ContentDigest.verify("unixsum=30637, md5=:AAAA:, sha-256=:RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg=:", HELLO_LF);
    }

    @Test
    void verify_mismatch_failsWithCryptographicSecurityError() {
        assertProblem(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR,
                () -> ContentDigest.verify("sha-256=:RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg=:", HELLO));
        // one good member does not excuse a bad one
        assertProblem(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, () -> ContentDigest.verify(
                "sha-256=:RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg=:, sha-512=:AAAA:", HELLO_LF));
    }

    @Test
    void verify_malformed_failsWithItsProblem() {
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> ContentDigest.verify("md5=:AAAA:", HELLO));
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> ContentDigest.verify("sha-256=\"text\"", HELLO));
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> ContentDigest.verify(
                "sha-256=:RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg=:, sha-256=:AAAA:", HELLO_LF));
        // RFC 9530 Appendix B prints this value with a stray second padding character: it is not a Byte Sequence
        assertProblem(ProblemType.PARSING_ERROR,
                () -> ContentDigest.verify("sha-256=:RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg==:", HELLO_LF));
        assertProblem(ProblemType.PARSING_ERROR, () -> ContentDigest.verify("sha-256 :AAAA:", HELLO));
        assertProblem(ProblemType.INPUT_TOO_LARGE, () -> ContentDigest.verify("a=1, ".repeat(3000) + "b=2", HELLO));
    }
}
