package dev.tabard.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.deser.std.JsonNodeDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * The one Jackson configuration Tabard reads untrusted JSON with: duplicate keys are an error (Jackson's
 * default lets the last one win silently), nesting is capped at {@value #MAX_DEPTH} and document, string
 * and number lengths are bounded before any tree is built.
 */
public final class JsonCodec {

    /** Tink's limit; Jackson and Parsson default to 1,000. */
    public static final int MAX_DEPTH = 100;
    /** The request body cap. */
    public static final int MAX_DOCUMENT_BYTES = 1_000_000;
    public static final int MAX_STRING_LENGTH = 1_000_000;
    public static final int MAX_NUMBER_LENGTH = 100;

    private static final ObjectMapper MAPPER = JsonMapper.builder(
                    com.fasterxml.jackson.core.JsonFactory.builder()
                            .streamReadConstraints(StreamReadConstraints.builder()
                                    .maxNestingDepth(MAX_DEPTH)
                                    .maxDocumentLength(MAX_DOCUMENT_BYTES)
                                    .maxStringLength(MAX_STRING_LENGTH)
                                    .maxNumberLength(MAX_NUMBER_LENGTH)
                                    .maxNameLength(10_000)
                                    .build())
                            .build())
            .addModule(new SimpleModule("tabard-strict-tree").addDeserializer(JsonNode.class, new StrictTreeDeserializer()))
            .disable(JsonReadFeature.ALLOW_LEADING_DECIMAL_POINT_FOR_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    private JsonCodec() {}

    /**
     * Jackson's tree deserializer, except that a repeated member name fails with its own exception type. It replaces the
     * parser's {@code STRICT_DUPLICATE_DETECTION}, whose exception is the type a syntax error has, so a duplicate is
     * told apart by type, not by message; every tree this mapper builds is checked, at any depth.
     */
    private static final class StrictTreeDeserializer extends JsonNodeDeserializer {

        StrictTreeDeserializer() {
        }

        private StrictTreeDeserializer(StrictTreeDeserializer base, boolean mergeArrays, boolean mergeObjects) {
            super(base, mergeArrays, mergeObjects);
        }

        @Override
        protected JsonDeserializer<?> _createWithMerge(boolean mergeArrays, boolean mergeObjects) {
            return new StrictTreeDeserializer(this, mergeArrays, mergeObjects);
        }

        @Override
        protected void _handleDuplicateField(JsonParser p, DeserializationContext ctxt, JsonNodeFactory nodeFactory, String fieldName,
                                             ObjectNode objectNode, JsonNode oldValue, JsonNode newValue) throws DuplicateMemberException {
            throw new DuplicateMemberException(p);
        }
    }

    /** A JSON object named one member twice (RFC 8259 §4: names SHOULD be unique; we require it). */
    private static final class DuplicateMemberException extends JsonMappingException {
        DuplicateMemberException(JsonParser p) {
            super(p, "duplicate member name");
        }
    }

    private static final ObjectReader READER = MAPPER.reader();
    private static final ObjectWriter WRITER = MAPPER.writer();
    private static final ObjectWriter PRETTY_WRITER = MAPPER.writerWithDefaultPrettyPrinter();

    // The mapper itself is not handed out: an ObjectMapper can be reconfigured by anyone holding it (a disabled limit
    // or an enabled lenient feature would change every parse in the process). Readers, writers and the node factory
    // are immutable.

    /**
     * A reader with this configuration (limits, duplicate detection, big decimals), immutable. For untrusted input
     * prefer {@link #parse(byte[])}, which maps every failure to a {@code ProblemType}.
     */
    public static ObjectReader reader() {
        return READER;
    }

    /** A writer with this configuration, immutable. */
    public static ObjectWriter writer() {
        return WRITER;
    }

    /** A writer that indents, for files people read; immutable. */
    public static ObjectWriter prettyWriter() {
        return PRETTY_WRITER;
    }

    /** The node factory trees are built with (stateless). */
    public static JsonNodeFactory nodes() {
        return MAPPER.getNodeFactory();
    }

    /** A new, empty JSON object. */
    public static ObjectNode objectNode() {
        return MAPPER.createObjectNode();
    }

    /** A new, empty JSON array. */
    public static com.fasterxml.jackson.databind.node.ArrayNode arrayNode() {
        return MAPPER.createArrayNode();
    }

    /**
     * {@code value} (a record, a map, a list) as a JSON tree, as {@link #write(Object)} would write it.
     *
     * @throws IllegalArgumentException when {@code value} cannot be serialized
     */
    public static <T extends JsonNode> T tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /**
     * Parses untrusted JSON.
     *
     * @throws ProblemException {@code INPUT_TOO_LARGE} past the document cap, {@code LIMIT_EXCEEDED} past the
     *     depth or length caps, {@code PARSING_ERROR} for anything that is not one well-formed JSON value
     */
    public static JsonNode parse(byte[] json) {
        Objects.requireNonNull(json, "json");
        if (json.length > MAX_DOCUMENT_BYTES) {
            throw new ProblemException(ProblemType.INPUT_TOO_LARGE,
                    "JSON document exceeds " + MAX_DOCUMENT_BYTES + " bytes");
        }
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node == null || node.isMissingNode()) {
                throw new ProblemException(ProblemType.PARSING_ERROR, "empty JSON document");
            }
            return node;
        } catch (StreamConstraintsException e) {
            throw new ProblemException(ProblemType.LIMIT_EXCEEDED, "JSON exceeds a nesting or length limit");
        } catch (JsonProcessingException e) {
            String what = e instanceof DuplicateMemberException ? "duplicate member name in JSON object" : "malformed JSON";
            long line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
            long col = e.getLocation() == null ? -1 : e.getLocation().getColumnNr();
            throw new ProblemException(ProblemType.PARSING_ERROR,
                    what + (line > 0 ? " (line " + line + ", column " + col + ")" : ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses untrusted JSON text. @see #parse(byte[]) */
    public static JsonNode parse(String json) {
        return parse(Objects.requireNonNull(json, "json").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Parses and requires a JSON object. @throws ProblemException {@code PARSING_ERROR} when it is not one */
    public static com.fasterxml.jackson.databind.node.ObjectNode parseObject(byte[] json) {
        JsonNode node = parse(json);
        if (!node.isObject()) {
            throw new ProblemException(ProblemType.PARSING_ERROR, "expected a JSON object");
        }
        return (com.fasterxml.jackson.databind.node.ObjectNode) node;
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("value cannot be serialized as JSON", e);
        }
    }

    public static String writeString(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("value cannot be serialized as JSON", e);
        }
    }

}
