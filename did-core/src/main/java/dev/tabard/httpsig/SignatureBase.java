package dev.tabard.httpsig;

import dev.tabard.httpsig.internal.SfParser;
import dev.tabard.httpsig.internal.StructuredFields;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Component values (RFC 9421 §2.1, §2.2) and the signature base (§2.5). */
final class SignatureBase {

    /** Dictionary fields known to this package, for {@code ;sf} (§2.1.1 needs the type of the field). */
    private static final Set<String> DICTIONARY_FIELDS = Set.of("signature-input", "signature", "accept-signature",
            "content-digest", "repr-digest", "want-content-digest", "want-repr-digest");
    /** obs-fold with the whitespace around it (RFC 9112 §5.2), replaced by one space. */
    private static final Pattern OBS_FOLD = Pattern.compile("[ \\t]*\\r?\\n[ \\t]+");
    private static final Set<String> REQUEST_DERIVED = Set.of("@method", "@target-uri", "@authority", "@scheme",
            "@request-target", "@path", "@query", ComponentId.QUERY_PARAM);

    private SignatureBase() {
    }

    /**
     * Checks a covered-component list against the message it is for: the bounds, no duplicates (§2.5 step 2.1), no
     * {@code ;req} or {@code @status} in a request (§2.4, §2.2.9), no request component without {@code ;req} in a
     * response.
     */
    static void checkComponents(HttpMessage message, List<ComponentId> components) {
        if (components.size() > MessageSignatures.MAX_COMPONENTS) {
            throw new ProblemException(ProblemType.LIMIT_EXCEEDED,
                    "a signature covers at most " + MessageSignatures.MAX_COMPONENTS + " components");
        }
        Set<ComponentId> seen = new HashSet<>();
        for (ComponentId id : components) {
            if (!seen.add(id)) {
                throw malformed("component " + id.serialize() + " is covered twice");
            }
            if (message.isRequest() && id.fromRequestMessage()) {
                throw malformed("req applies in a response only: " + id.serialize());
            }
            if (message.isRequest() && id.name().equals("@status")) {
                throw malformed("@status is a response component");
            }
            if (!message.isRequest() && !id.fromRequestMessage() && REQUEST_DERIVED.contains(id.name())) {
                throw malformed(id.name() + " is a request component; a response covers it with req");
            }
        }
    }

    /** The signature base: one line per component, then {@code "@signature-params": <value>}. */
    static String build(HttpMessage message, List<ComponentId> components, String signatureParams) {
        checkComponents(message, components);
        StringBuilder out = new StringBuilder();
        for (ComponentId id : components) {
            out.append(id.serialize()).append(": ").append(value(message, id)).append('\n');
            if (out.length() > MessageSignatures.MAX_BASE_LENGTH) {
                throw tooLarge();
            }
        }
        out.append("\"@signature-params\": ").append(signatureParams);
        if (out.length() > MessageSignatures.MAX_BASE_LENGTH) {
            throw tooLarge();
        }
        CharsetEncoder ascii = StandardCharsets.US_ASCII.newEncoder();
        if (!ascii.canEncode(out)) {
            throw malformed("a signature base is ASCII only (RFC 9421 §2.5 step 4)");
        }
        return out.toString();
    }

    /** The component value of {@code id} in {@code message}. */
    static String value(HttpMessage message, ComponentId id) {
        HttpMessage context = id.fromRequestMessage() ? message.request().orElseThrow(
                () -> malformed("req applies in a response only")) : message;
        if (!id.isDerived()) {
            return fieldValue(context.fields(), id);
        }
        if (id.name().equals("@status")) {
            return String.format(Locale.ROOT, "%03d", context.status());
        }
        URI uri = context.targetUri();
        switch (id.name()) {
            case "@method":
                return context.method();
            case "@target-uri":
                return uri.toString();
            case "@authority":
                return authority(uri);
            case "@scheme":
                return uri.getScheme().toLowerCase(Locale.ROOT);
            case "@request-target":
                return path(uri) + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            case "@path":
                return path(uri);
            case "@query":
                return "?" + (uri.getRawQuery() == null ? "" : uri.getRawQuery());
            case ComponentId.QUERY_PARAM:
                return QueryParams.value(uri.getRawQuery(), id.parameter("name").orElseThrow().value().orElseThrow());
            default:
                throw malformed("unknown derived component " + id.name());
        }
    }

    /** Host lower-cased, the port only when it is not the scheme's default (RFC 9110 §4.2.3). */
    private static String authority(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        return uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    private static String path(URI uri) {
        String p = uri.getRawPath();
        return p == null || p.isEmpty() ? "/" : p;
    }

    private static String fieldValue(HttpFields fields, ComponentId id) {
        if (!fields.contains(id.name())) {
            throw malformed("covered field " + id.name() + " is not in the message");
        }
        List<String> values = new ArrayList<>();
        long length = 0;
        for (String v : fields.values(id.name())) {
            length += v.length() + 2;
            if (length > MessageSignatures.MAX_BASE_LENGTH) {
                throw tooLarge();
            }
            values.add(canonical(v, id.name()));
        }
        if (id.has("bs")) {
            List<StructuredFields.Item> wrapped = new ArrayList<>();
            for (String v : values) {
                wrapped.add(new StructuredFields.Item(StructuredFields.ByteSequence.of(octets(v)), List.of()));
            }
            return StructuredFields.serializeList(wrapped);
        }
        String combined = String.join(", ", values);
        if (id.has("key")) {
            String key = id.parameter("key").orElseThrow().value().orElseThrow();
            for (StructuredFields.DictionaryMember m : SfParser.parseDictionary(combined, true)) {
                if (m.key().equals(key)) {
                    return StructuredFields.serializeMember(m.value());
                }
            }
            throw malformed("dictionary field " + id.name() + " has no member '" + key + "'");
        }
        if (id.has("sf")) {
            return strict(id.name(), combined);
        }
        return combined;
    }

    /**
     * The strict serialization of a structured field (§2.1.1). A known Dictionary field is read as one; any other
     * field as a List, else as a Dictionary (a single Item serializes the same as a one-member List).
     */
    private static String strict(String name, String combined) {
        if (DICTIONARY_FIELDS.contains(name)) {
            return StructuredFields.serializeDictionary(SfParser.parseDictionary(combined, true));
        }
        try {
            return StructuredFields.serializeList(SfParser.parseList(combined));
        } catch (ProblemException notAList) {
            return StructuredFields.serializeDictionary(SfParser.parseDictionary(combined, true));
        }
    }

    /** One field line's value: obs-folds replaced by a space, leading and trailing whitespace dropped (§2.1). */
    private static String canonical(String value, String name) {
        String v = trim(OBS_FOLD.matcher(value).replaceAll(" "));
        if (v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            throw malformed("field " + name + " has a line break that is not an obs-fold");
        }
        return v;
    }

    /** Drops leading and trailing SP and HTAB, the whitespace HTTP allows around a field value. */
    static String trim(String v) {
        int start = 0;
        int end = v.length();
        while (start < end && (v.charAt(start) == ' ' || v.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (v.charAt(end - 1) == ' ' || v.charAt(end - 1) == '\t')) {
            end--;
        }
        return v.substring(start, end);
    }

    /** The octets of a field value: ISO-8859-1 where it fits (how HTTP stacks decode them), else UTF-8. */
    private static byte[] octets(String v) {
        return StandardCharsets.ISO_8859_1.newEncoder().canEncode(v) ? v.getBytes(StandardCharsets.ISO_8859_1)
                : v.getBytes(StandardCharsets.UTF_8);
    }

    private static ProblemException tooLarge() {
        return new ProblemException(ProblemType.INPUT_TOO_LARGE,
                "a signature base is at most " + MessageSignatures.MAX_BASE_LENGTH + " characters");
    }

    static ProblemException malformed(String detail) {
        return new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, detail);
    }

    /** {@code @query-param} values (§2.2.8): WHATWG form-urlencoded parsing, then percent-encoding again. */
    static final class QueryParams {
        private QueryParams() {
        }

        static String value(String rawQuery, String encodedName) {
            String found = null;
            if (rawQuery != null) {
                for (String pair : rawQuery.split("&", -1)) {
                    if (pair.isEmpty()) {
                        continue;
                    }
                    int eq = pair.indexOf('=');
                    String name = eq < 0 ? pair : pair.substring(0, eq);
                    String value = eq < 0 ? "" : pair.substring(eq + 1);
                    if (encode(decode(name)).equals(encodedName)) {
                        if (found != null) {
                            throw malformed("query parameter " + encodedName + " occurs more than once");
                        }
                        found = encode(decode(value));
                    }
                }
            }
            if (found == null) {
                throw malformed("covered query parameter " + encodedName + " is not in the target URI");
            }
            return found;
        }

        /** application/x-www-form-urlencoded parsing of one name or value: '+' is a space, then percent-decoding. */
        private static byte[] decode(String s) {
            byte[] in = s.replace('+', ' ').getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
            for (int i = 0; i < in.length; i++) {
                if (in[i] == '%' && i + 2 < in.length && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
                    out.write(hex(in[i + 1]) * 16 + hex(in[i + 2]));
                    i += 2;
                } else {
                    out.write(in[i]);
                }
            }
            return new String(out.toByteArray(), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
        }

        /** Percent-encodes every byte but ASCII alphanumerics and {@code *-._}; a space is %20, as in §2.2.8. */
        private static String encode(byte[] bytes) {
            StringBuilder out = new StringBuilder();
            for (byte b : bytes) {
                int c = b & 0xff;
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "*-._".indexOf(c) >= 0) {
                    out.append((char) c);
                } else {
                    out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
                }
            }
            return out.toString();
        }

        private static int hex(byte b) {
            return Character.digit(b, 16);
        }
    }
}
