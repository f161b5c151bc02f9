package dev.tabard.verifier.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.DidDocumentBuilder;
import dev.tabard.did.DidResolver;
import dev.tabard.did.DidResolvers;
import dev.tabard.did.DidUrl;
import dev.tabard.did.Relationship;
import dev.tabard.did.VerificationMethod;
import dev.tabard.did.key.KeyDidResolver;
import dev.tabard.did.key.KeyDids;
import dev.tabard.didweb.WebDidResolver;
import dev.tabard.fetch.SafeFetcher;
import dev.tabard.fetch.TestHttpsServer;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.AgentClaims;
import dev.tabard.vc.jose.VcJose;
import dev.tabard.vc.status.Bitstring;
import dev.tabard.vc.status.StatusListCredentials;
import dev.tabard.vc.status.StatusPurpose;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.VerificationResult;
import dev.tabard.verifier.Verifier;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Defect 5: status lists are fetched only for credentials that could be accepted, and a status host that accepts
 * connections and never answers holds at most {@link StatusListCache#MAX_FETCHES_PER_HOST} verifications while every
 * other host is served. A real HTTPS server on localhost serves the org's did:web and honest lists; a real socket on
 * 127.0.0.1 accepts connections and never answers.
 */
@Timeout(60)
class StatusFetchBoundsTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Far longer than any assertion below waits: a verification that reached the silent host cannot finish in time. */
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(30);
    private static final long PROMPTLY_SECONDS = 10;

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    private final KeyPair orgKey = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final KeyPair agentKey = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final ExecutorService pool = Executors.newFixedThreadPool(32);
    private TestHttpsServer server;
    private SilentServer silent;
    private Did org;
    private DidUrl kid;
    private URI honestList;
    private URI silentList;

    /** Accepts TCP connections on 127.0.0.1 and never answers: the TLS handshake waits until the test closes it. */
    private static final class SilentServer implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final AtomicInteger accepted = new AtomicInteger();
        final Semaphore connections = new Semaphore(0);
        final List<Socket> open = new CopyOnWriteArrayList<>();
        final Thread acceptor = new Thread(() -> {
            while (!socket.isClosed()) {
                try {
                    open.add(socket.accept());
                    accepted.incrementAndGet();
                    connections.release();
                } catch (IOException e) {
                    return;
                }
            }
        }, "silent-status-host");

        SilentServer() throws IOException {
            acceptor.setDaemon(true);
            acceptor.start();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : open) {
                s.close();
            }
        }
    }

    @BeforeEach
    void start() throws IOException {
        server = new TestHttpsServer();
        silent = new SilentServer();
        org = Did.parse("did:web:localhost%3A" + server.port());
        kid = org.withFragment("key-1");
        byte[] doc = DidDocumentBuilder.forDid(org)
                .method(new VerificationMethod(kid, org, orgKey.publicKey(), VerificationMethod.JSON_WEB_KEY), Relationship.ASSERTION_METHOD)
                .toJson();
        server.handle("/.well-known/did.json", ex -> TestHttpsServer.send(ex, 200, "application/did+json", new String(doc, StandardCharsets.UTF_8)));
        honestList = URI.create(server.origin() + "/status/1");
        server.handle("/status/1", ex -> TestHttpsServer.send(ex, 200, "application/vc+jwt", VcJose.secureCredential(
                StatusListCredentials.credential(honestList, org.toString(), StatusPurpose.REVOCATION, Bitstring.create(Bitstring.MIN_ENTRIES, 1),
                        now.minusSeconds(60), now.plusSeconds(300)), orgKey, kid, now)));
        silentList = URI.create("https://127.0.0.1:" + silent.socket.getLocalPort() + "/status/1");
    }

    @AfterEach
    void stop() throws IOException {
        pool.shutdownNow();
        silent.close();
        server.close();
    }

    private Verifier verifier() {
        SafeFetcher fetcher = new SafeFetcher(server.policy().allowHost("127.0.0.1").totalTimeout(FETCH_TIMEOUT).build());
        DidResolver resolver = DidResolvers.of(WebDidResolver.builder().fetcher(fetcher).clock(clock).build(), new KeyDidResolver());
        return Verifier.builder().resolver(resolver).clock(clock).trustPolicy(TrustPolicy.builder().trustIssuer(org).build())
                .fetchPolicy(fetcher.policy()).build();
    }

    /** An AgentCredential as a vc+jwt, issued by {@code issuerKey} as {@code issuer}, its revocation status at {@code list}. */
    private String credential(KeyPair issuerKey, Did issuer, DidUrl issuerKid, URI list) {
        AgentClaims claims = new AgentClaims(KeyDids.of(agentKey.publicKey()), "agent", issuer, "Org",
                new AgentClaims.Operator("Ops", Optional.empty()), Set.of("supplier:lookup"),
                new AgentClaims.Constraints(Optional.empty(), List.of(), "{}"), new AgentClaims.Delegation(false, 0));
        ObjectNode vc = claims.credential(URI.create("urn:uuid:" + UUID.randomUUID()), now.minusSeconds(60), now.plusSeconds(3600),
                List.of(AgentClaims.statusEntry(list, "revocation", 42)));
        return VcJose.secureCredential(vc, issuerKey, issuerKid, now);
    }

    private static ProblemType firstError(VerificationResult r) {
        assertFalse(r.verified(), "verified although it should not have");
        return r.errors().get(0).type();
    }

    @Test
    void untrustedCredentials_pointingAtASilentStatusHost_failFastWithoutReachingIt() throws Exception {
        Verifier v = verifier();
        KeyPair rogueKey = KeyPair.generate(KeyType.ED25519, RANDOM);
        Did rogue = KeyDids.of(rogueKey.publicKey());
        String untrusted = credential(rogueKey, rogue, KeyDids.methodId(rogueKey.publicKey()), silentList);
        String honest = credential(orgKey, org, kid, honestList);
        long start = System.nanoTime();
        List<Future<VerificationResult>> attacks = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            attacks.add(pool.submit(() -> v.verifyCredential(untrusted)));
        }
        Future<VerificationResult> legitimate = pool.submit(() -> v.verifyCredential(honest));

        VerificationResult ok = legitimate.get(PROMPTLY_SECONDS, TimeUnit.SECONDS);
        long legitimateMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(ok.verified(), () -> ok.errors().toString());
        for (Future<VerificationResult> attack : attacks) {
            assertEquals(ProblemType.UNTRUSTED_ISSUER, firstError(attack.get(PROMPTLY_SECONDS, TimeUnit.SECONDS)));
        }
        System.out.printf("[status] 24 untrusted credentials naming a silent status host failed in %d ms; "
                + "the legitimate verification beside them took %d ms%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), legitimateMillis);
        assertEquals(0, silent.accepted.get(), "no connection to the status host an untrusted issuer named");
    }

    @Test
    void trustedIssuerWithASilentStatusHost_holdsAtMostItsSlotsAndOtherHostsAreServed() throws Exception {
        Verifier v = verifier();
        String hanging = credential(orgKey, org, kid, silentList);
        String honest = credential(orgKey, org, kid, honestList);
        List<Future<VerificationResult>> held = new ArrayList<>();
        for (int i = 0; i < StatusListCache.MAX_FETCHES_PER_HOST; i++) {
            held.add(pool.submit(() -> v.verifyCredential(hanging)));
        }
        assertTrue(silent.connections.tryAcquire(StatusListCache.MAX_FETCHES_PER_HOST, PROMPTLY_SECONDS, TimeUnit.SECONDS),
                "the first fetches reach the silent host");

        long start = System.nanoTime();
        List<Future<VerificationResult>> over = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            over.add(pool.submit(() -> v.verifyCredential(hanging)));
        }
        Future<VerificationResult> legitimate = pool.submit(() -> v.verifyCredential(honest));
        VerificationResult ok = legitimate.get(PROMPTLY_SECONDS, TimeUnit.SECONDS);
        long legitimateMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(ok.verified(), () -> ok.errors().toString());
        for (Future<VerificationResult> f : over) {
            VerificationResult r = f.get(PROMPTLY_SECONDS, TimeUnit.SECONDS);
            assertEquals(ProblemType.STATUS_RETRIEVAL_ERROR, firstError(r));
            assertTrue(r.errors().get(0).detail().contains("in flight"), r.errors().get(0).detail());
        }
        System.out.printf("[status] with %d fetches held by a silent host, 3 more failed in %d ms; another host's list "
                + "was served in %d ms%n", StatusListCache.MAX_FETCHES_PER_HOST,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), legitimateMillis);
        for (Future<VerificationResult> f : held) {
            assertFalse(f.isDone(), "the held verifications are still waiting on the silent host");
        }
        assertEquals(StatusListCache.MAX_FETCHES_PER_HOST, silent.accepted.get());

        silent.close();
        for (Future<VerificationResult> f : held) {
            assertEquals(ProblemType.STATUS_RETRIEVAL_ERROR, firstError(f.get(PROMPTLY_SECONDS, TimeUnit.SECONDS)));
        }
    }
}
