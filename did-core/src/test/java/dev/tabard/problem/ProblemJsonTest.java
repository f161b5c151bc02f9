package dev.tabard.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProblemJsonTest {

    @Test
    void problemDetailsCarryTheW3cTypeUriTitleDetailAndPointer() {
        ProblemException e = new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/validFrom", "no time zone"));
        ObjectNode json = ProblemJson.of(e.problems(), null);
        assertEquals("https://www.w3.org/TR/vc-data-model#MALFORMED_VALUE_ERROR", json.get("type").asText());
        assertEquals("Malformed value", json.get("title").asText());
        assertEquals("no time zone", json.get("detail").asText());
        assertEquals(400, json.get("status").asInt());
        assertTrue(json.toString().contains("/validFrom"));
    }

    @Test
    void everyTypeHasAnAbsoluteUriAndTheOlderCodesAreRecognised() {
        for (ProblemType t : ProblemType.values()) {
            assertTrue(t.type().isAbsolute(), t.name());
            assertEquals(t, ProblemType.fromType(t.type().toString()).orElseThrow());
        }
        assertEquals(ProblemType.NOT_FOUND, ProblemType.fromLegacyDidError("notFound").orElseThrow());
        assertEquals(ProblemType.INVALID_DID, ProblemType.fromLegacyDidError("invalidDid").orElseThrow());
        assertEquals(ProblemType.METHOD_NOT_SUPPORTED, ProblemType.fromLegacyDidError("methodNotSupported").orElseThrow());
    }

    @Test
    void severalProblemsTravelTogether() {
        ProblemException e = new ProblemException(List.of(Problem.of(ProblemType.RANGE_ERROR, "a"),
                Problem.of(ProblemType.PARSING_ERROR, "b")));
        assertEquals(ProblemType.RANGE_ERROR, e.type());
        assertEquals(2, ProblemJson.of(e.problems(), "urn:x").get("problems").size());
    }
}
