package dev.tabard.issuer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.audit.AuditKey;
import dev.tabard.audit.AuditLog;
import dev.tabard.audit.AuditVerdict;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.issuer.keys.OrgKey;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteIssuerStoreTest {

    @TempDir
    Path dir;

    @Test
    void close_whileIssuing_commitsEveryQueuedIssuanceAndRefusesLaterOnes() throws Exception {
        Path file = dir.resolve("issuer.db");
        SqliteIssuerStore store = SqliteIssuerStore.open(file, Clock.systemUTC(), new SecureRandom());
        KeyPair orgKey = KeyPair.generate(KeyType.ED25519, new SecureRandom());
        store.putKey(new OrgKey("key-1", orgKey.publicKey(), "not used here", OrgKey.State.ACTIVE, Instant.now(), Optional.empty()), null);
        store.signAuditHeadsWith(() -> new AuditKey("key-1", orgKey));
        Did agent = Did.parse("did:example:agent");
        Set<String> stored = ConcurrentHashMap.newKeySet();
        List<Throwable> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean refused = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(200);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            workers.add(pool.submit(() -> {
                while (true) {
                    String id = "urn:uuid:" + UUID.randomUUID();
                    try {
                        store.issue(id, agent, Instant.now(), Instant.now().plusSeconds(3600), "key-1",
                                new IssuerStore.Audit("test", "credential.issue", id, "{}"));
                        stored.add(id);
                        started.countDown();
                    } catch (ProblemException e) {
                        if (e.type() == ProblemType.SERVICE_UNAVAILABLE) {
                            refused.set(true);
                            return;
                        }
                        unexpected.add(e);
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
        try (SqliteIssuerStore reopened = SqliteIssuerStore.open(file, Clock.systemUTC(), new SecureRandom())) {
            for (String id : stored) {
                assertTrue(reopened.credential(id).isPresent(), "answered but not stored: " + id);
            }
            var audit = reopened.audit(0, 1_000_000);
            assertEquals(stored.size(), audit.size(), "one audit entry per stored issuance, none for a refused one");
            AuditVerdict verdict = AuditLog.verify(reopened, Optional.empty());
            assertTrue(verdict.intact(), verdict.message());
            assertEquals(audit.size(), verdict.signedHeadSeq(), "every committed batch ends in a signed head");
        }
    }
}
