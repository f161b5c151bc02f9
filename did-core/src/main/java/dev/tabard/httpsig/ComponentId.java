package dev.tabard.httpsig;

import dev.tabard.httpsig.internal.SfParser;
import dev.tabard.httpsig.internal.StructuredFields;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A component identifier (RFC 9421 §2): an HTTP field name (lower case) or a derived component name ({@code @method},
 * {@code @target-uri}, {@code @authority}, {@code @scheme}, {@code @request-target}, {@code @path}, {@code @query},
 * {@code @query-param}, {@code @status}), with its parameters in the order given.
 *
 * <p>Supported parameters: {@code sf} and {@code bs} (fields), {@code key} (a Dictionary field's member),
 * {@code req} (a response signature covering its request), {@code name} ({@code @query-param}, required). Trailers
 * ({@code tr}) are refused as unsupported, as is every other parameter, and {@code bs} with {@code sf} or
 * {@code key} (§2.5 step 2.4).
 *
 * <p>Equality ignores the order of parameters: {@code "foo";bs;req} and {@code "foo";req;bs} identify the same
 * component (§2), so a list may not hold both.
 *
 * @param name the component name
 * @param parameters the parameters, in order
 */
public record ComponentId(String name, List<Parameter> parameters) {

    /** The longest serialized component identifier {@link #parse} reads. */
    public static final int MAX_SERIALIZED_LENGTH = 1024;

    static final String QUERY_PARAM = "@query-param";
    private static final Set<String> DERIVED = Set.of("@method", "@target-uri", "@authority", "@scheme",
            "@request-target", "@path", "@query", QUERY_PARAM, "@status");

    public static final ComponentId METHOD = derived("@method");
    public static final ComponentId TARGET_URI = derived("@target-uri");
    public static final ComponentId AUTHORITY = derived("@authority");
    public static final ComponentId SCHEME = derived("@scheme");
    public static final ComponentId REQUEST_TARGET = derived("@request-target");
    public static final ComponentId PATH = derived("@path");
    public static final ComponentId QUERY = derived("@query");
    public static final ComponentId STATUS = derived("@status");

    /**
     * One parameter of a component identifier.
     *
     * @param key the parameter name
     * @param value the String value ({@code key}, {@code name}), or empty for a flag ({@code sf}, {@code bs},
     *     {@code req})
     */
    public record Parameter(String key, Optional<String> value) {
        public Parameter {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }

        static Parameter flag(String key) {
            return new Parameter(key, Optional.empty());
        }
    }

    /** @throws IllegalArgumentException for an identifier RFC 9421 (as supported here) does not allow */
    public ComponentId {
        Objects.requireNonNull(name, "name");
        parameters = List.copyOf(parameters);
        String problem = problem(name, parameters);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    private static ComponentId derived(String name) {
        return new ComponentId(name, List.of());
    }

    /**
     * The HTTP field {@code name}, lower-cased.
     *
     * @throws IllegalArgumentException for a name that is not a token (derived names start with '@', which is not)
     */
    public static ComponentId field(String name) {
        if (Objects.requireNonNull(name, "name").startsWith("@")) {
            throw new IllegalArgumentException("a field name is a token; '@' starts derived component names");
        }
        return new ComponentId(name.toLowerCase(Locale.ROOT), List.of());
    }

    /** {@code "@query-param";name="..."}; {@code encodedName} as the RFC encodes it (percent-encoded UTF-8). */
    public static ComponentId queryParam(String encodedName) {
        return new ComponentId(QUERY_PARAM, List.of(new Parameter("name", Optional.of(encodedName))));
    }

    /** This component, taken from the request a response answers ({@code ;req}, §2.4). */
    public ComponentId fromRequest() {
        return plus(Parameter.flag("req"));
    }

    /** This Dictionary field's member {@code dictionaryKey} ({@code ;key="..."}, §2.1.2). */
    public ComponentId key(String dictionaryKey) {
        return plus(new Parameter("key", Optional.of(Objects.requireNonNull(dictionaryKey, "dictionaryKey"))));
    }

    /** This field, strictly re-serialized as a structured field ({@code ;sf}, §2.1.1). */
    public ComponentId structured() {
        return plus(Parameter.flag("sf"));
    }

    /** This field, each value wrapped as a Byte Sequence ({@code ;bs}, §2.1.3). */
    public ComponentId byteSequence() {
        return plus(Parameter.flag("bs"));
    }

    private ComponentId plus(Parameter p) {
        List<Parameter> more = new ArrayList<>(parameters);
        more.add(p);
        return new ComponentId(name, more);
    }

    public boolean isDerived() {
        return name.startsWith("@");
    }

    /** Whether the value comes from the request a response answers. */
    public boolean fromRequestMessage() {
        return has("req");
    }

    /** Whether this identifier carries the parameter {@code key}. */
    public boolean has(String key) {
        return parameter(key).isPresent();
    }

    /** The parameter {@code key}, if present. */
    public Optional<Parameter> parameter(String key) {
        return parameters.stream().filter(p -> p.key().equals(key)).findFirst();
    }

    /**
     * Reads a serialized component identifier: an sf-string with parameters, such as
     * {@code "signature";req;key="sig1"}.
     *
     * @throws ProblemException {@code PARSING_ERROR} when it is not a structured Item, {@code INPUT_TOO_LARGE} over
     *     {@link #MAX_SERIALIZED_LENGTH}, {@code MALFORMED_VALUE_ERROR} for a non-String item, an unknown derived
     *     component, an unsupported or misplaced parameter, or an upper-case field name
     */
    public static ComponentId parse(String serialized) {
        Objects.requireNonNull(serialized, "serialized");
        if (serialized.length() > MAX_SERIALIZED_LENGTH) {
            throw new ProblemException(ProblemType.INPUT_TOO_LARGE,
                    "a component identifier is longer than " + MAX_SERIALIZED_LENGTH + " characters");
        }
        return of(SfParser.parseItem(serialized));
    }

    /** Builds an identifier from a parsed Inner List item. */
    static ComponentId of(StructuredFields.Item item) {
        if (!(item.value() instanceof String name)) {
            throw malformed("a component identifier is a String, not " + StructuredFields.serializeBareItem(item.value()));
        }
        List<Parameter> params = new ArrayList<>();
        for (StructuredFields.Parameter p : item.parameters()) {
            if (Boolean.TRUE.equals(p.value())) {
                params.add(Parameter.flag(p.key()));
            } else if (p.value() instanceof String s) {
                params.add(new Parameter(p.key(), Optional.of(s)));
            } else {
                throw malformed("component parameter '" + p.key() + "' has an unsupported value");
            }
        }
        String problem = problem(name, params);
        if (problem != null) {
            throw malformed(problem);
        }
        return new ComponentId(name, params);
    }

    /** The identifier as it appears in a signature base and in Signature-Input: {@code "name";param...}. */
    public String serialize() {
        return StructuredFields.serializeMember(toItem());
    }

    StructuredFields.Item toItem() {
        List<StructuredFields.Parameter> params = new ArrayList<>();
        for (Parameter p : parameters) {
            params.add(new StructuredFields.Parameter(p.key(), p.value().isPresent() ? p.value().get() : Boolean.TRUE));
        }
        return new StructuredFields.Item(name, params);
    }

    /** Why {@code name} with {@code params} is not an identifier this package supports, or null. */
    private static String problem(String name, List<Parameter> params) {
        boolean derived = name.startsWith("@");
        if (name.equals("@signature-params")) {
            return "@signature-params is never a covered component (RFC 9421 §2.3)";
        }
        if (derived && !DERIVED.contains(name)) {
            return "unknown derived component " + name;
        }
        if (!derived) {
            if (name.isEmpty() || !name.chars().allMatch(c -> StructuredFields.isTchar((char) c))) {
                return "a field component name is a token";
            }
            if (!name.equals(name.toLowerCase(Locale.ROOT))) {
                return "field component names are lower case (RFC 9421 §2.1): " + name;
            }
        }
        Set<String> seen = new HashSet<>();
        for (Parameter p : params) {
            if (!seen.add(p.key())) {
                return "component parameter '" + p.key() + "' appears twice";
            }
            String why = parameterProblem(name, derived, p);
            if (why != null) {
                return why;
            }
        }
        if (seen.contains("bs") && (seen.contains("sf") || seen.contains("key"))) {
            return "bs cannot be combined with sf or key (RFC 9421 §2.1)";
        }
        if (name.equals(QUERY_PARAM) && !seen.contains("name")) {
            return "@query-param requires a name parameter";
        }
        return null;
    }

    private static String parameterProblem(String name, boolean derived, Parameter p) {
        boolean flag = p.value().isEmpty();
        switch (p.key()) {
            case "req":
                return !flag ? "req is a flag" : name.equals("@status") ? "@status is a response component; req does not apply" : null;
            case "sf":
            case "bs":
                return !flag ? p.key() + " is a flag" : derived ? p.key() + " applies to fields only" : null;
            case "key":
                return flag ? "key takes a String" : derived ? "key applies to fields only"
                        : StructuredFields.isKey(p.value().get()) ? null : "key names a Dictionary key";
            case "name":
                return flag ? "name takes a String" : !name.equals(QUERY_PARAM) ? "name applies to @query-param only"
                        : StructuredFields.isPrintableAscii(p.value().get()) ? null : "name is printable ASCII";
            case "tr":
                return "trailer fields (tr) are not supported";
            default:
                return "unsupported component parameter '" + p.key() + "'";
        }
    }

    private static ProblemException malformed(String detail) {
        return new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, detail);
    }

    /** Equal when the names are equal and the parameters are equal as sets (RFC 9421 §2). */
    @Override
    public boolean equals(Object o) {
        return o instanceof ComponentId other && name.equals(other.name)
                && Set.copyOf(parameters).equals(Set.copyOf(other.parameters));
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Set.copyOf(parameters).hashCode();
    }

    @Override
    public String toString() {
        return serialize();
    }
}
