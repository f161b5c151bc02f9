package dev.tabard.gate;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a route finds one parameter of its action, written {@code body:/json/pointer}, {@code query:name},
 * {@code header:Name}, {@code path:name} (a {@code {name}} segment of the route) or {@code literal:value}.
 */
public record Param(Source source, String name) {

    /** Where the value comes from. */
    public enum Source { BODY, QUERY, HEADER, PATH, LITERAL }

    public Param {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.length() > 256) {
            throw new IllegalArgumentException("a parameter names 1 to 256 characters");
        }
        if (source == Source.BODY) {
            JsonPointer.compile(name);
        }
    }

    /**
     * Reads {@code source:name}.
     *
     * @throws IllegalArgumentException for any other form, with what is expected
     */
    public static Param parse(String spec) {
        int colon = spec.indexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException("'" + spec + "' is not a parameter; write body:/pointer, query:name, header:Name, path:name or literal:value");
        }
        Source source;
        try {
            source = Source.valueOf(spec.substring(0, colon).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + spec + "' has an unknown source; use body, query, header, path or literal");
        }
        try {
            return new Param(source, spec.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + spec + "': " + e.getMessage());
        }
    }

    /** The value in {@code request}, with {@code pathParams} from the matched route. */
    Optional<String> read(GateRequest request, Map<String, String> pathParams, Optional<JsonNode> body) {
        switch (source) {
            case LITERAL:
                return Optional.of(name);
            case PATH:
                return Optional.ofNullable(pathParams.get(name));
            case HEADER:
                return request.fields().first(name);
            case QUERY:
                return query(request.targetUri().getRawQuery());
            case BODY:
            default:
                JsonNode v = body.orElseThrow(() -> new ProblemException(ProblemType.MALFORMED_VALUE_ERROR,
                        "this route reads its action from a JSON body; send one")).at(name);
                return v.isTextual() || v.isNumber() ? Optional.of(v.asText()) : Optional.empty();
        }
    }

    private Optional<String> query(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        for (String pair : raw.split("&")) {
            String[] kv = pair.split("=", 2);
            if (URLDecoder.decode(kv[0], StandardCharsets.UTF_8).equals(name)) {
                return Optional.of(kv.length == 2 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return Optional.empty();
    }

    /** Parses a JSON body for {@code body:} parameters. */
    static JsonNode json(byte[] body) {
        return JsonCodec.parse(body);
    }

    @Override
    public String toString() {
        return source.name().toLowerCase(Locale.ROOT) + ":" + name;
    }
}
