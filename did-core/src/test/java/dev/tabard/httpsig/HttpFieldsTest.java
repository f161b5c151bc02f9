package dev.tabard.httpsig;

import static dev.tabard.httpsig.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.problem.ProblemType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HttpFieldsTest {

    @Test
    void of_mergesNamesCaseInsensitively_keepsValueOrder() {
        Map<String, List<String>> raw = new LinkedHashMap<>();
        raw.put("Cache-Control", List.of("max-age=60"));
        raw.put("cache-control", List.of("must-revalidate"));
        raw.put("Host", List.of("example.com"));
        HttpFields f = HttpFields.of(raw);
        assertEquals(List.of("max-age=60", "must-revalidate"), f.values("CACHE-CONTROL"));
        assertEquals(Optional.of("example.com"), f.first("host"));
        assertEquals(List.of("cache-control", "host"), List.copyOf(f.asMap().keySet()));
        assertEquals(List.of(), f.values("absent"));
        assertEquals(Optional.empty(), f.first("absent"));
    }

    @Test
    void withAndWithout_copy_leaveTheOriginal() {
        HttpFields f = HttpFields.builder().add("A", "1").add("a", "2").build();
        HttpFields replaced = f.with("A", "3");
        assertEquals(List.of("3"), replaced.values("a"));
        assertEquals(List.of("1", "2"), f.values("a"));
        assertFalse(f.without("a").contains("a"));
        assertTrue(f.contains("a"));
        assertEquals(List.of("1", "2", "4"), f.plus("A", "4").values("a"));
        assertThrows(UnsupportedOperationException.class, () -> f.asMap().put("b", List.of()));
        assertThrows(UnsupportedOperationException.class, () -> f.values("a").add("x"));
    }

    @Test
    void add_nameThatIsNotAToken_failsWithMalformedValueError() {
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> HttpFields.builder().add("bad name", "x"));
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> HttpFields.builder().add("", "x"));
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> HttpFields.builder().add("@method", "x"));
    }
}
