package dev.tabard.httpsig.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class StructuredFieldsTest {

    /** Input, then its strict serialization (RFC 8941 §4.1); examples from RFC 8941 §3 and RFC 9421 §2.1. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "a=1,    b=2;x=1;y=2,   c=(a   b   c)|a=1, b=2;x=1;y=2, c=(a b c)",
        "  en=\"Applepie\", da=:w4ZibGV0w6ZydGU=:  |en=\"Applepie\", da=:w4ZibGV0w6ZydGU=:",
        "a=?0, b, c; foo=bar|a=?0, b, c;foo=bar",
        "rating=1.50, feelings=(joy sadness)|rating=1.5, feelings=(joy sadness)",
        "a=(1 2), b=3, c=4;aa=bb, d=(5 6);valid|a=(1 2), b=3, c=4;aa=bb, d=(5 6);valid",
        "a=1, a=2|a=2",
        "x=-0.5, y=\"q\\\"uote\\\\\"|x=-0.5, y=\"q\\\"uote\\\\\"",
        "t=*tok/en:x|t=*tok/en:x",
        "i=()|i=()"
    })
    void dictionary_serializesStrictly(String input, String expected) {
        assertEquals(expected, StructuredFields.serializeDictionary(SfParser.parseDictionary(input, true)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "sugar, tea, rum|sugar, tea, rum",
        "(\"foo\" \"bar\");lvl=5, (\"baz\");lvl=1|(\"foo\" \"bar\");lvl=5, (\"baz\");lvl=1",
        "abc;a=1;b=2; cde_456, (ghi;jk=4 l);q=\"9\";r=w|abc;a=1;b=2;cde_456, (ghi;jk=4 l);q=\"9\";r=w",
        "1.0, 42, -7, ?1|1.0, 42, -7, ?1"
    })
    void list_serializesStrictly(String input, String expected) {
        assertEquals(expected, StructuredFields.serializeList(SfParser.parseList(input)));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"a=1,", "a=(1 2", "a=\"open", "a=:bm90IGJhc2U2NA", "a=:@@:", "A=1", "a=1234567890123456",
        "a=1.2345", "a=1.", "a=?2", "a=\"tab\there\"", "a=\"\\x\"", "a=1 b=2", "a=(1,2)", "a=é", "a=1;", "a=1, , b=2"})
    void dictionary_malformed_failsWithParsingError(String input) {
        ProblemException e = assertThrows(ProblemException.class, () -> SfParser.parseDictionary(input, true));
        assertEquals(ProblemType.PARSING_ERROR, e.type(), e::getMessage);
    }

    @Test
    void dictionary_duplicateKeyWhenRefused_failsWithMalformedValueError() {
        ProblemException e = assertThrows(ProblemException.class, () -> SfParser.parseDictionary("a=1, b=2, a=3", false));
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, e.type());
    }

    @Test
    void item_byteSequenceAndDecimal_roundTrip() {
        StructuredFields.Item item = SfParser.parseItem(":AQID:;p=1.125");
        assertEquals(":AQID:;p=1.125", StructuredFields.serializeMember(item));
        assertEquals(new BigDecimal("1.125"), item.parameters().get(0).value());
        assertEquals("123456789012.0", StructuredFields.serializeBareItem(new BigDecimal("123456789012")));
        assertThrows(IllegalArgumentException.class, () -> StructuredFields.serializeBareItem(1_000_000_000_000_000L));
    }
}
