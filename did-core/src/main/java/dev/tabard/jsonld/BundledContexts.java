package dev.tabard.jsonld;

import com.apicatalog.jsonld.JsonLdError;
import com.apicatalog.jsonld.JsonLdErrorCode;
import com.apicatalog.jsonld.JsonLdOptions;
import com.apicatalog.jsonld.document.Document;
import com.apicatalog.jsonld.document.JsonDocument;
import com.apicatalog.jsonld.loader.DocumentLoader;
import com.apicatalog.jsonld.loader.DocumentLoaderOptions;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JSON-LD contexts Tabard processes, shipped in the jar and parsed once. Nothing is ever loaded from
 * the network or the file system: a document that needs any other context is refused, unless the caller
 * adds that context's bytes with {@link #with}.
 *
 * <p>Immutable and thread-safe; the titanium loader it hands out reads from its map only. Processing a context
 * (turning the VC v2 context into term definitions) is most of what a JSON-LD expansion costs, so each
 * {@code @context} made only of bundled URLs is processed once per instance and the result shared: titanium
 * copies an active context before changing it, and a shared one is only read.
 */
public final class BundledContexts {

    public static final String CREDENTIALS_V1 = "https://www.w3.org/2018/credentials/v1";
    public static final String CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2";
    public static final String DATA_INTEGRITY_V1 = "https://w3id.org/security/data-integrity/v1";
    public static final String DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2";
    public static final String MULTIKEY_V1 = "https://w3id.org/security/multikey/v1";
    public static final String JWK_V1 = "https://w3id.org/security/jwk/v1";
    public static final String DID_V1 = "https://www.w3.org/ns/did/v1";
    public static final String STATUS_V1 = "https://www.w3.org/ns/credentials/status/v1";
    public static final String TABARD_V1 = "https://w3id.org/tabard/v1";
    /** The W3C examples context; shipped in the jar but processed only by {@link #withW3cExamplesContextForConformanceRuns}. */
    public static final String W3C_EXAMPLES_V2 = "https://www.w3.org/ns/credentials/examples/v2";
    private static final String W3C_EXAMPLES_V2_FILE = "credentials-examples-v2.jsonld";

    private static final Map<String, String> RESOURCES = Map.of(
            CREDENTIALS_V1, "credentials-v1.jsonld",
            CREDENTIALS_V2, "credentials-v2.jsonld",
            DATA_INTEGRITY_V1, "data-integrity-v1.jsonld",
            DATA_INTEGRITY_V2, "data-integrity-v2.jsonld",
            MULTIKEY_V1, "multikey-v1.jsonld",
            JWK_V1, "jwk-v1.jsonld",
            DID_V1, "did-v1.jsonld",
            STATUS_V1, "status-v1.jsonld",
            TABARD_V1, "tabard-v1.jsonld");

    private static final BundledContexts DEFAULT = new BundledContexts(load(), false);

    /** Size cap for one context added with {@link #with}; the v2 credentials context is about 10 KB. */
    public static final int MAX_CONTEXT_BYTES = 256 * 1024;

    /** Distinct {@code @context} lists kept processed; they are made of bundled URLs only, so few ever occur. */
    private static final int PROCESSED_LIMIT = 64;

    private final Map<String, Document> documents;
    /** Each context's bytes as shipped or added, for digests that pin a context (VC DM 2.0 §5.3). */
    private final Map<String, byte[]> bytes;
    private final boolean inlineContexts;
    private final DocumentLoader loader;
    private final JsonLdOptions options;
    private final Map<String, TitaniumInternals.Context> processed = new ConcurrentHashMap<>();

    private BundledContexts(Map<String, byte[]> bytes, boolean inlineContexts) {
        this.bytes = Collections.unmodifiableMap(bytes);
        Map<String, Document> parsed = new LinkedHashMap<>();
        bytes.forEach((url, b) -> parsed.put(url, parse(new ByteArrayInputStream(b), url)));
        this.documents = Collections.unmodifiableMap(parsed);
        this.inlineContexts = inlineContexts;
        this.loader = this::load;
        this.options = new JsonLdOptions(loader);
        options.setUndefinedTermsPolicy(JsonLdOptions.ProcessingPolicy.Fail);
        // titanium's context cache is an unsynchronized LRU map; the processed contexts below replace it
        options.setContextCache(null);
    }

    /** The contexts Tabard ships. */
    public static BundledContexts standard() {
        return DEFAULT;
    }

    /** These contexts plus one more, given by its URL and exact bytes. */
    public BundledContexts with(String url, byte[] context) {
        Objects.requireNonNull(url, "url");
        if (context.length > MAX_CONTEXT_BYTES) {
            throw new IllegalArgumentException("context " + url + " is over " + MAX_CONTEXT_BYTES + " bytes");
        }
        Map<String, byte[]> more = new LinkedHashMap<>(bytes);
        more.put(url, context.clone());
        return new BundledContexts(more, inlineContexts);
    }

    /**
     * These contexts plus the W3C examples context ({@value #W3C_EXAMPLES_V2}), as w3c/vc-data-model publishes it. Off
     * by default: its {@code @vocab} gives every term a meaning, so a misspelt or injected property is signed and
     * verified instead of refused as undefined. The W3C suites and the specs' test vectors use it; turn it on for local
     * conformance runs only.
     */
    public BundledContexts withW3cExamplesContextForConformanceRuns() {
        return with(W3C_EXAMPLES_V2, resource(W3C_EXAMPLES_V2_FILE));
    }

    /**
     * These contexts, also accepting inline {@code @context} objects. Off by default: an inline context can
     * remap terms in ways a reader of the JSON does not see. JSON-LD's own {@code @protected} rules and the
     * undefined-term checks still apply. The W3C conformance suites post such documents.
     */
    public BundledContexts allowingInlineContexts() {
        return new BundledContexts(bytes, true);
    }

    public boolean allowsInlineContexts() {
        return inlineContexts;
    }

    public boolean knows(String url) {
        return documents.containsKey(url);
    }

    /**
     * The exact bytes held for a context URL, for checking a digest that pins it (VC DM 2.0 §5.3
     * {@code relatedResource}); empty for a URL not held. The array is a copy.
     */
    public Optional<byte[]> bytes(String url) {
        byte[] b = bytes.get(url);
        return b == null ? Optional.empty() : Optional.of(b.clone());
    }

    public Set<String> urls() {
        return documents.keySet();
    }

    /** The titanium loader over these contexts. */
    public DocumentLoader loader() {
        return loader;
    }

    /** The options every expansion over these contexts uses: undefined terms fail, no titanium-side caches. */
    JsonLdOptions options() {
        return options;
    }

    /**
     * The active context a top-level {@code @context} value yields, processed once when it lists bundled URLs
     * only. {@code context} may be null (no {@code @context}).
     */
    TitaniumInternals.Context activeContext(JsonValue context) throws JsonLdError {
        TitaniumInternals.Context initial = TitaniumInternals.initial(options);
        if (context == null) {
            return initial;
        }
        String key = cacheKey(context);
        if (key == null) {
            return TitaniumInternals.process(initial, context);
        }
        TitaniumInternals.Context cached = processed.get(key);
        if (cached == null) {
            cached = TitaniumInternals.process(initial, context);
            if (processed.size() < PROCESSED_LIMIT) {
                processed.putIfAbsent(key, cached);
            }
        }
        return cached;
    }

    /** A key for a context made of bundled URLs only, or null. */
    private String cacheKey(JsonValue context) {
        StringBuilder key = new StringBuilder();
        Iterable<JsonValue> entries = context instanceof JsonArray a ? a : List.of(context);
        for (JsonValue v : entries) {
            if (!(v instanceof JsonString s) || !documents.containsKey(s.getString())) {
                return null;
            }
            key.append(s.getString()).append(' ');
        }
        return key.toString();
    }

    private Document load(URI url, DocumentLoaderOptions options) throws JsonLdError {
        Document d = documents.get(url.toString());
        if (d == null) {
            throw new JsonLdError(JsonLdErrorCode.LOADING_DOCUMENT_FAILED,
                    "context " + url + " is not bundled, and Tabard loads no context from the network");
        }
        return d;
    }

    private static Map<String, byte[]> load() {
        Map<String, byte[]> docs = new LinkedHashMap<>();
        RESOURCES.forEach((url, file) -> docs.put(url, resource(file)));
        return docs;
    }

    private static byte[] resource(String file) {
        try (InputStream in = BundledContexts.class.getResourceAsStream("contexts/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing bundled context " + file);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Document parse(InputStream in, String url) {
        try {
            JsonDocument doc = JsonDocument.of(in);
            doc.setDocumentUrl(URI.create(url));
            return doc;
        } catch (JsonLdError e) {
            throw new IllegalArgumentException("context " + url + " is not JSON: " + e.getMessage(), e);
        }
    }
}
