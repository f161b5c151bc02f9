package dev.tabard.didweb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.DidDocumentBuilder;
import dev.tabard.did.Relationship;
import dev.tabard.did.ResolutionResult;
import dev.tabard.did.VerificationMethod;
import dev.tabard.fetch.SafeFetcher;
import dev.tabard.fetch.TestHttpsServer;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.testing.ManualClock;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebDidResolverTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private TestHttpsServer server;
    private Did root;
    private Did path;
    private final KeyPair key = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T00:00:00Z"));


    private String document(Did did) {
        VerificationMethod vm = new VerificationMethod(did.withFragment("key-1"), did, key.publicKey(), VerificationMethod.MULTIKEY);
        return new String(DidDocumentBuilder.forDid(did).method(vm, Relationship.ASSERTION_METHOD).toJson(), StandardCharsets.UTF_8);
    }

    @BeforeEach
    void start() throws IOException {
        server = new TestHttpsServer();
        root = Did.parse("did:web:localhost%3A" + server.port());
        path = Did.parse("did:web:localhost%3A" + server.port() + ":orgs:acme");
        server.handle("/.well-known/did.json", ex -> {
            ex.getResponseHeaders().set("Cache-Control", "max-age=300");
            ex.getResponseHeaders().set("ETag", "\"v1\"");
            if ("\"v1\"".equals(ex.getRequestHeaders().getFirst("If-None-Match"))) {
                TestHttpsServer.send(ex, 304, null, "");
            } else {
                TestHttpsServer.send(ex, 200, "application/did+json", document(root));
            }
        });
        server.json("/orgs/acme/did.json", document(path));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private WebDidResolver resolver() {
        return WebDidResolver.builder().fetcher(new SafeFetcher(server.policy().build())).clock(clock).build();
    }

    private ProblemType fails(WebDidResolver r, Did did) {
        return assertThrows(ProblemException.class, () -> r.resolve(did)).type();
    }

    @Test
    void resolvesRootAndPathDidsOverHttps() {
        WebDidResolver r = resolver();
        ResolutionResult res = r.resolve(root);
        assertEquals(ResolutionResult.Source.NETWORK, res.metadata().source());
        assertEquals(key.publicKey(), res.document().authorize(root.withFragment("key-1"), Relationship.ASSERTION_METHOD).key());
        assertEquals(path, r.resolve(path).document().id());
    }

    @Test
    void cacheHonoursMaxAgeAndRevalidatesWithEtag() {
        WebDidResolver r = resolver();
        r.resolve(root);
        assertEquals(ResolutionResult.Source.CACHE, r.resolve(root).metadata().source());
        assertEquals(1, server.requests.get());
        clock.advance(Duration.ofSeconds(301));
        assertEquals(ResolutionResult.Source.CACHE, r.resolve(root).metadata().source());
        assertEquals(2, server.requests.get()); // a conditional request answered 304
        ResolutionCache.Stats s = r.cache().stats();
        assertEquals(1, s.hits());
        assertEquals(1, s.misses());
        assertEquals(1, s.revalidated());
    }

    @Test
    void staleEntryIsServedWithinTheBoundWhenTheOriginFails() {
        WebDidResolver r = resolver();
        r.resolve(path);
        server.close();
        clock.advance(Duration.ofMinutes(2)); // past the 1-minute floor, within stale-if-error
        assertEquals(ResolutionResult.Source.CACHE, r.resolve(path).metadata().source());
        assertEquals(1, r.cache().stats().staleServed());
        clock.advance(Duration.ofHours(2));
        assertEquals(ProblemType.FETCH_FAILED, fails(r, path));
    }

    @Test
    @org.junit.jupiter.api.Timeout(30)
    void concurrentResolutionsShareOneRequest() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch arrived = new CountDownLatch(1);
        Did slow = Did.parse("did:web:localhost%3A" + server.port() + ":slow");
        server.handle("/slow/did.json", ex -> {
            arrived.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            TestHttpsServer.send(ex, 200, "application/json", document(slow));
        });
        WebDidResolver r = resolver();
        List<Thread> threads = new ArrayList<>();
        List<ResolutionResult> results = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 8; i++) {
            threads.add(new Thread(() -> results.add(r.resolve(slow))));
        }
        threads.forEach(Thread::start);
        // one resolution is at the server; release it only once the seven others are parked waiting on it
        assertTrue(arrived.await(10, java.util.concurrent.TimeUnit.SECONDS), "one resolution reached the server");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (threads.stream().filter(t -> t.getState() == Thread.State.WAITING).count() < 7) {
            assertTrue(System.nanoTime() < deadline, "seven resolutions parked on the shared request within 10 s");
            Thread.onSpinWait();
        }
        release.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(8, results.size());
        results.forEach(res -> assertEquals(slow, res.document().id()));
        assertEquals(1, server.requests.get());
    }

    @Test
    void badDocumentsAreResolutionErrors() {
        Did wrongId = Did.parse("did:web:localhost%3A" + server.port() + ":wrong");
        server.json("/wrong/did.json", document(root));
        Did broken = Did.parse("did:web:localhost%3A" + server.port() + ":broken");
        server.json("/broken/did.json", "{\"id\": ");
        Did dup = Did.parse("did:web:localhost%3A" + server.port() + ":dup");
        server.json("/dup/did.json", "{\"id\":\"" + dup + "\",\"id\":\"" + dup + "\"}");
        Did relative = Did.parse("did:web:localhost%3A" + server.port() + ":relative");
        server.json("/relative/did.json", document(relative).replace("\"" + relative + "#key-1\"", "\"#key-1\""));
        Did gone = Did.parse("did:web:localhost%3A" + server.port() + ":gone");
        WebDidResolver r = resolver();
        assertEquals(ProblemType.INVALID_DID_DOCUMENT, fails(r, wrongId));
        assertEquals(ProblemType.INVALID_DID_DOCUMENT, fails(r, broken));
        assertEquals(ProblemType.INVALID_DID_DOCUMENT, fails(r, dup));
        ProblemException e = assertThrows(ProblemException.class, () -> r.resolve(relative));
        assertEquals(ProblemType.INVALID_DID_DOCUMENT, e.type());
        assertTrue(e.problem().detail().contains("relative"), e.getMessage());
        assertEquals(ProblemType.NOT_FOUND, fails(r, gone));
        assertEquals(ProblemType.INVALID_DID, fails(r, Did.parse("did:web:localhost%3A" + server.port() + ":..")));
    }

    @Test
    void cacheIsBoundedLeastRecentlyUsedFirst() {
        ResolutionCache cache = new ResolutionCache(2, Duration.ofMinutes(1), Duration.ofHours(1), Duration.ZERO);
        dev.tabard.crypto.Bytes doc = dev.tabard.crypto.Bytes.copyFrom(new byte[] {1});
        Did a = Did.parse("did:web:a.example");
        Did b = Did.parse("did:web:b.example");
        Did c = Did.parse("did:web:c.example");
        cache.put(a, doc, java.util.Optional.empty(), clock.instant(), java.util.Optional.empty());
        cache.put(b, doc, java.util.Optional.empty(), clock.instant(), java.util.Optional.of(Duration.ofDays(30)));
        cache.get(a);
        cache.put(c, doc, java.util.Optional.empty(), clock.instant(), java.util.Optional.of(Duration.ZERO));
        assertEquals(2, cache.size());
        assertTrue(cache.get(b).isEmpty());
        assertEquals(clock.instant().plus(Duration.ofMinutes(1)), cache.get(c).orElseThrow().expires()); // clamped up
        assertEquals(clock.instant().plus(Duration.ofMinutes(1)), cache.get(a).orElseThrow().expires());
    }

    @Test
    void defaultPolicyRefusesLoopback() {
        WebDidResolver r = WebDidResolver.builder().fetcher(new SafeFetcher(dev.tabard.fetch.FetchPolicy.defaults())).build();
        assertEquals(ProblemType.FETCH_REFUSED, fails(r, root));
        assertEquals(0, server.requests.get());
    }

    @Test
    void bundleRoundTripResolvesWithNoNetwork(@TempDir Path dir) {
        WebDidResolver online = resolver();
        online.resolve(root);
        online.resolve(path);
        Path file = dir.resolve("bundle.json");
        ResolutionBundle.builder(clock.instant())
                .documents(online.cache())
                .resource(URI.create(server.origin() + "/status/1"), "application/vc+jwt", "eyJ...".getBytes())
                .signedBy(key, root.withFragment("key-1").toString())
                .writeTo(file);
        int before = server.requests.get();
        ResolutionBundle bundle = ResolutionBundle.read(file).verifySignature(key.publicKey());
        assertEquals(3, bundle.size());
        assertTrue(bundle.resource(URI.create(server.origin() + "/status/1")).isPresent());
        SafeFetcher counting = new SafeFetcher(server.policy().build());
        WebDidResolver offline = WebDidResolver.builder().fetcher(counting).bundle(bundle).build();
        assertEquals(ResolutionResult.Source.BUNDLE, offline.resolve(root).metadata().source());
        assertEquals(ResolutionResult.Source.BUNDLE, offline.resolve(path).metadata().source());
        WebDidResolver airGapped = WebDidResolver.offline(bundle);
        assertEquals(root, airGapped.resolve(root).document().id());
        assertEquals(ProblemType.NOT_FOUND, fails(airGapped, Did.parse("did:web:example.com")));
        assertEquals(0, counting.connections());
        assertEquals(before, server.requests.get());
    }

    @Test
    void tamperedOrForeignSignedBundlesAreRefused(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bundle.json");
        ResolutionBundle.builder(clock.instant()).document(root, document(root).getBytes(StandardCharsets.UTF_8))
                .signedBy(key, "k").writeTo(file);
        String json = Files.readString(file);
        String tampered = json.replaceFirst("\"content\":\"e", "\"content\":\"f");
        assertEquals(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR,
                assertThrows(ProblemException.class, () -> ResolutionBundle.read(tampered.getBytes())).type());
        ResolutionBundle ok = ResolutionBundle.read(file);
        KeyPair other = KeyPair.generate(KeyType.ED25519, RANDOM);
        assertEquals(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR,
                assertThrows(ProblemException.class, () -> ok.verifySignature(other.publicKey())).type());
        ResolutionBundle unsigned = ResolutionBundle.builder(clock.instant()).build();
        assertEquals(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR,
                assertThrows(ProblemException.class, () -> unsigned.verifySignature(key.publicKey())).type());
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR,
                assertThrows(ProblemException.class, () -> ResolutionBundle.read("{\"format\":\"x\"}".getBytes())).type());
    }
}
