package dev.tabard.vectors.rdfc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.jsonld.Rdfc;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vectors.Vectors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * All 86 cases of the W3C RDFC-1.0 test suite (w3c/rdf-canon): 64 evaluation tests compare canonical N-Quads
 * byte for byte, 21 map tests compare the issued blank-node labels, and the poison graph (test074) must fail
 * with a typed problem, bounded by the work budget.
 */
class RdfcSuiteTest {

    private static final String DIR = "w3c-rdf-canon/tests/";

    @Test
    void everyManifestEntry() {
        JsonNode manifest = Vectors.json(DIR + "manifest.jsonld");
        int cases = 0;
        int ok = 0;
        List<String> mismatches = new ArrayList<>();
        for (JsonNode e : manifest.get("entries")) {
            cases++;
            String type = e.get("type").asText();
            String input = new String(Vectors.bytes(DIR + e.get("action").asText()), StandardCharsets.UTF_8);
            String hash = e.path("hashAlgorithm").asText("SHA256").equals("SHA384") ? "SHA-384" : "SHA-256";
            String id = e.get("id").asText();
            switch (type) {
                case "rdfc:RDFC10EvalTest" -> {
                    String expected = new String(Vectors.bytes(DIR + e.get("result").asText()), StandardCharsets.UTF_8);
                    String got = Rdfc.canonicalizeNQuads(input, hash, Rdfc.DEFAULT_BUDGET).nquads();
                    if (got.equals(expected)) {
                        ok++;
                    } else {
                        mismatches.add(id + " canonical form differs");
                    }
                }
                case "rdfc:RDFC10MapTest" -> {
                    JsonNode expected = Vectors.json(DIR + e.get("result").asText());
                    Map<String, String> got = new HashMap<>();
                    Rdfc.canonicalizeNQuads(input, hash, Rdfc.DEFAULT_BUDGET).issued()
                            .forEach((k, v) -> got.put(strip(k), strip(v)));
                    Map<String, String> want = new HashMap<>();
                    expected.fields().forEachRemaining(f -> want.put(f.getKey(), f.getValue().asText()));
                    if (got.equals(want)) {
                        ok++;
                    } else {
                        mismatches.add(id + " map " + got + " != " + want);
                    }
                }
                case "rdfc:RDFC10NegativeEvalTest" -> {
                    long start = System.nanoTime();
                    ProblemException ex = assertThrows(ProblemException.class,
                            () -> Rdfc.canonicalizeNQuads(input, hash, Rdfc.DEFAULT_BUDGET));
                    long ms = (System.nanoTime() - start) / 1_000_000;
                    assertEquals(ProblemType.LIMIT_EXCEEDED, ex.type());
                    System.out.printf("[vectors] rdfc %s (poison) refused after %d ms%n", id, ms);
                    ok++;
                }
                default -> mismatches.add(id + " unknown test type " + type);
            }
        }
        Vectors.report("w3c rdf-canon rdfc-1.0", cases, ok);
        assertEquals(86, cases);
        assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
    }

    private static String strip(String label) {
        return label.startsWith("_:") ? label.substring(2) : label;
    }
}
