package dev.tabard.issuer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.audit.AuditEntry;
import dev.tabard.audit.AuditKey;
import dev.tabard.audit.AuditLog;
import dev.tabard.audit.AuditVerdict;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.issuer.keys.OrgKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** What the store tests share: an org key the same in every JVM, issuing, and the checks on a chain and on entries. */
final class StoreFixtures {

    static final Did AGENT = Did.parse("did:example:agent");
    /** The same key in every JVM, so an instance in another process signs heads this one verifies. */
    static final KeyPair ORG_KEY = KeyPair.fromPrivateKey(KeyType.ED25519, new byte[] {
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});

    private StoreFixtures() {
    }

    static void keyAndSign(IssuerStore store) {
        if (store.keys().isEmpty()) {
            store.putKey(new OrgKey("key-1", ORG_KEY.publicKey(), "not used here", OrgKey.State.ACTIVE, Instant.now(), Optional.empty()),
                    null);
        }
        store.signAuditHeadsWith(() -> new AuditKey("key-1", ORG_KEY));
    }

    static IssuedCredential issue(IssuerStore store) {
        String id = "urn:uuid:" + UUID.randomUUID();
        return store.issue(id, AGENT, Instant.now(), Instant.now().plusSeconds(3600), "key-1",
                new IssuerStore.Audit("test", "credential.issue", id, "{}"));
    }

    /** The chain verifies, every committed batch ends in a signed head, and sequence numbers run 1..n. */
    static void assertChainIntact(IssuerStore store, long expectedEntries) {
        List<AuditEntry> audit = store.audit(0, 1_000_000);
        assertEquals(expectedEntries, audit.size());
        for (int i = 0; i < audit.size(); i++) {
            assertEquals(i + 1, audit.get(i).seq(), "no gap and no repeat in the sequence");
        }
        AuditVerdict verdict = AuditLog.verify(store, Optional.empty());
        assertTrue(verdict.intact(), verdict.message());
        assertEquals(expectedEntries, verdict.signedHeadSeq());
    }

    static void assertUnique(List<IssuedCredential> issued) {
        Set<String> entries = new HashSet<>();
        for (IssuedCredential c : issued) {
            assertTrue(entries.add("r" + c.revocationList() + ":" + c.revocationIndex()), "revocation entry handed out twice");
            assertTrue(entries.add("s" + c.suspensionList() + ":" + c.suspensionIndex()), "suspension entry handed out twice");
        }
    }

    /** Many bootstraps from both stores at once: never two inside at the same moment. */
    static void assertOneAtATime(IssuerStore a, IssuerStore b) throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<Integer>> runs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            IssuerStore s = i % 2 == 0 ? a : b;
            runs.add(pool.submit(() -> s.bootstrapping(() -> {
                int now = inside.incrementAndGet();
                most.accumulateAndGet(now, Math::max);
                // work that takes a little time: a read through the store
                s.meta("did");
                inside.decrementAndGet();
                return now;
            })));
        }
        for (Future<Integer> r : runs) {
            assertEquals(1, r.get(60, TimeUnit.SECONDS));
        }
        pool.shutdown();
        assertEquals(1, most.get());
    }

}
