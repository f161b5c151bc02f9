package dev.tabard.issuer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.tabard.issuer.store.StoreFixtures.AGENT;
import static dev.tabard.issuer.store.StoreFixtures.assertChainIntact;
import static dev.tabard.issuer.store.StoreFixtures.assertOneAtATime;
import static dev.tabard.issuer.store.StoreFixtures.assertUnique;
import static dev.tabard.issuer.store.StoreFixtures.issue;
import static dev.tabard.issuer.store.StoreFixtures.keyAndSign;

import dev.tabard.audit.AuditEntry;
import dev.tabard.audit.AuditKey;
import dev.tabard.audit.AuditLog;
import dev.tabard.audit.AuditVerdict;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.issuer.agents.Agent;
import dev.tabard.issuer.delegations.RegisteredDelegation;
import dev.tabard.issuer.keys.OrgKey;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.testing.ManualClock;
import dev.tabard.vc.AgentClaims;
import dev.tabard.vc.status.StatusPurpose;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link IssuerStore} does, run against each engine by a subclass that says how to open a store (again) on
 * one database and how to read that database directly.
 */
abstract class IssuerStoreContract {

    @TempDir
    Path dir;

    /** A store on this test's database; each call is another instance on the same database. */
    abstract IssuerStore open(Clock clock);

    /** A plain connection to this test's database. */
    abstract Connection raw() throws Exception;

    IssuerStore open() {
        return open(Clock.systemUTC());
    }

    @Test
    void close_whileIssuing_commitsEveryQueuedIssuanceAndRefusesLaterOnes() throws Exception {
        IssuerStore store = open();
        keyAndSign(store);
        Set<String> stored = ConcurrentHashMap.newKeySet();
        List<Throwable> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean refused = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(200);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            workers.add(pool.submit(() -> {
                while (true) {
                    try {
                        stored.add(issue(store).id());
                        started.countDown();
                    } catch (ProblemException e) {
                        if (e.type() == ProblemType.SERVICE_UNAVAILABLE) {
                            refused.set(true);
                        } else {
                            unexpected.add(e);
                        }
                        return;
                    } catch (RuntimeException e) {
                        unexpected.add(e);
                        return;
                    }
                }
            }));
        }
        assertTrue(started.await(60, TimeUnit.SECONDS));
        store.close(); // issuances are queued and in flight right now
        for (Future<?> w : workers) {
            w.get(20, TimeUnit.SECONDS); // none waits for an answer that never comes
        }
        pool.shutdown();
        assertEquals(List.of(), unexpected);
        assertTrue(refused.get());
        try (IssuerStore reopened = open()) {
            for (String id : stored) {
                assertTrue(reopened.credential(id).isPresent(), "answered but not stored: " + id);
            }
            assertChainIntact(reopened, stored.size()); // one audit entry per stored issuance, none for a refused one
        }
    }

    @Test
    void issue_fromManyThreads_givesUniqueEntriesAndOneIntactChain() throws Exception {
        try (IssuerStore store = open()) {
            keyAndSign(store);
            List<IssuedCredential> issued = java.util.Collections.synchronizedList(new ArrayList<>());
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                done.add(pool.submit(() -> issued.add(issue(store))));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertUnique(issued);
            assertChainIntact(store, 400);
            IssuedCredential one = issued.get(0);
            assertEquals(Optional.of(one), store.credential(one.id()));
        }
    }

    @Test
    void issue_whenTheOpenListIsFull_opensOneNewListPerPurpose() throws Exception {
        try (IssuerStore store = open()) {
            keyAndSign(store);
            IssuedCredential first = issue(store);
            sql("UPDATE status_lists SET allocated = length - 3");
            List<IssuedCredential> issued = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                issued.add(issue(store));
            }
            assertUnique(issued);
            assertEquals(4, count("SELECT count(*) FROM status_lists"), "one new list for each purpose, once");
            assertEquals(first.revocationList(), issued.get(1).revocationList());
            assertTrue(issued.get(9).revocationList() != first.revocationList());
            assertEquals(7, store.statusList(issued.get(9).revocationList()).orElseThrow().allocated());
        }
    }

    @Test
    void issue_onANearlyFullList_findsItsLastFreeIndexesThenOpensANewList() throws Exception {
        try (IssuerStore store = open()) {
            keyAndSign(store);
            IssuedCredential first = issue(store);
            int list = first.revocationList();
            // every index of the list taken but three (SQL both engines run)
            sql("WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < " + (StatusTables.LIST_LENGTH - 1) + ") "
                    + "INSERT INTO status_allocations SELECT " + list + ", i, 'filler' FROM n WHERE i NOT IN (5, 77, 131000) "
                    + "ON CONFLICT (list_id, idx) DO NOTHING");
            sql("UPDATE status_lists SET allocated = (SELECT count(*) FROM status_allocations WHERE list_id = " + list + ") WHERE id = " + list);
            Set<Long> free = new HashSet<>(List.of(5L, 77L, 131000L));
            free.remove(first.revocationIndex());
            Set<Long> got = new HashSet<>();
            for (int i = 0; i < free.size(); i++) {
                IssuedCredential c = issue(store);
                assertEquals(list, c.revocationList());
                got.add(c.revocationIndex());
            }
            assertEquals(free, got);
            assertTrue(issue(store).revocationList() != list, "the full list is left for a new one");
            assertChainIntact(store, free.size() + 2);
        }
    }

    @Test
    void setStatus_setsAndClearsTheCredentialsBitAndAudits() {
        try (IssuerStore store = open()) {
            keyAndSign(store);
            IssuedCredential c = issue(store);
            long before = store.statusList(c.revocationList()).orElseThrow().version();
            store.setStatus(c.id(), StatusPurpose.REVOCATION, true, new IssuerStore.Audit("test", "credential.revoke", c.id(), "{}"));
            var list = store.statusList(c.revocationList()).orElseThrow();
            assertEquals(1, list.bits().get(c.revocationIndex()));
            assertEquals(before + 1, list.version());
            store.setStatus(c.id(), StatusPurpose.REVOCATION, false, new IssuerStore.Audit("test", "credential.unrevoke", c.id(), "{}"));
            assertEquals(0, store.statusList(c.revocationList()).orElseThrow().bits().get(c.revocationIndex()));
            assertChainIntact(store, 3);
        }
    }

    @Test
    void setStatus_unknownCredential_throwsResourceNotFound() {
        try (IssuerStore store = open()) {
            ProblemException e = assertThrows(ProblemException.class, () -> store.setStatus("urn:uuid:none", StatusPurpose.REVOCATION,
                    true, new IssuerStore.Audit("test", "credential.revoke", "urn:uuid:none", "{}")));
            assertEquals(ProblemType.RESOURCE_NOT_FOUND, e.type());
        }
    }

    @Test
    void agentsMetaKeysAndDelegations_roundTrip() {
        try (IssuerStore store = open()) {
            keyAndSign(store);
            Agent agent = new Agent(AGENT, "procure_100%", new AgentClaims.Operator("Ops", Optional.of("ops@example.org")),
                    Set.of("b", "a"), new AgentClaims.Constraints(Optional.of(new AgentClaims.Money("5000", "EUR")), List.of("EU"),
                    "{\"x\":1}"), new AgentClaims.Delegation(true, 2), true, Instant.parse("2026-01-01T00:00:00Z"),
                    Instant.parse("2026-01-02T00:00:00Z"));
            store.putAgent(agent, new IssuerStore.Audit("test", "agent.register", AGENT.toString(), "{}"));
            store.putAgent(agent, new IssuerStore.Audit("test", "agent.update", AGENT.toString(), "{}"));
            assertEquals(Optional.of(agent), store.agent(AGENT));
            assertEquals(List.of(agent), store.agents("_100%", true, 10), "LIKE wildcards in the query are literal");
            assertEquals(List.of(), store.agents("_1000", false, 10));
            store.putMeta("did", "did:web:example.org", new IssuerStore.Audit("test", "meta", "did", "{}"));
            store.putMeta("did", "did:web:example.com", new IssuerStore.Audit("test", "meta", "did", "{}"));
            assertEquals(Optional.of("did:web:example.com"), store.meta("did"));
            RegisteredDelegation d = new RegisteredDelegation("urn:uuid:" + UUID.randomUUID(), AGENT, Did.parse("did:example:b"),
                    "urn:uuid:root", AGENT, "urn:uuid:root", Set.of("x"), Optional.of("task"), Instant.parse("2026-01-01T01:00:00Z"),
                    Instant.parse("2026-01-01T00:00:00Z"));
            IssuedCredential link = store.registerDelegation(d, "did:example:agent#k", new IssuerStore.Audit("test", "delegation", d.id(), "{}"));
            assertEquals(List.of(d), store.delegations(AGENT, 10));
            assertEquals(Optional.of(link), store.credential(d.id()));
            assertEquals(List.of("key-1"), store.keys().stream().map(OrgKey::id).toList());
            assertChainIntact(store, 5);
            assertEquals(List.of(), store.credentials(AGENT, 10), "a registered link is not an AgentCredential");
            assertEquals(List.of(), store.credentials(Did.parse("did:example:b"), 10));
            IssuedCredential credential = issue(store);
            assertEquals(List.of(credential), store.credentials(AGENT, 10));
        }
    }

    @Test
    void resealKeys_withOtherStoredParameters_changesNothing() {
        try (IssuerStore store = open()) {
            keyAndSign(store);
            store.putMeta("sealing", "old", null);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.resealKeys("other", "new",
                    Map.of("key-1", "resealed"), new IssuerStore.Audit("test", "keys.reseal", "", "{}")));
            assertTrue(e.getMessage().contains("nothing was re-sealed"), e.getMessage());
            assertEquals(Optional.of("old"), store.meta("sealing"));
            store.resealKeys("old", "new", Map.of("key-1", "resealed"), new IssuerStore.Audit("test", "keys.reseal", "", "{}"));
            assertEquals("resealed", store.keys().get(0).sealedPrivateKey());
            assertChainIntact(store, 1);
        }
    }

    @Test
    void signAuditHeadsWith_unsignedEntriesAfterASignedHead_refuses() throws Exception {
        try (IssuerStore store = open()) {
            keyAndSign(store);
            store.record(new IssuerStore.Audit("test", "one", "", "{}"));
            store.record(new IssuerStore.Audit("test", "two", "", "{}"));
        }
        sql("DELETE FROM audit_heads WHERE seq = 2");
        try (IssuerStore store = open()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> keyAndSign(store));
            assertTrue(e.getMessage().contains("are not covered by a signed head"), e.getMessage());
        }
    }

    @Test
    void adminToken_isFoundByItsHashOnly() {
        try (IssuerStore store = open()) {
            store.putAdminToken("ops", "ab".repeat(32), "admin", new IssuerStore.Audit("test", "admin.token", "ops", "{}"));
            assertEquals(Optional.of(new IssuerStore.AdminToken("ops", "admin")), store.adminToken("ab".repeat(32)));
            assertEquals(Optional.empty(), store.adminToken("ac".repeat(32)));
        }
    }

    @Test
    void oneUse_takeGivesTheValueOnceAndTheTableHoldsNoKey() throws Exception {
        try (IssuerStore store = open()) {
            OneUseValues codes = store.oneUse(new OneUseValues.Kind("offer", Duration.ofMinutes(5), 3, 100));
            codes.put("client-a", "secret-code-1", "offer-json");
            assertEquals(Optional.of("offer-json"), codes.peek("secret-code-1"));
            assertFalse(codes.replace("secret-code-1", "other", "x"));
            assertTrue(codes.replace("secret-code-1", "offer-json", "offer-json-2"));
            assertEquals(0, count("SELECT count(*) FROM one_use WHERE key_hash = 'secret-code-1' OR value LIKE '%secret-code%'"));
            assertEquals(1, count("SELECT count(*) FROM one_use WHERE key_hash = '" + SqlOneUseValues.hash("secret-code-1") + "'"));
            assertEquals(Optional.of("offer-json-2"), codes.take("secret-code-1"));
            assertEquals(Optional.empty(), codes.take("secret-code-1"));
            codes.put("client-a", "k2", "v");
            assertFalse(codes.remove("k2", "w"));
            assertTrue(codes.remove("k2", "v"));
            assertEquals(Optional.empty(), store.oneUse(new OneUseValues.Kind("nonce", Duration.ofMinutes(5), 3, 100)).peek("k2"));
        }
    }

    @Test
    void oneUse_ownerAtItsBound_isRefusedWithClientLimitExceededUntilOneExpires() {
        ManualClock clock = new ManualClock(Instant.now());
        try (IssuerStore store = open(clock)) {
            OneUseValues nonces = store.oneUse(new OneUseValues.Kind("nonce", Duration.ofMinutes(5), 2, 100));
            nonces.put("10.0.0.1", "n1", "v");
            clock.advance(Duration.ofMinutes(1));
            nonces.put("10.0.0.1", "n2", "v");
            ProblemException e = assertThrows(ProblemException.class, () -> nonces.put("10.0.0.1", "n3", "v"));
            assertEquals(ProblemType.CLIENT_LIMIT_EXCEEDED, e.type());
            assertEquals(Duration.ofMinutes(4).plusSeconds(1), nonces.retryAfter("10.0.0.1"));
            nonces.put("10.0.0.2", "m1", "v"); // another owner is not held back
            clock.advance(Duration.ofMinutes(4));
            assertEquals(Optional.empty(), nonces.take("n1"), "expired");
            nonces.put("10.0.0.1", "n3", "v");
            assertEquals(Duration.ZERO, nonces.retryAfter("10.0.0.9"));
        }
    }

    @Test
    void oneUse_fullTable_shedsTheLargestHoldersOldestValue() throws Exception {
        ManualClock clock = new ManualClock(Instant.now());
        try (IssuerStore store = open(clock)) {
            OneUseValues tokens = store.oneUse(new OneUseValues.Kind("token", Duration.ofMinutes(5), 3, 4));
            tokens.put("big", "b1", "v");
            clock.advance(Duration.ofSeconds(1));
            tokens.put("big", "b2", "v");
            tokens.put("big", "b3", "v");
            tokens.put("small", "s1", "v");
            tokens.put("new", "n1", "v");
            assertEquals(Optional.empty(), tokens.peek("b1"), "the largest holder's oldest value went");
            assertEquals(Optional.of("v"), tokens.peek("b2"));
            assertEquals(Optional.of("v"), tokens.peek("s1"));
            assertEquals(Optional.of("v"), tokens.peek("n1"));
            assertEquals(4, count("SELECT count(*) FROM one_use"));
        }
    }

    @Test
    void bootstrapping_runsOneAtATime() throws Exception {
        try (IssuerStore a = open(); IssuerStore b = open()) {
            assertOneAtATime(a, b);
        }
    }

    void sql(String statement) throws Exception {
        try (Connection c = raw(); Statement s = c.createStatement()) {
            s.executeUpdate(statement);
        }
    }

    long count(String query) throws Exception {
        try (Connection c = raw(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
