package dev.tabard.didweb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.Bytes;
import dev.tabard.did.Did;
import dev.tabard.did.DidDocument;
import dev.tabard.did.DidResolver;
import dev.tabard.did.Relationship;
import dev.tabard.did.ResolutionResult;
import dev.tabard.fetch.FetchedResource;
import dev.tabard.fetch.SafeFetcher;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves did:web through {@link SafeFetcher}, a {@link ResolutionCache} and, optionally, a
 * {@link ResolutionBundle}. Without a fetcher it is offline: only the bundle answers.
 *
 * <p>Concurrent resolutions of one DID share one request. A fetched document must describe the DID it
 * was fetched for and use absolute DID URLs only (the did:web spec's rule against key confusion).
 * Failures are DID Resolution problems ({@code INVALID_DID}, {@code NOT_FOUND},
 * {@code INVALID_DID_DOCUMENT}, {@code REPRESENTATION_NOT_SUPPORTED}) or the fetcher's own
 * ({@code FETCH_REFUSED}, {@code FETCH_FAILED}, {@code INPUT_TOO_LARGE}), each with a detail that names the DID.
 */
public final class WebDidResolver implements DidResolver {

    private static final Set<String> MEDIA_TYPES = Set.of("application/did+json", "application/did+ld+json",
            "application/json", "application/ld+json");

    private final Optional<SafeFetcher> fetcher;
    private final ResolutionCache cache;
    private final Optional<ResolutionBundle> bundle;
    private final Clock clock;
    private final ConcurrentHashMap<Did, CompletableFuture<ResolutionResult>> inFlight = new ConcurrentHashMap<>();
    /**
     * Documents answered from the bundle, parsed and checked once: the bundle never changes, and checking a document's
     * keys in full (a point multiplication each) on every resolution would cost as much as the signature it serves.
     * Holds at most the bundle's own documents.
     */
    private final ConcurrentHashMap<Did, ResolutionResult> fromBundle = new ConcurrentHashMap<>();

    private WebDidResolver(Builder b) {
        this.fetcher = Optional.ofNullable(b.fetcher);
        this.cache = b.cache;
        this.bundle = Optional.ofNullable(b.bundle);
        this.clock = b.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A resolver that never touches the network: only {@code bundle} answers. */
    public static WebDidResolver offline(ResolutionBundle bundle) {
        return builder().bundle(bundle).build();
    }

    public ResolutionCache cache() {
        return cache;
    }

    @Override
    public boolean supports(String method) {
        return DidWebUrls.METHOD.equals(method);
    }

    @Override
    public ResolutionResult resolve(Did did) {
        Objects.requireNonNull(did, "did");
        URI url = DidWebUrls.toUrl(did);
        Instant now = clock.instant();
        if (bundle.isPresent()) {
            ResolutionResult known = fromBundle.get(did);
            if (known != null) {
                return known;
            }
            Optional<Bytes> packed = bundle.get().document(did);
            if (packed.isPresent()) {
                DidDocument doc = validate(did, packed.get().toByteArray());
                ResolutionResult result = new ResolutionResult(doc, new ResolutionResult.Metadata(bundle.get().created(), Optional.empty(),
                        ResolutionResult.Source.BUNDLE, Optional.of("application/did+json"), false));
                fromBundle.putIfAbsent(did, result);
                return result;
            }
        }
        if (fetcher.isEmpty()) {
            throw new ProblemException(ProblemType.NOT_FOUND, did + " is not in the resolution bundle and this resolver is offline");
        }
        Optional<ResolutionCache.Entry> cached = cache.get(did);
        if (cached.isPresent() && cached.get().freshAt(now)) {
            cache.hits.incrementAndGet();
            return fromCache(did, cached.get());
        }
        CompletableFuture<ResolutionResult> mine = new CompletableFuture<>();
        CompletableFuture<ResolutionResult> running = inFlight.putIfAbsent(did, mine);
        if (running != null) {
            try {
                return running.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof ProblemException p ? p : e;
            }
        }
        try {
            ResolutionResult result = fetch(did, url, cached, now);
            mine.complete(result);
            return result;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(did, mine);
        }
    }

    private ResolutionResult fetch(Did did, URI url, Optional<ResolutionCache.Entry> stale, Instant now) {
        Map<String, String> headers = stale.flatMap(ResolutionCache.Entry::etag)
                .map(tag -> Map.of("If-None-Match", tag)).orElse(Map.of());
        FetchedResource response;
        try {
            response = fetcher.get().get(url, MEDIA_TYPES, headers);
        } catch (ProblemException e) {
            cache.errors.incrementAndGet();
            if (e.type() == ProblemType.FETCH_FAILED && stale.isPresent() && cache.usableOnError(stale.get(), now)) {
                cache.staleServed.incrementAndGet();
                return fromCache(did, stale.get());
            }
            throw new ProblemException(e.type(), "resolving " + did + ": " + e.problem().detail());
        }
        int status = response.status();
        if (status == 304 && stale.isPresent()) {
            cache.revalidated.incrementAndGet();
            ResolutionCache.Entry e = cache.put(did, stale.get().document(), response.etag().or(stale.get()::etag), now,
                    response.freshness(now));
            return fromCache(did, e);
        }
        if (status == 404 || status == 410) {
            cache.errors.incrementAndGet();
            cache.invalidate(did);
            throw new ProblemException(ProblemType.NOT_FOUND, did + " not found at " + url + " (HTTP " + status + ")");
        }
        if (status != 200) {
            cache.errors.incrementAndGet();
            if (stale.isPresent() && status >= 500 && cache.usableOnError(stale.get(), now)) {
                cache.staleServed.incrementAndGet();
                return fromCache(did, stale.get());
            }
            throw new ProblemException(ProblemType.FETCH_FAILED, "resolving " + did + ": " + hostAndPort(url) + " answered HTTP "
                    + status + " for " + url + (status >= 500 || status == 429 ? "; the DID's host is failing, try again later"
                    : "; the DID's host does not serve its document"));
        }
        byte[] body = response.body().toByteArray();
        DidDocument doc;
        try {
            doc = validate(did, body);
        } catch (ProblemException e) {
            cache.errors.incrementAndGet();
            throw e;
        }
        cache.misses.incrementAndGet();
        ResolutionCache.Entry e = cache.put(did, Bytes.copyFrom(body), response.etag(), now, response.freshness(now));
        return new ResolutionResult(doc, new ResolutionResult.Metadata(now, Optional.of(e.expires()),
                ResolutionResult.Source.NETWORK, response.mediaType(), false));
    }

    private static String hostAndPort(URI url) {
        return url.getHost() + (url.getPort() == -1 ? "" : ":" + url.getPort());
    }

    private ResolutionResult fromCache(Did did, ResolutionCache.Entry e) {
        return new ResolutionResult(validate(did, e.document().toByteArray()), new ResolutionResult.Metadata(e.fetched(),
                Optional.of(e.expires()), ResolutionResult.Source.CACHE, Optional.of("application/did+json"), false));
    }

    /** Parses a document fetched for {@code did} and applies the did:web rules on top of DID Core's. */
    static DidDocument validate(Did did, byte[] body) {
        DidDocument doc;
        try {
            doc = DidDocument.parse(body, did);
        } catch (ProblemException e) {
            throw new ProblemException(ProblemType.INVALID_DID_DOCUMENT,
                    "document for " + did + ": " + e.problem().detail());
        }
        JsonNode root = JsonCodec.parse(body);
        JsonNode vms = root.path("verificationMethod");
        for (int i = 0; i < vms.size(); i++) {
            requireAbsolute(did, vms.get(i).path("id"), "/verificationMethod/" + i + "/id");
        }
        for (Relationship r : Relationship.values()) {
            JsonNode list = root.path(r.property());
            for (int i = 0; i < list.size(); i++) {
                JsonNode item = list.get(i);
                requireAbsolute(did, item.isObject() ? item.path("id") : item, "/" + r.property() + "/" + i);
            }
        }
        return doc;
    }

    private static void requireAbsolute(Did did, JsonNode id, String pointer) {
        if (id.isTextual() && !id.asText().startsWith("did:")) {
            throw new ProblemException(dev.tabard.problem.Problem.at(ProblemType.INVALID_DID_DOCUMENT, pointer,
                    "document for " + did + " uses the relative DID URL '" + id.asText() + "'; did:web requires absolute ones"));
        }
    }

    /** Single-use. */
    public static final class Builder {
        private SafeFetcher fetcher;
        private ResolutionCache cache = ResolutionCache.defaults();
        private ResolutionBundle bundle;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        public Builder fetcher(SafeFetcher fetcher) {
            this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
            return this;
        }

        public Builder cache(ResolutionCache cache) {
            this.cache = Objects.requireNonNull(cache, "cache");
            return this;
        }

        /** Documents in {@code bundle} are answered from it, before the cache or the network. */
        public Builder bundle(ResolutionBundle bundle) {
            this.bundle = Objects.requireNonNull(bundle, "bundle");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public WebDidResolver build() {
            return new WebDidResolver(this);
        }
    }
}
