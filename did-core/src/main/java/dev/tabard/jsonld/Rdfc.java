package dev.tabard.jsonld;

import com.apicatalog.jsonld.JsonLdError;
import com.apicatalog.jsonld.JsonLdErrorCode;
import com.apicatalog.jsonld.document.JsonDocument;
import com.apicatalog.rdf.api.RdfConsumerException;
import com.apicatalog.rdf.canon.RdfCanon;
import com.apicatalog.rdf.canon.RdfCanonTicker;
import com.apicatalog.rdf.nquads.NQuadsReader;
import com.apicatalog.rdf.nquads.NQuadsReaderException;
import com.apicatalog.rdf.nquads.NQuadsWriter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * JSON-LD to canonical N-Quads (RDFC-1.0) the safe way.
 *
 * <ul>
 *   <li>Every {@code @context} entry must be a URL the {@link BundledContexts} know: no inline contexts, no
 *       network. An unknown context cannot be processed as the signer meant it.</li>
 *   <li>Expansion fails on undefined terms, and any relative IRI left after expansion is an error: titanium
 *       would otherwise drop such data silently, so a signature would not cover it
 *       ({@code DATA_LOSS_DETECTION_ERROR}).</li>
 *   <li>Canonicalization runs on a work budget: the W3C suite's legitimate inputs need at most 13,451 steps,
 *       its poison graph (test074) never finishes without one.</li>
 *   <li>The work in flight is bounded too, not only each run's: every run may take {@link #LIGHT_STEPS} steps, and
 *       only {@link #MAX_HEAVY_RUNS} runs at a time may go past them. A run that would be one more waits
 *       {@link #HEAVY_RUN_WAIT} and then fails with {@code SERVICE_UNAVAILABLE}. Poison graphs sent in parallel so
 *       cannot take every core from honest documents, which never need a heavy slot and are never refused.</li>
 * </ul>
 */
public final class Rdfc {

    /** Steps canonicalization may take: seven times what the hardest legitimate W3C case needs. */
    public static final int DEFAULT_BUDGET = 100_000;

    /**
     * Steps any run may take without a heavy slot: above the 13,451 of the hardest legitimate W3C case, so honest
     * documents never wait for one; a poison graph spends about 110 ms here.
     */
    public static final int LIGHT_STEPS = 20_000;

    /**
     * Runs that may go past {@link #LIGHT_STEPS} at once: half the cores, at least one, so heavy canonicalization
     * (up to 0.5 s each at {@link #DEFAULT_BUDGET}) always leaves cores to honest verification.
     */
    public static final int MAX_HEAVY_RUNS = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);

    /** How long a run waits for a heavy slot before it is refused: short, because a slot is held up to 0.5 s. */
    public static final Duration HEAVY_RUN_WAIT = Duration.ofMillis(50);

    private static final Semaphore HEAVY_RUNS = new Semaphore(MAX_HEAVY_RUNS, true);

    /** Looked up once: {@code jakarta.json.Json}'s factory methods search the class path on every call. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private Rdfc() {
    }

    /**
     * The canonical N-Quads of a JSON-LD document.
     *
     * @throws ProblemException {@code PROOF_TRANSFORMATION_ERROR} for an unknown or inline context or a JSON-LD
     *     error; {@code DATA_LOSS_DETECTION_ERROR} when expansion would drop a property or value;
     *     {@code LIMIT_EXCEEDED} when canonicalization passes its budget; {@code SERVICE_UNAVAILABLE} when it passes
     *     {@link #LIGHT_STEPS} while {@link #MAX_HEAVY_RUNS} other heavy runs are in flight
     */
    public static String canonicalize(ObjectNode document, BundledContexts contexts) {
        return canonicalize(document, contexts, "SHA-256");
    }

    /**
     * As {@link #canonicalize(ObjectNode, BundledContexts)}, with RDFC-1.0's {@code hashAlgorithm} ({@code SHA-256} or
     * {@code SHA-384}): ecdsa-rdfc-2019 on P-384 labels blank nodes with SHA-384.
     */
    public static String canonicalize(ObjectNode document, BundledContexts contexts, String hashAlgorithm) {
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(contexts, "contexts");
        checkContexts(document, contexts, "");
        JsonArray expanded;
        try {
            expanded = expand(contexts.allowsInlineContexts() ? unwrapContextDocuments(document.deepCopy()) : document, contexts);
        } catch (JsonLdError e) {
            // the kind is the processor's error code; the detail is ours, naming the code, never the processor's message
            ProblemType type = e.getCode() == JsonLdErrorCode.UNDEFINED_TERM
                    ? ProblemType.DATA_LOSS_DETECTION_ERROR : ProblemType.PROOF_TRANSFORMATION_ERROR;
            throw new ProblemException(type, "JSON-LD expansion failed: " + e.getCode().name().toLowerCase(java.util.Locale.ROOT)
                    .replace('_', ' ') + (type == ProblemType.DATA_LOSS_DETECTION_ERROR ? " (a property no context defines would be dropped)" : ""));
        }
        checkExpanded(expanded);
        return canonical(consumer -> TitaniumInternals.toRdf(consumer, expanded, contexts.options()),
                DEFAULT_BUDGET, hashAlgorithm, new RdfCanon[1]);
    }

    /**
     * JSON-LD expansion (steps 5 to 8 of the API's expand), starting from the processed top-level context the
     * {@link BundledContexts} keep instead of processing it again; the result is the same.
     */
    private static JsonArray expand(ObjectNode document, BundledContexts contexts) throws JsonLdError {
        JsonStructure json = JsonDocument.of(new ByteArrayInputStream(JsonCodec.write(document)))
                .getJsonContent().orElseThrow();
        JsonObject object = json.asJsonObject();
        TitaniumInternals.Context active = contexts.activeContext(object.get("@context"));
        JsonObject body = object.containsKey("@context")
                ? JSON.createObjectBuilder(object).remove("@context").build() : object;
        JsonValue expanded = TitaniumInternals.expand(active, body);
        if (expanded instanceof JsonObject o && o.size() == 1 && o.containsKey("@graph")) {
            expanded = o.get("@graph");
        }
        if (expanded == null || expanded.getValueType() == JsonValue.ValueType.NULL) {
            return JsonValue.EMPTY_JSON_ARRAY;
        }
        return expanded instanceof JsonArray a ? a : JSON.createArrayBuilder().add(expanded).build();
    }

    /** A canonical dataset and the canonical label issued for each input blank node. */
    public record Canonical(String nquads, Map<String, String> issued) {
        public Canonical {
            Objects.requireNonNull(nquads, "nquads");
            issued = Map.copyOf(issued);
        }
    }

    /**
     * Canonicalizes an N-Quads dataset with {@code hashAlgorithm} ({@code SHA-256} or {@code SHA-384}).
     *
     * @throws ProblemException {@code LIMIT_EXCEEDED} past {@code budget} steps; {@code SERVICE_UNAVAILABLE} past
     *     {@link #LIGHT_STEPS} while {@link #MAX_HEAVY_RUNS} other heavy runs are in flight;
     *     {@code PROOF_TRANSFORMATION_ERROR} for input that is not N-Quads
     */
    public static Canonical canonicalizeNQuads(String nquads, String hashAlgorithm, int budget) {
        RdfCanon[] used = new RdfCanon[1];
        String out = canonical(consumer -> new NQuadsReader(new StringReader(nquads)).provide(consumer), budget,
                hashAlgorithm, used);
        return new Canonical(out, used[0].mapping());
    }

    @FunctionalInterface
    private interface QuadSource {
        void provide(com.apicatalog.rdf.api.RdfQuadConsumer consumer) throws Exception;
    }

    private static String canonical(QuadSource source, int budget, String hashAlgorithm, RdfCanon[] used) {
        int[] steps = {0};
        boolean[] heavy = {false};
        RdfCanonTicker ticker = () -> {
            int step = ++steps[0];
            if (step > budget) {
                throw new ProblemException(ProblemType.LIMIT_EXCEEDED,
                        "RDF canonicalization passed its budget of " + budget + " steps");
            }
            if (step == LIGHT_STEPS + 1) {
                heavy[0] = acquireHeavySlot();
            }
        };
        RdfCanon canon = RdfCanon.create(hashAlgorithm, ticker);
        used[0] = canon;
        StringWriter out = new StringWriter();
        try {
            source.provide(canon);
            canon.provide(new NQuadsWriter(out));
        } catch (ProblemException e) {
            throw e;
        } catch (JsonLdError | RdfConsumerException | NQuadsReaderException e) {
            throw new ProblemException(ProblemType.PROOF_TRANSFORMATION_ERROR, "RDF conversion failed: " + e.getMessage());
        } catch (Exception e) {
            throw new ProblemException(ProblemType.PROOF_TRANSFORMATION_ERROR, "RDF conversion failed: " + e);
        } finally {
            if (heavy[0]) {
                HEAVY_RUNS.release();
            }
        }
        return out.toString();
    }

    /** Takes one of the {@link #MAX_HEAVY_RUNS} slots, or refuses the run. */
    private static boolean acquireHeavySlot() {
        try {
            if (HEAVY_RUNS.tryAcquire(HEAVY_RUN_WAIT.toNanos(), TimeUnit.NANOSECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new ProblemException(ProblemType.SERVICE_UNAVAILABLE, "RDF canonicalization of this document needs more than "
                + LIGHT_STEPS + " steps and " + MAX_HEAVY_RUNS + " such runs are already in flight; try again shortly");
    }

    /**
     * With inline contexts allowed (conformance runs only), a local context written as a context document —
     * {@code {"@context": {…}}} — is read as the context it wraps, as the JavaScript JSON-LD processor the W3C suites sign
     * with reads it; JSON-LD 1.1 itself calls an {@code @context} entry inside a context a keyword redefinition.
     */
    private static ObjectNode unwrapContextDocuments(ObjectNode node) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("@context")) {
                e.setValue(unwrapped(e.getValue()));
            } else if (e.getValue().isObject()) {
                unwrapContextDocuments((ObjectNode) e.getValue());
            } else if (e.getValue().isArray()) {
                e.getValue().forEach(v -> {
                    if (v.isObject()) {
                        unwrapContextDocuments((ObjectNode) v);
                    }
                });
            }
        }
        return node;
    }

    private static JsonNode unwrapped(JsonNode context) {
        if (context.isObject() && context.size() == 1 && context.has("@context")) {
            return unwrapped(context.get("@context"));
        }
        if (context.isArray()) {
            com.fasterxml.jackson.databind.node.ArrayNode out = JsonCodec.arrayNode();
            context.forEach(c -> {
                JsonNode u = unwrapped(c);
                if (u.isArray()) {
                    out.addAll((com.fasterxml.jackson.databind.node.ArrayNode) u);
                } else {
                    out.add(u);
                }
            });
            return out;
        }
        return context;
    }

    private static void checkContexts(JsonNode node, BundledContexts contexts, String pointer) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String p = pointer + "/" + e.getKey().replace("~", "~0").replace("/", "~1");
                if (e.getKey().equals("@context")) {
                    JsonNode ctx = e.getValue();
                    Iterable<JsonNode> entries = ctx.isArray() ? ctx : java.util.List.of(ctx);
                    int i = 0;
                    for (JsonNode c : entries) {
                        String cp = ctx.isArray() ? p + "/" + i : p;
                        if (c.isObject() && contexts.allowsInlineContexts()) {
                            checkContexts(c, contexts, cp);
                        } else if (!c.isTextual()) {
                            throw new ProblemException(Problem.at(ProblemType.PROOF_TRANSFORMATION_ERROR, cp,
                                    "inline @context objects are not processed; use a known context URL"));
                        } else if (!contexts.knows(c.asText())) {
                            throw new ProblemException(Problem.at(ProblemType.PROOF_TRANSFORMATION_ERROR, cp,
                                    "@context " + c.asText() + " is not one this processor knows"));
                        }
                        i++;
                    }
                } else {
                    checkContexts(e.getValue(), contexts, p);
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkContexts(node.get(i), contexts, pointer + "/" + i);
            }
        }
    }

    /** After expansion every node id, type and property must be an absolute IRI or a blank node. */
    private static void checkExpanded(JsonValue v) {
        if (v instanceof JsonArray a) {
            a.forEach(Rdfc::checkExpanded);
        } else if (v instanceof JsonObject o) {
            if (o.containsKey("@value")) {
                JsonValue t = o.get("@type");
                if (t instanceof JsonString s && !s.getString().equals("@json") && !absolute(s.getString())) {
                    throw loss("datatype '" + s.getString() + "' is not an absolute IRI");
                }
                return;
            }
            for (Map.Entry<String, JsonValue> e : o.entrySet()) {
                String k = e.getKey();
                if (k.equals("@id")) {
                    String id = ((JsonString) e.getValue()).getString();
                    if (!absolute(id)) {
                        throw loss("'" + id + "' is a relative IRI; it would be dropped from the signed data");
                    }
                } else if (k.equals("@type")) {
                    for (JsonValue t : (JsonArray) e.getValue()) {
                        String s = ((JsonString) t).getString();
                        if (!absolute(s)) {
                            throw loss("type '" + s + "' is not defined by any context");
                        }
                    }
                } else if (!k.startsWith("@") && !absolute(k)) {
                    throw loss("property '" + k + "' is not defined by any context");
                } else {
                    checkExpanded(e.getValue());
                }
            }
        }
    }

    private static boolean absolute(String iri) {
        if (iri.startsWith("_:")) {
            return true;
        }
        int colon = iri.indexOf(':');
        if (colon <= 0 || !isAlpha(iri.charAt(0))) {
            return false;
        }
        for (int i = 1; i < colon; i++) {
            char c = iri.charAt(i);
            if (!isAlpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '.' && c != '-') {
                return false;
            }
        }
        for (int i = colon + 1; i < iri.length(); i++) {
            if (iri.charAt(i) <= ' ') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAlpha(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static ProblemException loss(String detail) {
        return new ProblemException(ProblemType.DATA_LOSS_DETECTION_ERROR, detail);
    }
}
