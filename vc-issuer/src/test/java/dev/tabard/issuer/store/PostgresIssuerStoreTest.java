package dev.tabard.issuer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.tabard.issuer.store.StoreFixtures.assertChainIntact;
import static dev.tabard.issuer.store.StoreFixtures.assertOneAtATime;
import static dev.tabard.issuer.store.StoreFixtures.assertUnique;
import static dev.tabard.issuer.store.StoreFixtures.issue;
import static dev.tabard.issuer.store.StoreFixtures.keyAndSign;

import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.testing.PostgresServer;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store contract on a real PostgreSQL server, a fresh database per test, plus what only a shared database has:
 * two instances (two pools, two writers) working on it at once.
 */
class PostgresIssuerStoreTest extends IssuerStoreContract {

    private String url;

    @BeforeEach
    void database() {
        url = PostgresServer.shared().createDatabase();
    }

    @Override
    IssuerStore open(Clock clock) {
        return PostgresIssuerStore.open(new DatabaseSettings(url, PostgresServer.USER, ""), dir.resolve("data"), clock, new SecureRandom());
    }

    @Override
    Connection raw() throws Exception {
        return DriverManager.getConnection(url, PostgresServer.USER, "");
    }

    @Test
    void issue_fromTwoInstancesAtOnce_givesUniqueEntriesAndOneGapFreeChain() throws Exception {
        try (IssuerStore a = open(); IssuerStore b = open()) {
            keyAndSign(a);
            keyAndSign(b);
            List<IssuedCredential> issued = java.util.Collections.synchronizedList(new ArrayList<>());
            ExecutorService pool = Executors.newFixedThreadPool(16);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                IssuerStore s = i % 2 == 0 ? a : b;
                done.add(pool.submit(() -> {
                    go.await();
                    return issued.add(issue(s));
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertUnique(issued);
            assertChainIntact(a, 1000);
            assertEquals(1000, count("SELECT count(DISTINCT credential_id) FROM status_allocations"));
        }
    }

    @Test
    void issue_fromTwoInstancesAcrossAFullList_opensOneNewListPerPurpose() throws Exception {
        try (IssuerStore a = open(); IssuerStore b = open()) {
            keyAndSign(a);
            keyAndSign(b);
            issue(a);
            sql("UPDATE status_lists SET allocated = length - 5");
            List<Callable<IssuedCredential>> calls = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                IssuerStore s = i % 2 == 0 ? a : b;
                calls.add(() -> issue(s));
            }
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<IssuedCredential> issued = new ArrayList<>();
            for (Future<IssuedCredential> f : pool.invokeAll(calls, 120, TimeUnit.SECONDS)) {
                issued.add(f.get());
            }
            pool.shutdown();
            assertUnique(issued);
            assertEquals(4, count("SELECT count(*) FROM status_lists"), "each purpose's new list opened once");
            assertChainIntact(a, 41);
        }
    }

    @Test
    void oneUseTake_ofOneKeyFromTwoInstancesAtOnce_exactlyOneWins() throws Exception {
        OneUseValues.Kind kind = new OneUseValues.Kind("access token", Duration.ofMinutes(5), 200, 1000);
        try (IssuerStore a = open(); IssuerStore b = open()) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            for (int round = 0; round < 50; round++) {
                String key = "token-" + round;
                a.oneUse(kind).put("agent", key, "value-" + round);
                CountDownLatch go = new CountDownLatch(1);
                Future<Optional<String>> fa = pool.submit(() -> {
                    go.await();
                    return a.oneUse(kind).take(key);
                });
                Future<Optional<String>> fb = pool.submit(() -> {
                    go.await();
                    return b.oneUse(kind).take(key);
                });
                go.countDown();
                Optional<String> ra = fa.get(30, TimeUnit.SECONDS);
                Optional<String> rb = fb.get(30, TimeUnit.SECONDS);
                assertEquals(1, (ra.isPresent() ? 1 : 0) + (rb.isPresent() ? 1 : 0), "round " + round + ": " + ra + " / " + rb);
                assertEquals("value-" + round, ra.orElseGet(rb::get));
            }
            pool.shutdown();
        }
    }

    @Test
    void oneUsePut_perOwnerBoundAcrossInstances_isClientLimitExceeded() throws Exception {
        OneUseValues.Kind kind = new OneUseValues.Kind("nonce", Duration.ofMinutes(5), 5, 1000);
        try (IssuerStore a = open(); IssuerStore b = open()) {
            List<Callable<Boolean>> puts = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                IssuerStore s = i % 2 == 0 ? a : b;
                String key = "n" + i;
                puts.add(() -> {
                    try {
                        s.oneUse(kind).put("10.0.0.1", key, "v");
                        return true;
                    } catch (ProblemException e) {
                        assertEquals(ProblemType.CLIENT_LIMIT_EXCEEDED, e.type());
                        return false;
                    }
                });
            }
            ExecutorService pool = Executors.newFixedThreadPool(8);
            int held = 0;
            for (Future<Boolean> f : pool.invokeAll(puts, 60, TimeUnit.SECONDS)) {
                held += f.get() ? 1 : 0;
            }
            pool.shutdown();
            assertEquals(5, held, "the bound holds across instances");
            assertEquals(5, count("SELECT count(*) FROM one_use WHERE owner = '10.0.0.1'"));
            ProblemException e = assertThrows(ProblemException.class, () -> b.oneUse(kind).put("10.0.0.1", "late", "v"));
            assertEquals(ProblemType.CLIENT_LIMIT_EXCEEDED, e.type());
        }
    }

    @Test
    void bootstrapping_acrossTwoInstances_runsOneAtATime() throws Exception {
        try (IssuerStore a = open(); IssuerStore b = open()) {
            assertOneAtATime(a, b);
        }
    }

    @Test
    void open_withAnotherAdminTokenKey_refusesNamingTheFileToCopy() throws Exception {
        open().close();
        Files.write(dir.resolve("data").resolve(AdminTokenKey.FILE_NAME), new byte[32]);
        IllegalStateException e = assertThrows(IllegalStateException.class, this::open);
        assertTrue(e.getMessage().contains("copy " + AdminTokenKey.FILE_NAME), e.getMessage());
        Files.delete(dir.resolve("data").resolve(AdminTokenKey.FILE_NAME));
        e = assertThrows(IllegalStateException.class, this::open);
        assertTrue(e.getMessage().contains("is missing") && e.getMessage().contains("copy " + AdminTokenKey.FILE_NAME), e.getMessage());
    }

    @Test
    void databaseSettings_hidesThePasswordAndRejectsOtherUrls() {
        DatabaseSettings s = new DatabaseSettings("jdbc:postgresql://db:5432/issuer?password=p1", "issuer", "p2");
        assertTrue(!s.toString().contains("p1") && !s.toString().contains("p2"), s.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DatabaseSettings("jdbc:mysql://db/issuer", "issuer", "p"));
        assertTrue(e.getMessage().contains("jdbc:postgresql://host[:port]/database"), e.getMessage());
    }
}
