package dev.tabard.vc.di;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The JSON Canonicalization Scheme (RFC 8785): members sorted by their UTF-16 code units, no whitespace,
 * strings escaped as ECMAScript's {@code JSON.stringify} does, numbers in ECMAScript's shortest form.
 *
 * <p>Java 17's {@code Double.toString} is not always the shortest round-trip form (JDK-4511638, fixed in
 * 19); for the integers and short decimals credentials carry the output is exact.
 */
public final class Jcs {

    private Jcs() {
    }

    public static byte[] canonicalize(JsonNode node) {
        StringBuilder sb = new StringBuilder();
        write(node, sb);
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void write(JsonNode n, StringBuilder sb) {
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
                write(n.get(names.get(i)), sb);
            }
            sb.append('}');
        } else if (n.isArray()) {
            sb.append('[');
            for (int i = 0; i < n.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                write(n.get(i), sb);
            }
            sb.append(']');
        } else if (n.isTextual()) {
            string(n.asText(), sb);
        } else if (n.isNumber()) {
            number(n, sb);
        } else if (n.isBoolean()) {
            sb.append(n.booleanValue());
        } else if (n.isNull()) {
            sb.append("null");
        } else {
            throw new IllegalArgumentException("not JSON: " + n.getNodeType());
        }
    }

    private static void string(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
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
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    private static void number(JsonNode n, StringBuilder sb) {
        double d = n.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new IllegalArgumentException("JSON numbers are finite");
        }
        if (d == 0) {
            sb.append('0');
            return;
        }
        BigDecimal bd = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        String digits = bd.unscaledValue().abs().toString();
        int exponent = digits.length() - bd.scale(); // d = 0.digits × 10^exponent
        String sign = d < 0 ? "-" : "";
        int k = digits.length();
        if (k <= exponent && exponent <= 21) {
            sb.append(sign).append(digits).append("0".repeat(exponent - k));
        } else if (0 < exponent && exponent <= 21) {
            sb.append(sign).append(digits, 0, exponent).append('.').append(digits.substring(exponent));
        } else if (-6 < exponent && exponent <= 0) {
            sb.append(sign).append("0.").append("0".repeat(-exponent)).append(digits);
        } else {
            int e = exponent - 1;
            sb.append(sign).append(digits.charAt(0));
            if (k > 1) {
                sb.append('.').append(digits.substring(1));
            }
            sb.append('e').append(e < 0 ? "-" : "+").append(Math.abs(e));
        }
    }
}
