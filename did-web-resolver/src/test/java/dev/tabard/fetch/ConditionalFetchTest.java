package dev.tabard.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.crypto.Bytes;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What a client cache needs from the fetcher: a conditional GET carries {@code If-None-Match}, a {@code 304} comes back
 * as such with its {@code ETag} and {@code Cache-Control}, and the directives and entity-tags a server sends are read
 * strictly (a directive that cannot be read makes the response stale; an entity-tag that is not one is not kept).
 */
@Timeout(30)
class ConditionalFetchTest {

    private static final Set<String> JSON = Set.of("application/json");
    private final AtomicInteger fullBodies = new AtomicInteger();
    private final AtomicInteger notModified = new AtomicInteger();
    private TestHttpsServer server;

    @BeforeEach
    void start() throws IOException {
        server = new TestHttpsServer();
        server.handle("/doc", ex -> {
            ex.getResponseHeaders().set("ETag", "\"v7\"");
            ex.getResponseHeaders().add("Cache-Control", "public");
            ex.getResponseHeaders().add("Cache-Control", "max-age=120");
            if ("\"v7\"".equals(ex.getRequestHeaders().getFirst("If-None-Match"))) {
                notModified.incrementAndGet();
                TestHttpsServer.send(ex, 304, null, "");
            } else {
                fullBodies.incrementAndGet();
                TestHttpsServer.send(ex, 200, "application/json", "{\"v\":7}");
            }
        });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void get_withIfNoneMatch_returns304WithEtagAndCacheControl() {
        SafeFetcher f = new SafeFetcher(server.policy().build());
        URI doc = URI.create(server.origin() + "/doc");
        FetchedResource first = f.get(doc, JSON);
        assertEquals(200, first.status());
        assertEquals(Optional.of("\"v7\""), first.etag());

        FetchedResource again = f.get(doc, JSON, Map.of("If-None-Match", first.etag().get()));
        assertEquals(304, again.status());
        assertEquals(0, again.body().size());
        assertEquals(Optional.of("\"v7\""), again.etag());
        CacheControl cc = again.cacheControl().orElseThrow();
        assertEquals(Optional.of(Duration.ofSeconds(120)), cc.maxAge(), "both field lines are read");
        assertFalse(cc.noStore() || cc.noCache());
        assertEquals(1, fullBodies.get());
        assertEquals(1, notModified.get());
    }

    @ParameterizedTest(name = "[{0}] -> noStore={1} noCache={2} maxAge={3}")
    @CsvSource(delimiter = '|', value = {
        "public, max-age=300|false|false|300",
        "MAX-AGE=60|false|false|60",
        "max-age=\"45\"|false|false|45",
        "max-age=60, max-age=600|false|false|0",
        "max-age=-5|false|false|0",
        "max-age=1e3|false|false|0",
        "max-age|false|false|0",
        "max-age=99999999999999999999|false|false|0",
        "max-age=9999999999|false|false|2147483648",
        "no-store|true|false|-1",
        "no-cache, max-age=60|false|true|60",
        "private, s-maxage=10|false|false|-1",
    })
    void parse_readsTheDirectivesAClientActsOn(String value, boolean noStore, boolean noCache, long maxAge) {
        CacheControl cc = CacheControl.parse(value);
        assertEquals(noStore, cc.noStore());
        assertEquals(noCache, cc.noCache());
        assertEquals(maxAge < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(maxAge)), cc.maxAge());
    }

    @Test
    void freshness_noCacheAnywhereInTheHeaderIsZero() {
        assertEquals(Optional.of(Duration.ZERO), response(Map.of("cache-control", List.of("max-age=60, no-cache")))
                .freshness(Instant.EPOCH));
        assertEquals(Optional.of(Duration.ofSeconds(60)), response(Map.of("cache-control", List.of("max-age=60")))
                .freshness(Instant.EPOCH));
        assertEquals(Optional.empty(), response(Map.of()).cacheControl());
    }

    @ParameterizedTest(name = "[{0}] kept: {1}")
    @CsvSource(delimiter = '|', value = {
        "\"abc\"|true",
        "W/\"abc\"|true",
        "\"\"|true",
        "abc|false",
        "\"a\"b\"|false",
        "\"a b\"|false",
        "\"a\rb\"|false",
        "\"caf\u00e9\"|false",
        "W/abc|false",
    })
    void etag_onlyWellFormedEntityTagsAreKept(String raw, boolean kept) {
        assertEquals(kept, response(Map.of("etag", List.of(raw))).etag().isPresent());
    }

    @Test
    void etag_longerThanTheCapIsNotKept() {
        String longest = "\"" + "a".repeat(FetchedResource.MAX_ETAG_LENGTH - 2) + "\"";
        assertTrue(response(Map.of("etag", List.of(longest))).etag().isPresent());
        assertFalse(response(Map.of("etag", List.of("\"a" + longest.substring(1)))).etag().isPresent());
    }

    private static FetchedResource response(Map<String, List<String>> headers) {
        return new FetchedResource(URI.create("https://example.com/x"), 200, headers, Bytes.copyFrom(new byte[0]));
    }
}
