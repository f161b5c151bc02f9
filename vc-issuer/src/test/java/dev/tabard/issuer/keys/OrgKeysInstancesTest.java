package dev.tabard.issuer.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.key.KeyDids;
import dev.tabard.issuer.IssuanceFormat;
import dev.tabard.issuer.IssuerConfig;
import dev.tabard.issuer.IssuerService;
import dev.tabard.issuer.Issuers;
import dev.tabard.issuer.agents.Agent;
import dev.tabard.issuer.store.SqliteIssuerStore;
import dev.tabard.testing.ManualClock;
import dev.tabard.vc.AgentClaims;
import dev.tabard.vc.jose.CompactJws;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two issuer instances on one store, each with its own view of the keys as two processes on one PostgreSQL database
 * have (the SQLite store is for one process, so the instances share its store object here). A rotation made at one
 * reaches the other's signatures within {@link KeyRing#REFRESH}, with keys it never saw made.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OrgKeysInstancesTest {

    private static final char[] SECRET = "instances secret".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dir;

    private IssuerConfig config() {
        return new IssuerConfig(dir, URI.create("https://issuer.acme.example"), "web", "ACME", SECRET, Duration.ofHours(1),
                Optional.empty(), 8443);
    }

    private SqliteIssuerStore openStore(Clock clock) {
        return SqliteIssuerStore.open(dir.resolve("issuer.db"), clock, RANDOM);
    }

    private static Did register(IssuerService service) {
        Did agent = KeyDids.of(dev.tabard.crypto.KeyPair.generate(KeyType.ED25519, RANDOM).publicKey());
        service.agents().put(new Agent(agent, "buyer", new AgentClaims.Operator("ops", Optional.empty()), Set.of("orders:read"),
                new AgentClaims.Constraints(Optional.empty(), List.of(), "{}"), new AgentClaims.Delegation(false, 0), true,
                Instant.now(), Instant.now()), "test");
        return agent;
    }

    private static String kidOfIssued(IssuerService service, Did agent) {
        return CompactJws.parse(service.issuer().issue(agent, IssuanceFormat.VC_JWT, "test").vcJwt()).kid().orElseThrow();
    }

    /** Polls {@code value} until it equals {@code expected} or the deadline passes; returns the last value seen. */
    private static <T> T await(Supplier<T> value, T expected, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        T last = value.get();
        while (!last.equals(expected) && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
            last = value.get();
        }
        return last;
    }

    @Test
    void activate_onOneInstance_theOtherSignsWithTheNewKeyWithinASecond() {
        try (SqliteIssuerStore store = openStore(Clock.systemUTC())) {
            IssuerService a = Issuers.open(store, config(), Clock.systemUTC(), RANDOM);
            IssuerService b = Issuers.open(store, config(), Clock.systemUTC(), RANDOM);
            assertEquals(a.did(), b.did(), "one organization");
            Did agent = register(a);
            assertTrue(kidOfIssued(b, agent).endsWith("#key-1"));

            OrgKey next = a.orgKeys().add(KeyType.ED25519, "test");
            a.orgKeys().activate(next.id(), "test");
            assertTrue(kidOfIssued(a, agent).endsWith("#" + next.id()), "the rotating instance signs with the new key at once");

            // B never saw key-2 made: it unseals it from the store on first need
            String seen = await(() -> b.orgKeys().signing(KeyType.ED25519).id(), next.id(), Duration.ofSeconds(5));
            assertEquals(next.id(), seen);
            assertTrue(kidOfIssued(b, agent).endsWith("#" + next.id()), "B signs with the key A made and activated");
            assertTrue(new String(b.orgKeys().didDocument()).contains("#" + next.id()), "B's DID document has the new key");
        }
    }

    @Test
    void retire_onOneInstance_theOtherDropsTheKeyFromItsDocumentAndNeverSignsWithIt() {
        ManualClock clock = new ManualClock(Instant.parse("2026-12-01T10:00:00Z"));
        try (SqliteIssuerStore store = openStore(clock)) {
            IssuerService a = Issuers.open(store, config(), clock, RANDOM);
            IssuerService b = Issuers.open(store, config(), clock, RANDOM);
            Did agent = register(a);
            OrgKey next = a.orgKeys().add(KeyType.ED25519, "test");
            a.orgKeys().activate(next.id(), "test");
            clock.advance(dev.tabard.issuer.ValidityBounds.MAX_LIFETIME.plusSeconds(1));
            assertEquals(List.of("key-1"), a.orgKeys().retireExpired("test"));

            boolean gone = await(() -> !new String(b.orgKeys().didDocument()).contains("#key-1\""), true, Duration.ofSeconds(5));
            assertTrue(gone, "key-1 leaves B's document");
            assertEquals(next.id(), kidOfIssued(b, agent).replaceAll(".*#", ""));
            OrgKey retired = b.orgKeys().all().stream().filter(k -> k.id().equals("key-1")).findFirst().orElseThrow();
            assertThrows(IllegalStateException.class, () -> new KeyRing(store, clock, RANDOM, SECRET,
                    dev.tabard.crypto.KeySealer.create(SECRET, RANDOM)).pair(retired), "a retired key is never unsealed to sign");
            assertFalse(b.orgKeys().published("key-1"));
        }
    }

    @Test
    void open_twoInstancesAtOnceOnAnEmptyStore_makeOneOrganization() throws Exception {
        try (SqliteIssuerStore store = openStore(Clock.systemUTC())) {
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Callable<IssuerService> open = () -> {
                    go.await();
                    return Issuers.open(store, config(), Clock.systemUTC(), RANDOM);
                };
                List<Future<IssuerService>> started = new ArrayList<>(List.of(pool.submit(open), pool.submit(open)));
                go.countDown();
                IssuerService first = started.get(0).get(60, TimeUnit.SECONDS);
                IssuerService second = started.get(1).get(60, TimeUnit.SECONDS);
                assertEquals(first.did(), second.did());
                assertEquals(1, store.keys().size(), "one Ed25519 key, not one per instance: " + store.keys());
                assertNotEquals(first.firstAdminToken().isPresent(), second.firstAdminToken().isPresent(),
                        "exactly one instance made (and shows) the first admin token");
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
