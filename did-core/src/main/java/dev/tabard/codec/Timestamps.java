package dev.tabard.codec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one parser for dates Tabard reads from documents and tokens, so that no two checks can disagree on
 * whether a date is valid (a proof {@code expires} that one check accepted and the next could not parse was
 * an HTTP 500).
 *
 * <p><b>Date strings</b> ({@code validFrom}, {@code validUntil}, VC 1.1 {@code issuanceDate} and
 * {@code expirationDate}, proof {@code created} and {@code expires}) are XSD 1.1 {@code dateTimeStamp}, as VC DM
 * 2.0 §4.9 and Data Integrity §2.1 require, narrowed to one exact form:
 * <ul>
 *   <li>{@code YYYY-MM-DDThh:mm:ss}, seconds required, year {@code 0001}–{@code 9999} in exactly four digits (no
 *       sign, no expanded years), and a day that exists in that month;</li>
 *   <li>at most {@value #MAX_FRACTION_DIGITS} fractional digits after a {@code .}, so nothing is truncated;</li>
 *   <li>a time zone, required: {@code Z} or {@code ±hh:mm} within ±14:00 (XSD's range);</li>
 *   <li>upper-case {@code T} and {@code Z} only; no hour 24 and no leap second 60 (XSD has neither).</li>
 * </ul>
 *
 * <p><b>JWT NumericDate</b> ({@code iat}, {@code nbf}, {@code exp}) is a JSON integer from 0 to
 * {@value #MAX_NUMERIC_DATE} (9999-12-31T23:59:59Z): a string, a fraction, an exponent form such as {@code 1e300},
 * a negative value or anything beyond 2^63 is refused, never rounded, truncated or wrapped. RFC 7519 allows
 * fractions; we do not, because every token we accept is made by software that writes whole seconds.
 *
 * <p>Every refusal is {@code MALFORMED_VALUE_ERROR} with a JSON Pointer to the property.
 */
public final class Timestamps {

    /** Nanoseconds, {@link Instant}'s precision: a longer fraction could only be truncated. */
    public static final int MAX_FRACTION_DIGITS = 9;

    /** The longest accepted date string: {@code 9999-12-31T23:59:59.999999999+14:00}; longer input is refused unread. */
    public static final int MAX_LENGTH = 35;

    /** 9999-12-31T23:59:59Z, the last second a four-digit year can write; the same bound as date strings. */
    public static final long MAX_NUMERIC_DATE = 253_402_300_799L;

    /** 0001-01-01T00:00:00Z, the first second of year 0001. */
    private static final long MIN_EPOCH_SECOND = -62_135_596_800L;

    /** XSD's time zone range: ±14:00. */
    private static final int MAX_OFFSET_MINUTES = 14 * 60;

    private static final Pattern DATE_TIME_STAMP = Pattern.compile(
            "([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\\.([0-9]{1,9}))?(Z|([+-])([0-9]{2}):([0-9]{2}))");

    private static final String FORM = "write it as YYYY-MM-DDThh:mm:ssZ (seconds and a time zone required, year 0001-9999,"
            + " at most " + MAX_FRACTION_DIGITS + " fractional digits)";

    private Timestamps() {
    }

    /**
     * Parses a date string under the rules above.
     *
     * @param pointer the JSON Pointer of the value, named in the problem
     * @throws ProblemException {@code MALFORMED_VALUE_ERROR} at {@code pointer}
     */
    public static Instant parseDateTimeStamp(String value, String pointer) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(pointer, "pointer");
        String name = name(pointer);
        if (value.length() > MAX_LENGTH) {
            throw malformed(pointer, name + " is longer than any XSD dateTimeStamp we accept (" + MAX_LENGTH + " characters); "
                    + FORM);
        }
        Matcher m = DATE_TIME_STAMP.matcher(value);
        if (!m.matches()) {
            throw malformed(pointer, name + " '" + value + "' is not an XSD dateTimeStamp; " + FORM);
        }
        int year = Integer.parseInt(m.group(1));
        if (year < 1) {
            throw malformed(pointer, name + " '" + value + "' has year 0000; " + FORM);
        }
        int offsetMinutes = 0;
        if (m.group(9) != null) {
            int hours = Integer.parseInt(m.group(10));
            int minutes = Integer.parseInt(m.group(11));
            offsetMinutes = hours * 60 + minutes;
            if (minutes > 59 || offsetMinutes > MAX_OFFSET_MINUTES) {
                throw malformed(pointer, name + " '" + value + "' has a time zone outside -14:00..+14:00; " + FORM);
            }
            if (m.group(9).equals("-")) {
                offsetMinutes = -offsetMinutes;
            }
        }
        int nanos = 0;
        if (m.group(7) != null) {
            String fraction = m.group(7);
            nanos = Integer.parseInt(fraction) * (int) Math.pow(10, MAX_FRACTION_DIGITS - fraction.length());
        }
        try {
            return LocalDateTime.of(year, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)),
                    Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6)), nanos)
                    .toInstant(ZoneOffset.ofTotalSeconds(offsetMinutes * 60));
        } catch (DateTimeException e) {
            throw malformed(pointer, name + " '" + value + "' is not a date and time that exists (month 01-12, a day of"
                    + " that month, hour 00-23, minute and second 00-59); " + FORM);
        }
    }

    /**
     * The date string {@code parent.name}, if present.
     *
     * @param pointer the JSON Pointer of {@code parent}
     * @throws ProblemException {@code MALFORMED_VALUE_ERROR} at {@code pointer/name} for a value that is not a string
     *     or not a date under the rules above (a JSON {@code null} included)
     */
    public static Optional<Instant> dateTimeStamp(JsonNode parent, String name, String pointer) {
        JsonNode v = parent.get(name);
        if (v == null) {
            return Optional.empty();
        }
        String p = pointer + "/" + name;
        if (!v.isTextual()) {
            throw malformed(p, name + " must be an XSD dateTimeStamp string; " + FORM);
        }
        return Optional.of(parseDateTimeStamp(v.asText(), p));
    }

    /**
     * The JWT NumericDate claim {@code payload.name}, if present.
     *
     * @throws ProblemException {@code MALFORMED_VALUE_ERROR} at {@code /name} for anything but an integer from 0 to
     *     {@value #MAX_NUMERIC_DATE}
     */
    public static Optional<Instant> numericDate(JsonNode payload, String name) {
        JsonNode v = payload.get(name);
        if (v == null) {
            return Optional.empty();
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0 || v.longValue() > MAX_NUMERIC_DATE) {
            throw malformed("/" + name, name + " must be a JSON integer of whole seconds since 1970-01-01T00:00:00Z, from 0 to "
                    + MAX_NUMERIC_DATE + " (9999-12-31T23:59:59Z); no strings, fractions or exponents");
        }
        return Optional.of(Instant.ofEpochSecond(v.longValue()));
    }

    /**
     * {@code instant} as a NumericDate (whole seconds, the fraction dropped), for tokens we sign.
     *
     * @throws IllegalArgumentException outside 0..{@value #MAX_NUMERIC_DATE} (a caller's bug: it chose the date)
     */
    public static long toNumericDate(Instant instant) {
        long seconds = Objects.requireNonNull(instant, "instant").getEpochSecond();
        if (seconds < 0 || seconds > MAX_NUMERIC_DATE) {
            throw new IllegalArgumentException(instant + " is outside the NumericDate range 1970-9999");
        }
        return seconds;
    }

    /**
     * The date string for {@code instant}: {@code YYYY-MM-DDThh:mm:ss[.fraction]Z}, as precise as the instant. What it
     * writes, {@link #parseDateTimeStamp} reads back to the same instant.
     *
     * @throws IllegalArgumentException for an instant outside years 0001-9999 (a caller's bug: it chose the date)
     */
    public static String format(Instant instant) {
        long seconds = Objects.requireNonNull(instant, "instant").getEpochSecond();
        if (seconds < MIN_EPOCH_SECOND || seconds > MAX_NUMERIC_DATE) {
            throw new IllegalArgumentException(instant + " is outside years 0001-9999");
        }
        return instant.toString();
    }

    private static String name(String pointer) {
        int slash = pointer.lastIndexOf('/');
        return slash < 0 ? pointer : pointer.substring(slash + 1);
    }

    private static ProblemException malformed(String pointer, String detail) {
        return new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, pointer, detail));
    }
}
