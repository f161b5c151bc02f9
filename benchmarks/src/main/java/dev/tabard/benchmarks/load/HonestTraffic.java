package dev.tabard.benchmarks.load;

import dev.tabard.benchmarks.Fixtures;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.did.key.KeyDids;
import dev.tabard.vc.jose.VcJose;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLContext;

/**
 * Well-behaved clients at a steady pace, each from its own address in 127.0.1.0/24: two relying parties that ask the
 * verifier for a challenge, have the agent answer it with a vp+jwt and verify it (and now and then a Data Integrity
 * credential and the health check), and a wallet that reads the issuer's health and DID document over TLS and asks
 * for a nonce now and then.
 * Every request's latency is recorded; any answer other than the expected one counts as refused.
 */
final class HonestTraffic {

    /** Rounds per second of each client. */
    static final int ROUNDS_PER_SECOND = 10;
    /** The wallet asks for a nonce every five seconds, as one that requests a credential that often would. */
    static final int NONCE_EVERY = 5 * ROUNDS_PER_SECOND;

    record Result(int requests, double p50Millis, double p99Millis, double maxMillis, int refused, List<String> refusals) {
    }

    /** Numbers every honest presentation apart across phases, so none is ever a replay. */
    private static final AtomicInteger SERIAL = new AtomicInteger();

    private HonestTraffic() {
    }

    /** An agent that answers challenges: its key and its AgentCredential. */
    record Agent(KeyPair key, String credential) {
    }

    /** Runs the clients for {@code seconds}; each relying party talks to its own agent. */
    static Result run(Fixtures f, List<Agent> agents, FloodTargets targets, int seconds) throws InterruptedException {
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        List<String> refusals = Collections.synchronizedList(new ArrayList<>());
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> clients = List.of(
                Floods.daemon(() -> paced(end, "127.0.1.1", targets.verifierPort(), Optional.empty(), latencies, refusals,
                        (c, round) -> relyingParty(f, agents.get(0), c, round, SERIAL.incrementAndGet(), latencies, refusals))),
                Floods.daemon(() -> paced(end, "127.0.1.2", targets.verifierPort(), Optional.empty(), latencies, refusals,
                        (c, round) -> relyingParty(f, agents.get(1), c, round, SERIAL.incrementAndGet(), latencies, refusals))),
                Floods.daemon(() -> paced(end, "127.0.1.3", targets.issuerPort(), Optional.of(targets.clientTls()), latencies, refusals,
                        (c, round) -> wallet(c, round, latencies, refusals))));
        clients.forEach(Thread::start);
        for (Thread t : clients) {
            t.join();
        }
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        return new Result(sorted.size(), percentile(sorted, 0.50), percentile(sorted, 0.99), percentile(sorted, 1.0), refusals.size(),
                List.copyOf(refusals));
    }

    /** One client's rounds. */
    interface Round {
        void run(RawHttp connection, int round) throws IOException;
    }

    private static void paced(long end, String source, int port, Optional<SSLContext> tls, List<Long> latencies, List<String> refusals,
                              Round round) {
        long interval = TimeUnit.SECONDS.toNanos(1) / ROUNDS_PER_SECOND;
        RawHttp c = null;
        for (int i = 0; System.nanoTime() < end; i++) {
            long due = System.nanoTime() + interval;
            try {
                if (c == null || c.isClosed()) {
                    long start = System.nanoTime();
                    c = RawHttp.connect(source, port, tls, 10_000);
                    latencies.add(System.nanoTime() - start);
                }
                round.run(c, i);
            } catch (IOException | RuntimeException e) {
                refusals.add(source + ": " + e);
                if (c != null) {
                    c.close();
                }
                c = null;
            }
            LockSupport.parkNanos(due - System.nanoTime());
        }
        if (c != null) {
            c.close();
        }
    }

    private static void relyingParty(Fixtures f, Agent agent, RawHttp c, int round, int serial, List<Long> latencies, List<String> refusals)
            throws IOException {
        RawHttp.Response issued = timed(latencies, () -> c.postJson("/challenges", "{}"));
        if (issued.status() != 201) {
            refusals.add("POST /challenges " + issued.status() + " " + issued.body());
            return;
        }
        String challenge = JsonCodec.parseObject(issued.body().getBytes(java.nio.charset.StandardCharsets.UTF_8)).get("challenge").asText();
        String vp = VcJose.securePresentation(VcJose.presentationOf(List.of(agent.credential())), agent.key(), KeyDids.methodId(agent.key().publicKey()),
                challenge, Fixtures.AUDIENCE, "urn:uuid:honest-" + serial, Fixtures.NOW, Fixtures.NOW.plusSeconds(300));
        expect(latencies, refusals, "POST /presentations/verify", 200, () -> c.postJson("/presentations/verify", presentationBody(vp, challenge)));
        if (round % 5 == 0) {
            expect(latencies, refusals, "POST /credentials/verify (eddsa-rdfc-2022)", 200,
                    () -> c.postJson("/credentials/verify", "{\"verifiableCredential\":" + f.diCredential + "}"));
            expect(latencies, refusals, "GET /healthz", 200, () -> c.get("/healthz"));
        }
    }

    private static void wallet(RawHttp c, int round, List<Long> latencies, List<String> refusals) throws IOException {
        expect(latencies, refusals, "GET /healthz", 200, () -> c.get("/healthz"));
        expect(latencies, refusals, "GET /.well-known/did.json", 200, () -> c.get("/.well-known/did.json"));
        if (round % NONCE_EVERY == 0) {
            expect(latencies, refusals, "POST /oid4vci/nonce", 200, () -> c.exchange("POST", "/oid4vci/nonce", null, ""));
        }
    }

    static String presentationBody(String vp, String challenge) {
        return "{\"verifiablePresentation\":\"" + vp + "\",\"options\":{\"challenge\":\"" + challenge + "\",\"domain\":\""
                + Fixtures.AUDIENCE + "\"}}";
    }

    interface Call {
        RawHttp.Response call() throws IOException;
    }

    private static void expect(List<Long> latencies, List<String> refusals, String what, int status, Call call) throws IOException {
        RawHttp.Response r = timed(latencies, call);
        if (r.status() != status) {
            refusals.add(what + " " + r.status() + " " + r.body().substring(0, Math.min(200, r.body().length())));
        }
    }

    private static RawHttp.Response timed(List<Long> latencies, Call call) throws IOException {
        long start = System.nanoTime();
        RawHttp.Response r = call.call();
        latencies.add(System.nanoTime() - start);
        return r;
    }

    private static double percentile(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i))) / 1_000_000.0;
    }
}
