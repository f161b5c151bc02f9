package dev.tabard.issuer.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.audit.AuditKey;
import dev.tabard.audit.AuditLog;
import dev.tabard.audit.AuditVerdict;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.issuer.keys.OrgKey;
import dev.tabard.issuer.store.IssuerStore;
import dev.tabard.issuer.store.SqliteIssuerStore;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {

    private static final int ISSUANCES = 3_000;

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void verify_whileIssuingAndRotating_neverReportsABreak() throws Exception {
        try (SqliteIssuerStore store = SqliteIssuerStore.open(dir.resolve("issuer.db"), Clock.systemUTC(), new SecureRandom())) {
            KeyPair first = KeyPair.generate(KeyType.ED25519, new SecureRandom());
            KeyPair second = KeyPair.generate(KeyType.ED25519, new SecureRandom());
            store.putKey(new OrgKey("key-1", first.publicKey(), "not used here", OrgKey.State.ACTIVE, Instant.now(), Optional.empty()), null);
            AtomicReference<AuditKey> signing = new AtomicReference<>(new AuditKey("key-1", first));
            store.signAuditHeadsWith(signing::get);
            Did agent = Did.parse("did:example:agent");
            AtomicInteger issued = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                writers.add(pool.submit(() -> {
                    for (int n = issued.incrementAndGet(); n <= ISSUANCES; n = issued.incrementAndGet()) {
                        if (n == ISSUANCES / 2) {
                            // a rotation mid-run: heads after it name a key the verifier has not read yet
                            store.putKey(new OrgKey("key-2", second.publicKey(), "not used here", OrgKey.State.ACTIVE, Instant.now(),
                                    Optional.empty()), new IssuerStore.Audit("test", "key.activate", "key-2", "{}"));
                            signing.set(new AuditKey("key-2", second));
                        }
                        String id = "urn:uuid:" + n;
                        store.issue(id, agent, Instant.now(), Instant.now().plusSeconds(60), "key-1",
                                new IssuerStore.Audit("test", "credential.issue", id, "{}"));
                    }
                    return null;
                }));
            }
            int checks = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!writers.stream().allMatch(Future::isDone)) {
                assertTrue(System.nanoTime() < deadline, "the writers did not finish within 120 s");
                AuditVerdict v = AuditLog.verify(store, Optional.empty());
                assertTrue(v.intact(), v.message());
                checks++;
            }
            for (Future<?> w : writers) {
                w.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            AuditVerdict last = AuditLog.verify(store, Optional.empty());
            assertEquals(ISSUANCES + 1, last.entries(), last.message());
            assertEquals(last.entries(), last.signedHeadSeq());
            assertTrue(checks > 0);
        }
    }
}
