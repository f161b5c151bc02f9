package dev.tabard.vc.di;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * The JSON Canonicalization Scheme (RFC 8785): members sorted by their UTF-16 code units, no whitespace,
 * strings escaped as ECMAScript's {@code JSON.stringify} does, numbers in ECMAScript's shortest round-trip form.
 *
 * <p>It signs {@code eddsa-jcs-2022}, {@code ecdsa-jcs-2019}, agent cards and audit entries, so two different
 * values must never canonicalize alike. What JCS cannot carry faithfully is therefore refused, not rounded
 * away: a number that is not finite or does not fit a double, an integer beyond ±(2<sup>53</sup>−1) (I-JSON,
 * RFC 7493 §2.2: outside that range an integer has no exact double, and ECMAScript would sign a neighbour),
 * and a string holding a lone surrogate (UTF-8 cannot encode it; I-JSON §2.1). Decimals with more digits than
 * a double holds are read as ECMAScript reads them, as RFC 8785's own test data expects.
 *
 * <p>Proven against the reference implementation's test data and the ES6 number sequence in
 * {@code test-vectors} ({@code dev.tabard.vectors.jcs.JcsVectorsTest}).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8785">RFC 8785</a>
 */
public final class Jcs {

    /** The largest integer every JSON reader holds exactly (I-JSON, RFC 7493 §2.2). */
    private static final BigInteger MAX_SAFE_INTEGER = BigInteger.valueOf((1L << 53) - 1);

    private Jcs() {
    }

    /**
     * The canonical UTF-8 bytes of a JSON tree.
     *
     * @throws ProblemException {@code MALFORMED_VALUE_ERROR} for a number or string JCS cannot represent
     *     faithfully (see the class doc), {@code LIMIT_EXCEEDED} for a tree nested deeper than
     *     {@link JsonCodec#MAX_DEPTH}
     */
    public static byte[] canonicalize(JsonNode node) {
        Objects.requireNonNull(node, "node");
        StringBuilder sb = new StringBuilder();
        write(node, sb, 0);
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void write(JsonNode n, StringBuilder sb, int depth) {
        if (depth > JsonCodec.MAX_DEPTH) {
            throw new ProblemException(ProblemType.LIMIT_EXCEEDED, "JSON nested deeper than " + JsonCodec.MAX_DEPTH);
        }
        if (n.isObject()) {
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
            names.sort(String::compareTo); // String.compareTo orders by UTF-16 code units, as RFC 8785 §3.2.3 asks
            sb.append('{');
            for (int i = 0; i < names.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                string(names.get(i), sb);
                sb.append(':');
                write(n.get(names.get(i)), sb, depth + 1);
            }
            sb.append('}');
        } else if (n.isArray()) {
            sb.append('[');
            for (int i = 0; i < n.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                write(n.get(i), sb, depth + 1);
            }
            sb.append(']');
        } else if (n.isTextual()) {
            string(n.textValue(), sb);
        } else if (n.isNumber()) {
            sb.append(number(n));
        } else if (n.isBoolean()) {
            sb.append(n.booleanValue());
        } else if (n.isNull()) {
            sb.append("null");
        } else {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "not a JSON value: " + n.getNodeType());
        }
    }

    /** RFC 8785 §3.2.2.2: ECMAScript's JSON.stringify escapes, and nothing that UTF-8 cannot carry. */
    private static void string(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length()
                        && Character.isLowSurrogate(s.charAt(i + 1));
                if (!paired) {
                    throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR,
                            "string holds a lone surrogate at index " + i);
                }
                sb.append(c).append(s.charAt(++i));
                continue;
            }
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** RFC 8785 §3.2.2.3: the double the number reads as, in ECMAScript's form. */
    private static String number(JsonNode n) {
        if (n.isIntegralNumber()) {
            BigInteger i = n.bigIntegerValue();
            if (i.abs().compareTo(MAX_SAFE_INTEGER) > 0) {
                throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR,
                        "integer beyond ±(2^53-1) has no exact IEEE 754 double (I-JSON)");
            }
            return i.toString();
        }
        double d = n.isBigDecimal() ? decimal(n.decimalValue()) : n.doubleValue();
        if (!Double.isFinite(d)) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "number is not a finite IEEE 754 double");
        }
        return EcmaNumber.toString(d);
    }

    /** A decimal's nearest double, or infinity when it is beyond the double range. */
    private static double decimal(BigDecimal value) {
        // BigDecimal.doubleValue rounds correctly (half to even) and overflows to infinity, as ECMAScript reads.
        return value.doubleValue();
    }
}
