package dev.tabard.vectors.vcdm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.jsonld.BundledContexts;
import dev.tabard.jsonld.Rdfc;
import dev.tabard.problem.ProblemException;
import dev.tabard.vc.Credential;
import dev.tabard.vc.Presentation;
import dev.tabard.vectors.Vectors;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The input documents of the W3C VC Data Model 2.0 test suite (w3c/vc-data-model-2.0-test-suite 6e075243),
 * each checked the way our issue and verify endpoints check a document before any proof: the data model, then
 * safe JSON-LD processing over the bundled contexts plus the examples context. Files named {@code -ok} must pass,
 * {@code -fail} and {@code -fail-or-inject} must be refused. The suite fills in an issuer and date placeholders before
 * posting credential inputs, and its issuer accepts inline contexts; so do we here. The four {@code presentation-self-asserted-*} cases are about holder binding at
 * verification time and are covered by the verifier's tests, not here.
 */
class DataModelSuiteTest {

    private static final String DIR = "w3c-vc-data-model-2.0-test-suite/tests/input/";
    private static final BundledContexts CONTEXTS = BundledContexts.standard()
            .with("https://www.w3.org/ns/credentials/examples/v2", Vectors.bytes("w3c-vc-data-model/contexts/credentials/examples/v2"))
            .allowingInlineContexts();

    @Test
    void everyInput() throws IOException, URISyntaxException {
        Path root = Path.of(DataModelSuiteTest.class.getResource("/vectors/" + DIR).toURI());
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        int cases = 0;
        int ok = 0;
        List<String> mismatches = new ArrayList<>();
        for (Path f : files) {
            String name = f.getFileName().toString();
            if (name.startsWith("presentation-self-asserted")) {
                continue;
            }
            boolean expectOk = name.endsWith("-ok.json");
            cases++;
            String why = null;
            try {
                ObjectNode doc = (ObjectNode) Vectors.json(root.getParent().getParent().getParent().relativize(f).toString()
                        .replace('\\', '/'));
                if (name.startsWith("presentation")) {
                    Presentation.of(doc);
                } else {
                    // what the suite fills in before posting: an issuer, its id, and the date placeholders
                    SuiteInputs.prepare(doc, "did:key:z6MkpJySvETLnxhQG9DzEdmKJtysBDjuuTeDfUj1uNNCUqcj");
                    Credential.of(doc);
                }
                doc.remove("proof"); // proofs are canonicalized on their own, as Data Integrity does
                Rdfc.canonicalize(doc, CONTEXTS);
            } catch (ProblemException e) {
                why = e.type() + ": " + e.problem().detail();
            }
            if ((why == null) == expectOk) {
                ok++;
            } else {
                mismatches.add(name + (expectOk ? " refused: " + why : " accepted"));
            }
        }
        Vectors.report("w3c vc-data-model-2.0 test-suite inputs", cases, ok);
        assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
        assertEquals(116, cases);
    }
}
