package dev.tabard.vc.di;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * ECMAScript's {@code Number::toString} for finite doubles (ECMA-262 §6.1.6.1.20), the number form RFC 8785
 * §3.2.2.3 prescribes.
 *
 * <p>The digits are the fewest that read back as the same double, and among those the ones closest to the
 * double's exact value (ties to even). Java 17's {@code Double.toString} does not guarantee that (JDK-4511638,
 * fixed in 19), so its digits are only a starting point: shorter candidates are tried, each rounded down and up
 * from the exact binary value and kept only if it reads back exactly ({@code BigDecimal.doubleValue} rounds
 * correctly, half to even, as ECMAScript's reading does).
 */
final class EcmaNumber {

    private static final int MAX_SIGNIFICANT_DIGITS = 17;

    private EcmaNumber() {
    }

    /** The ECMAScript string of a finite double; both zeros give {@code "0"}. */
    static String toString(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("not finite: " + value);
        }
        if (value == 0) {
            return "0";
        }
        double magnitude = Math.abs(value);
        BigDecimal digits = shortest(magnitude);
        return (value < 0 ? "-" : "") + format(digits);
    }

    /** The shortest decimal that reads back as {@code magnitude}, closest to its exact value. */
    private static BigDecimal shortest(double magnitude) {
        BigDecimal exact = new BigDecimal(magnitude);
        int precision = Math.min(MAX_SIGNIFICANT_DIGITS,
                new BigDecimal(Double.toString(magnitude)).stripTrailingZeros().precision());
        BigDecimal best = closestRoundTripping(exact, magnitude, precision);
        if (best == null) {
            // Double.toString's digits always read back; this guards the reasoning, not the JDK.
            precision = MAX_SIGNIFICANT_DIGITS;
            best = closestRoundTripping(exact, magnitude, precision);
        }
        // Reading back is monotone in the digit count (every p-digit decimal is also a (p+1)-digit one), so the
        // shortest length is found by walking down until a length no longer reads back.
        while (precision > 1) {
            BigDecimal shorter = closestRoundTripping(exact, magnitude, precision - 1);
            if (shorter == null) {
                break;
            }
            best = shorter;
            precision--;
        }
        return best.stripTrailingZeros();
    }

    /**
     * Of the two {@code precision}-digit decimals around {@code exact}, the one that reads back as
     * {@code magnitude} and lies closer (ties to the even last digit); null when neither reads back. Both are
     * tried because the interval that reads back is lopsided at powers of two.
     */
    private static BigDecimal closestRoundTripping(BigDecimal exact, double magnitude, int precision) {
        BigDecimal down = exact.round(new MathContext(precision, RoundingMode.FLOOR));
        BigDecimal up = exact.round(new MathContext(precision, RoundingMode.CEILING));
        boolean downOk = down.doubleValue() == magnitude;
        boolean upOk = up.doubleValue() == magnitude;
        if (downOk && upOk) {
            int cmp = exact.subtract(down).compareTo(up.subtract(exact));
            if (cmp != 0) {
                return cmp < 0 ? down : up;
            }
            return down.unscaledValue().testBit(0) ? up : down;
        }
        return downOk ? down : upOk ? up : null;
    }

    /** ECMA-262 Number::toString steps 5-10, for a positive decimal with no trailing zeros. */
    private static String format(BigDecimal positive) {
        String s = positive.unscaledValue().toString();
        int k = s.length();
        int n = k - positive.scale(); // value = 0.s × 10^n
        StringBuilder sb = new StringBuilder(k + 8);
        if (k <= n && n <= 21) {
            sb.append(s).append("0".repeat(n - k));
        } else if (0 < n && n <= 21) {
            sb.append(s, 0, n).append('.').append(s, n, k);
        } else if (-6 < n && n <= 0) {
            sb.append("0.").append("0".repeat(-n)).append(s);
        } else {
            int e = n - 1;
            sb.append(s.charAt(0));
            if (k > 1) {
                sb.append('.').append(s, 1, k);
            }
            sb.append('e').append(e < 0 ? '-' : '+').append(Math.abs(e));
        }
        return sb.toString();
    }
}
