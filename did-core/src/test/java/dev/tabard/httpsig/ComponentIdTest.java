package dev.tabard.httpsig;

import static dev.tabard.httpsig.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.problem.ProblemType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ComponentIdTest {

    @Test
    void builders_serializeAsTheRfcWritesThem() {
        assertEquals("\"@method\"", ComponentId.METHOD.serialize());
        assertEquals("\"content-type\"", ComponentId.field("Content-Type").serialize());
        assertEquals("\"signature\";req;key=\"sig1\"", ComponentId.field("Signature").fromRequest().key("sig1").serialize());
        assertEquals("\"@query-param\";name=\"Pet\"", ComponentId.queryParam("Pet").serialize());
        assertEquals("\"example-dict\";sf", ComponentId.field("example-dict").structured().serialize());
        assertEquals("\"example-header\";bs", ComponentId.field("example-header").byteSequence().serialize());
        assertEquals("\"@authority\";req", ComponentId.AUTHORITY.fromRequest().serialize());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"\"signature\";req;key=\"sig1\"", "\"@query-param\";name=\"fa%C3%A7ade%22%3A%20\"", "\"@status\"",
        "\"x-empty\";bs;req", "\"example-dict\";sf"})
    void parse_serialize_roundTrip(String serialized) {
        assertEquals(serialized, ComponentId.parse(serialized).serialize());
    }

    @Test
    void equals_ignoresParameterOrder_butSerializationKeepsIt() {
        ComponentId a = ComponentId.parse("\"foo\";bs;req");
        ComponentId b = ComponentId.parse("\"foo\";req;bs");
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a.serialize(), b.serialize());
        assertNotEquals(ComponentId.field("foo"), a);
        assertTrue(a.fromRequestMessage());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"\"@unknown\"", "\"@signature-params\"", "\"Content-Type\"", "\"foo\";tr", "\"foo\";bogus",
        "\"foo\";bs;sf", "\"foo\";bs;key=\"a\"", "\"@query-param\"", "\"foo\";name=\"x\"", "\"@method\";key=\"a\"",
        "\"@status\";req", "\"foo\";key", "\"foo\";req=?0", "\"foo\";key=1", "content-type", "\"foo\";key=\"A\"", "\"@path\";sf",
        "\"bad name\""})
    void parse_unsupportedIdentifier_failsWithMalformedValueError(String serialized) {
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> ComponentId.parse(serialized));
    }

    @Test
    void parse_notAnItem_failsWithParsingError_tooLong_failsWithInputTooLarge() {
        assertProblem(ProblemType.PARSING_ERROR, () -> ComponentId.parse("\"a\" \"b\""));
        assertProblem(ProblemType.PARSING_ERROR, () -> ComponentId.parse("\"unterminated"));
        assertProblem(ProblemType.INPUT_TOO_LARGE, () -> ComponentId.parse("\"" + "a".repeat(2000) + "\""));
    }

    @Test
    void constructor_invalid_throwsIllegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> ComponentId.field("@method"));
        assertThrows(IllegalArgumentException.class, () -> ComponentId.METHOD.key("a"));
        assertThrows(IllegalArgumentException.class, () -> ComponentId.field("a").fromRequest().fromRequest());
    }
}
