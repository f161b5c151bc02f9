package dev.tabard.verifier.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.DidResolver;
import dev.tabard.did.DidResolvers;
import dev.tabard.did.key.KeyDidResolver;
import dev.tabard.did.key.KeyDids;
import dev.tabard.didweb.ResolutionBundle;
import dev.tabard.fetch.SafeFetcher;
import dev.tabard.fetch.TestHttpsServer;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.sdjwt.status.StatusList;
import dev.tabard.sdjwt.status.StatusListToken;
import dev.tabard.sdjwt.status.TokenStatus;
import dev.tabard.testing.ManualClock;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link TokenStatusLists} against a real HTTPS server on 127.0.0.1 (a certificate made for the test) and real
 * bundles: lists read from a bundle with no network and verified like fetched ones, one fetch for concurrent misses,
 * a bounded number of fetches per host, and eviction that keeps the lists in use. Lists under {@code /held/} are
 * answered only once the test opens {@link #gate}.
 */
@Timeout(60)
class TokenStatusListsTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long PROMPTLY_SECONDS = 10;

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final ManualClock clock = new ManualClock(now);
    private final KeyPair orgKey = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final Did org = KeyDids.of(orgKey.publicKey());
    private final String kid = KeyDids.methodId(orgKey.publicKey()).toString();
    private final DidResolver resolver = DidResolvers.of(new KeyDidResolver());
    private final Map<String, String> served = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final CountDownLatch gate = new CountDownLatch(1);
    private final ExecutorService pool = Executors.newFixedThreadPool(16);
    private TestHttpsServer server;

    @BeforeEach
    void start() throws IOException {
        server = new TestHttpsServer();
        server.handle("/", ex -> {
            String path = ex.getRequestURI().getPath();
            hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            if (path.startsWith("/held/")) {
                try {
                    gate.await(PROMPTLY_SECONDS * 3, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            String body = served.get(path);
            TestHttpsServer.send(ex, body == null ? 404 : 200, StatusListToken.MEDIA_TYPE, body == null ? "" : body);
        });
    }

    @AfterEach
    void stop() {
        gate.countDown();
        pool.shutdownNow();
        server.close();
    }

    private URI at(String path) {
        return URI.create(server.origin() + path);
    }

    private String token(URI uri, StatusList list, Optional<Duration> ttl) {
        return new StatusListToken(uri, now.minusSeconds(30), Optional.of(now.plus(Duration.ofHours(1))), ttl, list)
                .sign(orgKey, kid, org.toString());
    }

    /** Serves a fresh list with {@code ttl} at {@code path} and returns its URI. */
    private URI publish(String path, Optional<Duration> ttl) {
        URI uri = at(path);
        served.put(path, token(uri, StatusList.of(1, 1024), ttl));
        return uri;
    }

    private int hits(String path) {
        AtomicInteger n = hits.get(path);
        return n == null ? 0 : n.get();
    }

    private SafeFetcher fetcher() {
        return new SafeFetcher(server.policy().allowHost("127.0.0.1").build());
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PROMPTLY_SECONDS);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    private static ProblemType refused(Runnable r) {
        return assertThrows(ProblemException.class, r::run).type();
    }

    // --- the bundle ---

    @Test
    void bundledList_offline_verifiesWithNoNetwork() {
        URI uri = at("/status/1");
        ResolutionBundle bundle = ResolutionBundle.builder(now)
                .resource(uri, StatusListToken.MEDIA_TYPE, token(uri, StatusList.of(1, 1024).with(7, 1), Optional.empty())
                        .getBytes(StandardCharsets.US_ASCII)).build();
        TokenStatusLists lists = TokenStatusLists.builder(resolver, clock).bundle(bundle).build();

        StatusListToken t = lists.get(uri, org, Duration.ZERO);
        assertEquals(TokenStatus.INVALID, t.status(7));
        assertEquals(TokenStatus.VALID, t.status(8));
        assertSame(t, lists.get(uri, org, Duration.ZERO), "kept, not verified again");
        assertEquals(ProblemType.STATUS_RETRIEVAL_ERROR, refused(() -> lists.get(at("/status/2"), org, Duration.ZERO)),
                "a list not in the bundle, and no network");
    }

    @Test
    void bundledList_isReadBeforeTheNetwork() {
        URI uri = publish("/status/1", Optional.empty());
        ResolutionBundle bundle = ResolutionBundle.builder(now)
                .resource(uri, StatusListToken.MEDIA_TYPE, served.get("/status/1").getBytes(StandardCharsets.US_ASCII)).build();
        TokenStatusLists lists = TokenStatusLists.builder(resolver, clock).fetcher(fetcher()).bundle(bundle).build();

        lists.get(uri, org, Duration.ZERO);
        assertEquals(0, server.requests.get(), "the bundle answered");
        lists.get(publish("/status/2", Optional.empty()), org, Duration.ZERO);
        assertEquals(1, hits("/status/2"), "a list not in the bundle is fetched");
    }

    @Test
    void expiredList_refusedAlikeFromBundleOrNetwork() {
        URI uri = at("/status/old");
        String expired = new StatusListToken(uri, now.minus(Duration.ofHours(2)), Optional.of(now.minusSeconds(10)), Optional.empty(),
                StatusList.of(1, 1024)).sign(orgKey, kid, org.toString());
        served.put("/status/old", expired);
        ResolutionBundle bundle = ResolutionBundle.builder(now)
                .resource(uri, StatusListToken.MEDIA_TYPE, expired.getBytes(StandardCharsets.US_ASCII)).build();

        ProblemType bundled = refused(() -> TokenStatusLists.builder(resolver, clock).bundle(bundle).build().get(uri, org, Duration.ZERO));
        ProblemType fetched = refused(() -> TokenStatusLists.over(fetcher(), resolver, clock, Duration.ofMinutes(5)).get(uri, org, Duration.ZERO));
        assertEquals(ProblemType.STATUS_VERIFICATION_ERROR, bundled);
        assertEquals(fetched, bundled);
        assertEquals(1, hits("/status/old"));
    }

    @Test
    void bundledList_forAnotherUriOrSignedByAnother_refused() {
        URI uri = at("/status/1");
        KeyPair other = KeyPair.generate(KeyType.ED25519, RANDOM);
        ResolutionBundle bundle = ResolutionBundle.builder(now)
                .resource(uri, StatusListToken.MEDIA_TYPE, token(at("/status/2"), StatusList.of(1, 1024), Optional.empty())
                        .getBytes(StandardCharsets.US_ASCII))
                .resource(at("/status/3"), StatusListToken.MEDIA_TYPE, new StatusListToken(at("/status/3"), now, Optional.empty(),
                        Optional.empty(), StatusList.of(1, 1024)).sign(other, KeyDids.methodId(other.publicKey()).toString())
                        .getBytes(StandardCharsets.US_ASCII))
                .build();
        TokenStatusLists lists = TokenStatusLists.builder(resolver, clock).bundle(bundle).build();
        assertEquals(ProblemType.STATUS_VERIFICATION_ERROR, refused(() -> lists.get(uri, org, Duration.ZERO)), "sub is another list");
        assertEquals(ProblemType.STATUS_VERIFICATION_ERROR, refused(() -> lists.get(at("/status/3"), org, Duration.ZERO)),
                "signed by a key the issuer does not list");
        assertEquals(0, lists.size(), "nothing refused is kept");
    }

    // --- one fetch per list, few per host ---

    @Test
    void concurrentMisses_forOneList_makeOneFetch() throws Exception {
        URI uri = publish("/held/1", Optional.empty());
        TokenStatusLists lists = TokenStatusLists.over(fetcher(), resolver, clock, Duration.ofMinutes(5));
        int n = 8;
        List<Future<StatusListToken>> gets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            gets.add(pool.submit(() -> lists.get(uri, org, Duration.ZERO)));
        }
        await(() -> hits("/held/1") == 1 && lists.waiting(uri, org) == n - 1, "one fetch is held and the others wait for it");
        gate.countDown();
        StatusListToken first = gets.get(0).get(PROMPTLY_SECONDS, TimeUnit.SECONDS);
        for (Future<StatusListToken> g : gets) {
            assertSame(first, g.get(PROMPTLY_SECONDS, TimeUnit.SECONDS));
        }
        assertEquals(1, hits("/held/1"), n + " concurrent verifications, one request");
        assertEquals(0, lists.waiting(uri, org));
    }

    @Test
    void concurrentMisses_whenTheFetchFails_allGetItsProblem() throws Exception {
        URI uri = at("/held/missing");
        TokenStatusLists lists = TokenStatusLists.over(fetcher(), resolver, clock, Duration.ofMinutes(5));
        List<Future<?>> gets = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            gets.add(pool.submit(() -> lists.get(uri, org, Duration.ZERO)));
        }
        await(() -> hits("/held/missing") == 1 && lists.waiting(uri, org) == 3, "one fetch is held and the others wait for it");
        gate.countDown();
        for (Future<?> g : gets) {
            ProblemException e = (ProblemException) assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> g.get(PROMPTLY_SECONDS, TimeUnit.SECONDS)).getCause();
            assertEquals(ProblemType.STATUS_RETRIEVAL_ERROR, e.type());
            assertTrue(e.problem().detail().contains("404"), e.problem().detail());
        }
        assertEquals(1, hits("/held/missing"));
    }

    @Test
    void oneHost_getsABoundedNumberOfFetches_andOtherHostsAreServed() throws Exception {
        TokenStatusLists lists = TokenStatusLists.over(fetcher(), resolver, clock, Duration.ofMinutes(5));
        int slots = StatusListCache.MAX_FETCHES_PER_HOST;
        List<Future<StatusListToken>> held = new ArrayList<>();
        for (int i = 0; i < slots; i++) {
            URI uri = publish("/held/" + i, Optional.empty());
            held.add(pool.submit(() -> lists.get(uri, org, Duration.ZERO)));
        }
        await(() -> server.requests.get() == slots, "every slot of the host is held");

        URI over = publish("/held/over", Optional.empty());
        ProblemException e = assertThrows(ProblemException.class, () -> lists.get(over, org, Duration.ZERO));
        assertEquals(ProblemType.STATUS_RETRIEVAL_ERROR, e.type());
        assertTrue(e.problem().detail().contains("in flight"), e.problem().detail());
        assertEquals(0, hits("/held/over"), "the fetch over the bound never reached the host");

        // the same server named by its address is another host for the slots, and is served at once
        URI elsewhere = URI.create("https://127.0.0.1:" + server.port() + "/status/other");
        served.put("/status/other", token(elsewhere, StatusList.of(1, 1024), Optional.empty()));
        assertEquals(TokenStatus.VALID, lists.get(elsewhere, org, Duration.ZERO).status(0));
        for (Future<StatusListToken> f : held) {
            assertFalse(f.isDone(), "the held fetches are still waiting on their host");
        }

        gate.countDown();
        for (Future<StatusListToken> f : held) {
            assertEquals(TokenStatus.VALID, f.get(PROMPTLY_SECONDS, TimeUnit.SECONDS).status(0));
        }
        assertEquals(TokenStatus.VALID, lists.get(over, org, Duration.ZERO).status(0), "slots are free again");
    }

    // --- bounded memory ---

    @Test
    void full_evictsTheLeastRecentlyUsed_andKeepsTheListsInUse() {
        TokenStatusLists lists = TokenStatusLists.builder(resolver, clock).fetcher(fetcher()).maxAge(Duration.ofHours(1))
                .capacity(3).build();
        URI a = publish("/status/a", Optional.empty());
        URI b = publish("/status/b", Optional.empty());
        URI c = publish("/status/c", Optional.empty());
        lists.get(a, org, Duration.ZERO);
        lists.get(b, org, Duration.ZERO);
        lists.get(c, org, Duration.ZERO);
        lists.get(a, org, Duration.ZERO);
        lists.get(publish("/status/d", Optional.empty()), org, Duration.ZERO);

        assertEquals(3, lists.size());
        lists.get(a, org, Duration.ZERO);
        lists.get(c, org, Duration.ZERO);
        assertEquals(List.of(1, 1, 1), List.of(hits("/status/a"), hits("/status/c"), hits("/status/d")), "recent lists kept");
        lists.get(b, org, Duration.ZERO);
        assertEquals(2, hits("/status/b"), "the least recently used list was the one dropped");
    }

    @Test
    void full_evictsExpiredListsBeforeFreshOnes() {
        TokenStatusLists lists = TokenStatusLists.builder(resolver, clock).fetcher(fetcher()).maxAge(Duration.ofHours(1))
                .capacity(3).build();
        URI a = publish("/status/a", Optional.empty());
        URI b = publish("/status/b", Optional.empty());
        URI shortLived = publish("/status/short", Optional.of(Duration.ofSeconds(10)));
        lists.get(a, org, Duration.ZERO);
        lists.get(b, org, Duration.ZERO);
        lists.get(shortLived, org, Duration.ZERO);
        clock.advance(Duration.ofSeconds(20));
        lists.get(publish("/status/d", Optional.empty()), org, Duration.ZERO);

        lists.get(a, org, Duration.ZERO);
        lists.get(b, org, Duration.ZERO);
        assertEquals(List.of(1, 1), List.of(hits("/status/a"), hits("/status/b")),
                "the expired list went, not the least recently used fresh one");
        assertEquals(3, lists.size());
    }

    @Test
    void manyLists_stayWithinMaxEntries() {
        ResolutionBundle.Builder bundle = ResolutionBundle.builder(now);
        List<URI> uris = new ArrayList<>();
        for (int i = 0; i <= TokenStatusLists.MAX_ENTRIES; i++) {
            URI uri = URI.create("https://lists.example/status/" + i);
            uris.add(uri);
            bundle.resource(uri, StatusListToken.MEDIA_TYPE, token(uri, StatusList.of(1, 16), Optional.empty())
                    .getBytes(StandardCharsets.US_ASCII));
        }
        TokenStatusLists lists = TokenStatusLists.builder(resolver, clock).bundle(bundle.build()).build();
        for (URI uri : uris) {
            lists.get(uri, org, Duration.ZERO);
        }
        assertEquals(TokenStatusLists.MAX_ENTRIES, lists.size(), "full, not emptied");
    }
}
