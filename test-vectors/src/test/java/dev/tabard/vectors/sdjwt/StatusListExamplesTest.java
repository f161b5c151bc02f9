package dev.tabard.vectors.sdjwt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.sdjwt.status.StatusList;
import dev.tabard.vectors.Vectors;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** draft-ietf-oauth-status-list's examples decode exactly: every listed status, every other entry 0, the exact size. */
class StatusListExamplesTest {

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        Vectors.json("sd-jwt/status-list.json").get("cases").forEach(c -> out.add(Arguments.of(c.get("id").asText(), c)));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void example_decodesExactly(String id, JsonNode c) {
        StatusList list = StatusList.decode(c.get("bits").asInt(), c.get("lst").asText());
        assertEquals(c.get("size").asLong(), list.size());
        if (c.has("bytes")) {
            assertEquals(c.get("bytes").asText(), HexFormat.of().formatHex(list.bytes().toByteArray()));
        }
        JsonNode statuses = c.get("statuses");
        int nonZero = 0;
        for (long i = 0; i < list.size(); i++) {
            int expected = statuses.path(Long.toString(i)).asInt(0);
            assertEquals(expected, list.get(i), id + " index " + i);
            nonZero += expected != 0 ? 1 : 0;
        }
        // and our encoder's output decodes to the same list (the compressed bytes may differ from the draft's encoder)
        assertEquals(list, StatusList.decode(list.bits(), list.encode()));
        Vectors.report("status-list " + id, statuses.size(), statuses.size());
        assertEquals(nonZero, countNonZero(statuses));
    }

    private static int countNonZero(JsonNode statuses) {
        int n = 0;
        for (JsonNode v : statuses) {
            n += v.asInt() != 0 ? 1 : 0;
        }
        return n;
    }
}
