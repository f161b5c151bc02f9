package dev.tabard.verifier.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.DidResolvers;
import dev.tabard.did.key.KeyDidResolver;
import dev.tabard.did.key.KeyDids;
import dev.tabard.fetch.FetchPolicy;
import dev.tabard.fetch.SafeFetcher;
import dev.tabard.fetch.TestHttpsServer;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.testing.ManualClock;
import dev.tabard.vc.AgentClaims;
import dev.tabard.vc.Credential;
import dev.tabard.vc.jose.VcJose;
import dev.tabard.vc.status.Bitstring;
import dev.tabard.vc.status.StatusListCredentials;
import dev.tabard.vc.status.StatusPurpose;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.VerificationResult;
import dev.tabard.verifier.Verifier;
import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The status-list cache over HTTP caching: conditional re-fetches answered {@code 304}, {@code max-age} honoured, and
 * a list near expiry refreshed in the background while verifications keep using it. A real HTTPS server on 127.0.0.1
 * serves a real signed list, counts full bodies and {@code 304}s, and can fail or hold a response until the test
 * releases it. Time moves only through a {@link ManualClock}.
 */
@Timeout(60)
class StatusListRefreshTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long WAIT_SECONDS = 10;
    private static final int REVOKED_INDEX = 7;
    private static final Duration HELD_FETCH_TIMEOUT = Duration.ofSeconds(40);

    private final Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final ManualClock clock = new ManualClock(start);
    private final KeyPair orgKey = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final Did org = KeyDids.of(orgKey.publicKey());
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private ListServer lists;
    private URI listUri;
    private StatusListCache cache;

    /** Serves one status list with an ETag and Cache-Control; counts what it answered; fails or holds on request. */
    private final class ListServer {
        final TestHttpsServer https = new TestHttpsServer();
        final AtomicInteger fullBodies = new AtomicInteger();
        final AtomicInteger notModified = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final List<Optional<String>> ifNoneMatch = new CopyOnWriteArrayList<>();
        final Semaphore arrived = new Semaphore(0);
        volatile String cacheControl = "public, max-age=100";
        volatile String etag = "\"v1\"";
        volatile String token;
        volatile boolean failing;
        volatile CountDownLatch hold;

        ListServer() throws IOException {
            https.handle("/status/1", ex -> {
                String condition = ex.getRequestHeaders().getFirst("If-None-Match");
                ifNoneMatch.add(Optional.ofNullable(condition));
                arrived.release();
                CountDownLatch h = hold;
                if (h != null) {
                    try {
                        h.await(HELD_FETCH_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                if (failing) {
                    failed.incrementAndGet();
                    TestHttpsServer.send(ex, 503, "application/problem+json", "{\"status\":503}");
                    return;
                }
                ex.getResponseHeaders().set("Cache-Control", cacheControl);
                ex.getResponseHeaders().set("ETag", etag);
                if (etag.equals(condition)) {
                    notModified.incrementAndGet();
                    TestHttpsServer.send(ex, 304, null, "");
                } else {
                    fullBodies.incrementAndGet();
                    TestHttpsServer.send(ex, 200, "application/vc+jwt", token);
                }
            });
        }

        /** Publishes a new version of the list, with {@link #REVOKED_INDEX} set or not, under a new ETag. */
        void publish(boolean revoked, String newEtag) {
            Bitstring bits = Bitstring.create(Bitstring.MIN_ENTRIES, 1);
            token = VcJose.secureCredential(StatusListCredentials.credential(listUri, org.toString(), StatusPurpose.REVOCATION,
                    revoked ? bits.with(REVOKED_INDEX, 1) : bits, start.minusSeconds(60), start.plus(Duration.ofHours(2))),
                    orgKey, KeyDids.methodId(orgKey.publicKey()), start);
            etag = newEtag;
        }
    }

    @BeforeEach
    void start() throws IOException {
        lists = new ListServer();
        listUri = URI.create(lists.https.origin() + "/status/1");
        lists.publish(false, "\"v1\"");
        cache = StatusListCache.builder(DidResolvers.of(new KeyDidResolver()), clock)
                .fetcher(new SafeFetcher(lists.https.policy().build())).build();
    }

    @AfterEach
    void stop() {
        CountDownLatch h = lists.hold;
        if (h != null) {
            h.countDown();
        }
        cache.close();
        pool.shutdownNow();
        lists.https.close();
    }

    private Credential list() {
        return cache.get(listUri, org, Duration.ZERO);
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            // a short pause, not a spin: on a small machine a spinning test takes the core the refresh needs
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    @Test
    void expiredList_isRevalidatedWithIfNoneMatch_and304KeepsItWithNewFreshness() {
        Credential first = list();
        clock.advance(Duration.ofSeconds(101));
        Credential again = list();

        assertSame(first, again, "a 304 keeps the list held");
        assertEquals(1, lists.fullBodies.get());
        assertEquals(1, lists.notModified.get());
        assertEquals(List.of(Optional.empty(), Optional.of("\"v1\"")), lists.ifNoneMatch);

        clock.advance(Duration.ofSeconds(79));
        assertSame(first, list());
        assertEquals(2, lists.ifNoneMatch.size(), "fresh for max-age again from the 304, outside its last fifth: no request");
    }

    @Test
    void maxAge_isHonoured_andAChangedListReplacesTheOldOne() {
        lists.cacheControl = "max-age=30";
        Credential first = list();
        clock.advance(Duration.ofSeconds(23));
        assertSame(first, list());
        assertEquals(1, lists.ifNoneMatch.size(), "before the last fifth of max-age=30 nothing is fetched");

        lists.publish(true, "\"v2\"");
        clock.advance(Duration.ofSeconds(7));
        Credential second = list();
        assertEquals(1, StatusListCredentials.check(entry(), second).value(), "expired at max-age: the new list is fetched");
        assertEquals(2, lists.fullBodies.get());
        assertEquals(Optional.of("\"v1\""), lists.ifNoneMatch.get(1), "asked conditionally, answered with the new version");
    }

    @Test
    void noCache_revalidatesOnEveryUse_andNoStoreIsNeverKept() {
        lists.cacheControl = "no-cache";
        list();
        list();
        list();
        assertEquals(1, lists.fullBodies.get());
        assertEquals(2, lists.notModified.get(), "no-cache: kept, but asked about before each use");

        lists.cacheControl = "no-store";
        lists.publish(false, "\"v3\"");
        list();
        list();
        assertEquals(Optional.empty(), lists.ifNoneMatch.get(lists.ifNoneMatch.size() - 1), "no-store: nothing kept to revalidate");
        assertEquals(3, lists.fullBodies.get());
    }

    @Test
    void listNearExpiry_isRefreshedInTheBackground_whileVerificationsCompleteAgainstTheHeldOne() throws Exception {
        // a fetch that waited on the held response could not end by the fetcher's timeout before the test gives up
        FetchPolicy patient = lists.https.policy().totalTimeout(HELD_FETCH_TIMEOUT).build();
        try (Verifier verifier = Verifier.builder().trustPolicy(TrustPolicy.builder().trustIssuer(org).build())
                .fetchPolicy(patient).clock(clock).build()) {
            String credential = credential();
            assertTrue(verifier.verifyCredential(credential).verified(), "cold miss: fetched, then verified");
            assertTrue(lists.arrived.tryAcquire(1, 0, TimeUnit.SECONDS));

            lists.publish(true, "\"v2\"");
            lists.hold = new CountDownLatch(1);
            clock.advance(Duration.ofSeconds(85));
            long began = System.nanoTime();
            assertTrue(pool.submit(() -> verifier.verifyCredential(credential).verified()).get(WAIT_SECONDS, TimeUnit.SECONDS),
                    "in the last fifth: answered from the held list");
            assertTrue(lists.arrived.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS), "the refresh reached the server");

            Future<Integer> meanwhile = pool.submit(() -> {
                int verified = 0;
                for (int i = 0; i < 20; i++) {
                    verified += verifier.verifyCredential(credential).verified() ? 1 : 0;
                }
                return verified;
            });
            assertEquals(20, meanwhile.get(WAIT_SECONDS, TimeUnit.SECONDS), "no verification waited on the held refresh");
            assertEquals(0, lists.arrived.availablePermits(), "one refresh per URL in flight");
            assertEquals(1, lists.fullBodies.get(), "the refresh is still held");

            assertTrue(System.nanoTime() - began < HELD_FETCH_TIMEOUT.toNanos(), "the fetch cannot have timed out");
            lists.hold.countDown();
            await(() -> !verifier.verifyCredential(credential).verified(), "the refreshed list is in use");
            VerificationResult r = verifier.verifyCredential(credential);
            assertEquals(ProblemType.CREDENTIAL_REVOKED, r.errors().get(0).type(), r.errors().toString());
            assertEquals(2, lists.fullBodies.get());
            assertEquals(start.plusSeconds(85), clock.instant(), "all before the first copy expired");
        }
    }

    @Test
    void failedBackgroundRefresh_keepsTheList_retriesWithBackoff_andAfterExpiryTheListIsRefused() {
        Credential held = list();
        lists.failing = true;
        clock.advance(Duration.ofSeconds(85));
        assertSame(held, list());
        await(() -> !cache.refreshing(listUri), "the background refresh ended");
        assertEquals(1, lists.failed.get());
        assertEquals(1, cache.refreshFailures(listUri));

        clock.advance(BackgroundRefresh.FIRST_RETRY.minusSeconds(1));
        assertSame(held, list(), "kept after a failed refresh");
        assertFalse(cache.refreshing(listUri), "waiting out the first retry delay");

        clock.advance(Duration.ofSeconds(1));
        assertSame(held, list());
        await(() -> !cache.refreshing(listUri), "the second refresh ended");
        assertEquals(2, lists.failed.get());
        assertEquals(2, cache.refreshFailures(listUri));

        clock.advance(BackgroundRefresh.FIRST_RETRY);
        assertSame(held, list());
        assertFalse(cache.refreshing(listUri), "the wait doubled after the second failure");
        assertEquals(2, lists.failed.get());

        clock.advance(Duration.ofSeconds(6));
        ProblemException e = assertThrows(ProblemException.class, this::list, "expired and not refreshed: no silent pass");
        assertEquals(ProblemType.STATUS_RETRIEVAL_ERROR, e.type());

        lists.failing = false;
        assertSame(held, list(), "the host is back: a 304 revalidates the same list");
        assertEquals(0, cache.refreshFailures(listUri), "a fetch that worked clears the failures");
    }

    @Test
    void closedCache_stillAnswersButRefreshesNothingInTheBackground() {
        list();
        clock.advance(Duration.ofSeconds(85));
        list();
        await(() -> !cache.refreshing(listUri), "the background refresh ended");
        List<Thread> refreshers = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("tabard-status-refresh-")).toList();
        assertFalse(refreshers.isEmpty(), "the refresh ran on the cache's own thread");
        assertTrue(refreshers.stream().allMatch(Thread::isDaemon), "refresh threads never keep the JVM alive");
        int requests = lists.ifNoneMatch.size();

        cache.close();
        clock.advance(Duration.ofSeconds(85));
        list();
        assertFalse(cache.refreshing(listUri));
        assertEquals(requests, lists.ifNoneMatch.size());
        clock.advance(Duration.ofSeconds(16));
        list();
        assertEquals(requests + 1, lists.ifNoneMatch.size(), "expired: fetched in the foreground as before");
    }

    @Test
    void verifierStatusListMinAge_raisesAMaxAgeOfZero_andMustNotExceedTheMaximum() {
        lists.cacheControl = "max-age=0";
        try (Verifier verifier = Verifier.builder().trustPolicy(TrustPolicy.builder().trustIssuer(org).build())
                .fetchPolicy(lists.https.policy().build()).clock(clock).statusListMinAge(Duration.ofSeconds(30)).build()) {
            String credential = credential();
            assertTrue(verifier.verifyCredential(credential).verified());
            clock.advance(Duration.ofSeconds(20));
            assertTrue(verifier.verifyCredential(credential).verified());
            assertEquals(1, lists.ifNoneMatch.size(), "kept for the minimum although the server said max-age=0");
            clock.advance(Duration.ofSeconds(10));
            assertTrue(verifier.verifyCredential(credential).verified());
            assertEquals(2, lists.ifNoneMatch.size());
        }
        assertThrows(IllegalArgumentException.class, () -> Verifier.builder().trustPolicy(TrustPolicy.builder().trustIssuer(org).build())
                .statusListMaxAge(Duration.ofSeconds(10)).statusListMinAge(Duration.ofSeconds(11)).build());
    }

    @Test
    void cachedList_isNotLentToACredentialOfAnotherIssuer() {
        list();
        Did other = KeyDids.of(KeyPair.generate(KeyType.ED25519, RANDOM).publicKey());
        ProblemException e = assertThrows(ProblemException.class, () -> cache.get(listUri, other, Duration.ZERO));
        assertEquals(ProblemType.STATUS_VERIFICATION_ERROR, e.type());
    }

    private dev.tabard.vc.StatusEntry entry() {
        return Credential.of(credentialJson()).statuses().get(0);
    }

    private com.fasterxml.jackson.databind.node.ObjectNode credentialJson() {
        KeyPair agent = KeyPair.generate(KeyType.ED25519, RANDOM);
        AgentClaims claims = new AgentClaims(KeyDids.of(agent.publicKey()), "agent", org, "ACME Corp",
                new AgentClaims.Operator("Ops", Optional.empty()), Set.of("supplier:lookup"),
                new AgentClaims.Constraints(Optional.empty(), List.of(), "{}"), new AgentClaims.Delegation(false, 0));
        return claims.credential(URI.create("urn:uuid:" + UUID.randomUUID()), start.minusSeconds(60), start.plus(Duration.ofHours(1)),
                List.of(AgentClaims.statusEntry(listUri, "revocation", REVOKED_INDEX)));
    }

    private String credential() {
        return VcJose.secureCredential(credentialJson(), orgKey, KeyDids.methodId(orgKey.publicKey()), start);
    }
}
