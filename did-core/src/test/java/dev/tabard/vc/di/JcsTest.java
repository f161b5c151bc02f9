package dev.tabard.vc.di;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Jcs's refusals and round-trip property; the published RFC 8785 data runs in test-vectors. */
class JcsTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private static String jcs(JsonNode n) {
        return new String(Jcs.canonicalize(n), StandardCharsets.UTF_8);
    }

    private static ProblemType refusal(JsonNode n) {
        return assertThrows(ProblemException.class, () -> Jcs.canonicalize(n)).type();
    }

    @ParameterizedTest
    @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void canonicalize_nonFiniteDouble_throwsMalformedValue(double d) {
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, refusal(F.numberNode(d)));
    }

    @Test
    void canonicalize_decimalBeyondDoubleRange_throwsMalformedValue() {
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, refusal(JsonCodec.parse("[1e400]".getBytes(StandardCharsets.UTF_8))));
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, refusal(F.numberNode(new BigDecimal("-2e308"))));
    }

    @Test
    void canonicalize_integerBeyondSafeRange_throwsMalformedValue() {
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, refusal(F.numberNode(1L << 53)));
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, refusal(F.numberNode(-(1L << 53))));
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR,
                refusal(JsonCodec.parse("{\"n\":9007199254740993}".getBytes(StandardCharsets.UTF_8))));
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, refusal(F.numberNode(new BigInteger("100000000000000000000000"))));
    }

    @Test
    void canonicalize_largestSafeIntegers_areWrittenExactly() {
        assertEquals("9007199254740991", jcs(F.numberNode((1L << 53) - 1)));
        assertEquals("-9007199254740991", jcs(F.numberNode(-((1L << 53) - 1))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\uD800", "a\uDC00", "\uDBFF\uDBFF\uDC00x", "x\uD83D"})
    void canonicalize_loneSurrogate_throwsMalformedValue(String s) {
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, refusal(F.textNode(s)));
        ObjectNode named = F.objectNode();
        named.put(s, 1);
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, refusal(named));
    }

    @Test
    void canonicalize_pairedSurrogatesAndControls_escapedAsEcmaScript() {
        assertEquals("\"\uD83D\uDE02\\u001f\\u0000\u007f\"", jcs(F.textNode("\uD83D\uDE02\u001f\u0000\u007f")));
    }

    @Test
    void canonicalize_nestedPastTheDepthCap_throwsLimitExceeded() {
        ArrayNode root = F.arrayNode();
        ArrayNode a = root;
        for (int i = 0; i < JsonCodec.MAX_DEPTH + 1; i++) {
            a = a.addArray();
        }
        assertEquals(ProblemType.LIMIT_EXCEEDED, refusal(root));
    }

    @Test
    void canonicalize_shortestDigitsWhereJava17IsLonger() {
        // Double.toString gives 2.0E-3, 1.0E21 and, on Java 17, 2.82879384806159008E17 (JDK-4511638).
        assertEquals("0.002", jcs(F.numberNode(2.0e-3)));
        assertEquals("1e+21", jcs(F.numberNode(1.0e21)));
        assertEquals("282879384806159000", jcs(F.numberNode(2.82879384806159e17)));
        assertEquals("1e+23", jcs(F.numberNode(1e23)));
        assertEquals("5e-324", jcs(F.numberNode(Double.MIN_VALUE)));
        assertEquals("0", jcs(F.numberNode(-0.0)));
    }

    @Test
    void canonicalize_randomDoubles_readBackExactly() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        for (int i = 0; i < 20_000; i++) {
            double d = Double.longBitsToDouble(random.nextLong());
            if (!Double.isFinite(d)) {
                continue;
            }
            String s = jcs(F.numberNode(d));
            assertEquals(d == 0 ? 0.0 : d, Double.parseDouble(s), "seed " + seed + ": " + s);
        }
    }
}
