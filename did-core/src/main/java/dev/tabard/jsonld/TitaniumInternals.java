package dev.tabard.jsonld;

import com.apicatalog.jsonld.JsonLdError;
import com.apicatalog.jsonld.JsonLdOptions;
import com.apicatalog.jsonld.context.ActiveContext;
import com.apicatalog.jsonld.expansion.Expansion;
import com.apicatalog.jsonld.processor.ProcessingRuntime;
import com.apicatalog.jsonld.processor.ToRdfProcessor;
import com.apicatalog.rdf.api.RdfQuadConsumer;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.Objects;

/**
 * The one place that calls titanium-json-ld's internal classes ({@code ActiveContext}, {@code ActiveContextBuilder},
 * {@code ProcessingRuntime}, {@code Expansion}, {@code ToRdfProcessor}); they are public but not titanium's API, so a
 * titanium release may change them without notice.
 *
 * <p>Why not the API ({@code JsonLd.expand}, {@code JsonLd.toRdf}): it processes the top-level context again for every
 * document, while {@link BundledContexts} processes each bundled context list once and keeps the result; and the
 * expanded form must be checked for dropped data ({@link Rdfc}) before it becomes RDF, which the API's one-call
 * {@code toRdf} does not allow. {@code TitaniumInternalsTest} checks every signature used here and a known
 * canonicalization, and names this class and the titanium version when either changes.
 */
final class TitaniumInternals {

    /** A processed JSON-LD context, opaque outside this class. */
    static final class Context {
        private final ActiveContext active;

        private Context(ActiveContext active) {
            this.active = active;
        }
    }

    private TitaniumInternals() {
    }

    /** The empty context expansion starts from, with {@code options}' loader and policies. */
    static Context initial(JsonLdOptions options) {
        return new Context(new ActiveContext(null, null, ProcessingRuntime.of(options)));
    }

    /** {@code base} with a local {@code @context} value processed onto it (JSON-LD 1.1 Context Processing). */
    static Context process(Context base, JsonValue context) throws JsonLdError {
        Objects.requireNonNull(context, "context");
        return new Context(base.active.newContext().create(context, null));
    }

    /** Expansion of a document body (no {@code @context} member) under {@code context}; null when nothing remains. */
    static JsonValue expand(Context context, JsonObject body) throws JsonLdError {
        return Expansion.with(context.active, body, null, null).ordered(false).compute();
    }

    /** The quads of an expanded document, deserialized to RDF (JSON-LD 1.1 API §8.6) into {@code consumer}. */
    static void toRdf(RdfQuadConsumer consumer, JsonArray expanded, JsonLdOptions options) throws JsonLdError {
        ToRdfProcessor.toRdf(consumer, expanded, options);
    }
}
