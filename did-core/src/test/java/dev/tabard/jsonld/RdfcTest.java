package dev.tabard.jsonld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.DidResolvers;
import dev.tabard.did.key.KeyDidResolver;
import dev.tabard.did.key.KeyDids;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.AgentClaims;
import dev.tabard.vc.di.DataIntegrity;
import dev.tabard.vc.di.ProofOptions;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The work budget of one canonicalization and the bound on heavy canonicalization in flight. */
class RdfcTest {

    private static final int POISON_RUNS = 16;

    /**
     * The W3C RDFC-1.0 suite's poison graph, test074 (w3c/rdf-canon tests/rdfc10/test074-in.nq, the copy in
     * test-vectors): ten blank nodes, each linked to every one of them, 100 quads.
     */
    static String poisonGraph() {
        StringBuilder nq = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            for (int j = 0; j < 10; j++) {
                nq.append("_:e").append(i).append(" <http:/example.com/p> _:e").append(j).append(" .\n");
            }
        }
        return nq.toString();
    }

    @Test
    void canonicalizeNQuads_poisonGraph_failsWithLimitExceeded() {
        assertEquals(ProblemType.LIMIT_EXCEEDED, assertThrows(ProblemException.class,
                () -> Rdfc.canonicalizeNQuads(poisonGraph(), "SHA-256", Rdfc.DEFAULT_BUDGET)).type());
        assertEquals(ProblemType.LIMIT_EXCEEDED, assertThrows(ProblemException.class,
                () -> Rdfc.canonicalizeNQuads(poisonGraph(), "SHA-256", 1_000)).type());
    }

    @Test
    @Timeout(120)
    void poisonGraphsInParallel_excessIsRefusedAndHonestDataIntegrityStillVerifies() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        KeyPair issuerKey = KeyPair.generate(KeyType.ED25519, new SecureRandom());
        Did issuer = KeyDids.of(issuerKey.publicKey());
        KeyPair agentKey = KeyPair.generate(KeyType.ED25519, new SecureRandom());
        ObjectNode vc = new AgentClaims(KeyDids.of(agentKey.publicKey()), "agent", issuer, "Org",
                new AgentClaims.Operator("Ops", Optional.empty()), Set.of("supplier:lookup"),
                new AgentClaims.Constraints(Optional.empty(), List.of(), "{}"), new AgentClaims.Delegation(false, 0))
                .credential(URI.create("urn:uuid:honest"), now.minusSeconds(60), now.plusSeconds(3600), List.of());
        ObjectNode signed = DataIntegrity.sign(vc, issuerKey, ProofOptions.assertion("eddsa-rdfc-2022",
                KeyDids.methodId(issuerKey.publicKey()), now), BundledContexts.standard());
        DataIntegrity.Expectations expect = DataIntegrity.Expectations.assertion(Clock.fixed(now, ZoneOffset.UTC));
        var resolver = DidResolvers.of(new KeyDidResolver());
        DataIntegrity.verify(signed, resolver, expect, BundledContexts.standard());

        ExecutorService pool = Executors.newFixedThreadPool(POISON_RUNS);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<ProblemType>> poison = new ArrayList<>();
            for (int i = 0; i < POISON_RUNS; i++) {
                poison.add(pool.submit(() -> {
                    go.await();
                    return assertThrows(ProblemException.class,
                            () -> Rdfc.canonicalizeNQuads(poisonGraph(), "SHA-256", Rdfc.DEFAULT_BUDGET)).type();
                }));
            }
            go.countDown();
            List<Long> honestMillis = new ArrayList<>();
            while (poison.stream().anyMatch(f -> !f.isDone()) || honestMillis.isEmpty()) {
                long start = System.nanoTime();
                // never refused: an honest document stays under LIGHT_STEPS and needs no heavy slot
                DataIntegrity.verify(signed, resolver, expect, BundledContexts.standard());
                honestMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            }
            honestMillis.sort(null);
            int refused = 0;
            for (Future<ProblemType> f : poison) {
                ProblemType t = f.get(60, TimeUnit.SECONDS);
                assertTrue(t == ProblemType.LIMIT_EXCEEDED || t == ProblemType.SERVICE_UNAVAILABLE, t.toString());
                refused += t == ProblemType.SERVICE_UNAVAILABLE ? 1 : 0;
            }
            System.out.printf("[rdfc] %d poison runs beside %d honest verifications: %d refused past %d steps, "
                    + "%d ran to the budget; honest verification median %d ms, slowest %d ms%n", POISON_RUNS, honestMillis.size(),
                    refused, Rdfc.LIGHT_STEPS, POISON_RUNS - refused, honestMillis.get(honestMillis.size() / 2),
                    honestMillis.get(honestMillis.size() - 1));
            assertTrue(refused >= 1, "heavy runs past " + Rdfc.MAX_HEAVY_RUNS + " in flight are refused, not queued");
        } finally {
            pool.shutdownNow();
        }
    }
}
