package dev.tabard.httpsig;

import dev.tabard.httpsig.internal.StructuredFields;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable, case-insensitive multi-map of HTTP header fields. Names are held lower-cased (RFC 9421 §2.1 names
 * components that way); the values of one name keep the order in which they were added, since that order decides
 * the combined value a signature covers.
 *
 * <p>Names must be RFC 9110 tokens ({@code MALFORMED_VALUE_ERROR} otherwise); values are kept as given, and
 * canonicalized only when a signature base is built.
 */
public final class HttpFields {

    private static final HttpFields EMPTY = new HttpFields(Map.of());

    private final Map<String, List<String>> fields;

    private HttpFields(Map<String, List<String>> fields) {
        this.fields = fields;
    }

    /** No fields. */
    public static HttpFields empty() {
        return EMPTY;
    }

    /**
     * Copies a map of field names to values; names differing only in case are merged, in the map's iteration order.
     *
     * @throws ProblemException {@code MALFORMED_VALUE_ERROR} for a name that is not a token
     */
    public static HttpFields of(Map<String, List<String>> fields) {
        Objects.requireNonNull(fields, "fields");
        Builder b = builder();
        fields.forEach((name, values) -> {
            Objects.requireNonNull(values, "values");
            values.forEach(v -> b.add(name, v));
        });
        return b.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The values of {@code name}, in order; empty when absent. */
    public List<String> values(String name) {
        return fields.getOrDefault(lower(name), List.of());
    }

    /** The first value of {@code name}. */
    public Optional<String> first(String name) {
        List<String> v = values(name);
        return v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    /** Whether {@code name} is present (possibly with an empty value). */
    public boolean contains(String name) {
        return fields.containsKey(lower(name));
    }

    /** A copy with {@code name} set to the one {@code value}, replacing any values it had. */
    public HttpFields with(String name, String value) {
        return toBuilder().set(name, value).build();
    }

    /** A copy with {@code value} added after any values {@code name} already has. */
    public HttpFields plus(String name, String value) {
        return toBuilder().add(name, value).build();
    }

    /** A copy without {@code name}. */
    public HttpFields without(String name) {
        Map<String, List<String>> copy = new LinkedHashMap<>(fields);
        copy.remove(lower(name));
        return new HttpFields(Collections.unmodifiableMap(copy));
    }

    /** The fields, names lower-cased, in first-added order; unmodifiable. */
    public Map<String, List<String>> asMap() {
        return fields;
    }

    /** A builder holding these fields. */
    public Builder toBuilder() {
        Builder b = new Builder();
        fields.forEach((k, v) -> b.fields.put(k, new ArrayList<>(v)));
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HttpFields other && fields.equals(other.fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    @Override
    public String toString() {
        return "HttpFields" + fields.keySet();
    }

    private static String lower(String name) {
        return Objects.requireNonNull(name, "name").toLowerCase(Locale.ROOT);
    }

    private static String checkedName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "an HTTP field name is empty");
        }
        for (int i = 0; i < name.length(); i++) {
            if (!StructuredFields.isTchar(name.charAt(i))) {
                throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR,
                        "HTTP field name has a character that is not a token character at index " + i);
            }
        }
        return name.toLowerCase(Locale.ROOT);
    }

    /** Collects fields; single use. */
    public static final class Builder {
        private final Map<String, List<String>> fields = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Adds a value after any {@code name} already has.
         *
         * @throws ProblemException {@code MALFORMED_VALUE_ERROR} for a name that is not a token
         */
        public Builder add(String name, String value) {
            Objects.requireNonNull(value, "value");
            fields.computeIfAbsent(checkedName(name), k -> new ArrayList<>()).add(value);
            return this;
        }

        /** Sets {@code name} to the one {@code value}. */
        public Builder set(String name, String value) {
            Objects.requireNonNull(value, "value");
            List<String> one = new ArrayList<>();
            one.add(value);
            fields.put(checkedName(name), one);
            return this;
        }

        public HttpFields build() {
            Map<String, List<String>> copy = new LinkedHashMap<>();
            fields.forEach((k, v) -> copy.put(k, List.copyOf(v)));
            return new HttpFields(Collections.unmodifiableMap(copy));
        }
    }
}
