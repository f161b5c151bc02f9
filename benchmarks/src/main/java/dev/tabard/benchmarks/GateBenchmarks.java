package dev.tabard.benchmarks;

import dev.tabard.gate.Admission;
import dev.tabard.gate.CallVerifier;
import dev.tabard.gate.Gate;
import dev.tabard.gate.GateRequest;
import dev.tabard.gate.VerifiedCall;
import dev.tabard.httpsig.ReceivedSignature;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.Verifier;
import dev.tabard.verifier.calls.AgentCalls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One signed agent request (a GET from an agent whose key is already bound) through the gate, against the raw Ed25519
 * verification of the same signature base and signature: {@link CallVerifier#verify} (coverage, window, content
 * digest, signature, nonce, binding), the whole {@link Gate#admit} (that, plus route, authority, rate limits and the
 * decision-log entry), and BouncyCastle's {@code Ed25519.verify} as the baseline.
 *
 * <p>Every call is a distinct request with its own nonce: each measured iteration gets a fresh batch of
 * {@link #BATCH} requests signed in its setup, and a call past the batch fails the run rather than replay one. Setup
 * throws unless the first-contact request binds the caller and a bound request is accepted.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
public class GateBenchmarks {

    /** Requests signed for each iteration: above what one core verifies in a 1-second iteration. */
    static final int BATCH = 40_000;

    /** The caller, bound at a {@link CallVerifier} and at a {@link Gate}, and the current iteration's requests. */
    @State(Scope.Benchmark)
    public static class Calls {
        Clock clock = Clock.systemUTC();
        GateFixtures.Caller caller;
        CallVerifier calls;
        Gate gate;
        Path dir;
        GateRequest[] batch;
        int next;

        @Setup(Level.Trial)
        public void bind() throws IOException {
            caller = new GateFixtures.Caller(clock.instant());
            GateFixtures.Supplier supplier = new GateFixtures.Supplier(clock.instant());
            Verifier verifier = Verifier.builder().trustPolicy(TrustPolicy.builder().trustIssuer(caller.org).build()).clock(clock).build();
            // as the gate makes its own: bindings and a nonce store sized for the heap
            calls = CallVerifier.forAudience(verifier, GateFixtures.ORIGIN, clock);
            VerifiedCall first = calls.verify(caller.firstContact(clock.instant()));
            if (!first.firstContact() || !first.caller().identity().agent().equals(caller.agent)) {
                throw new IllegalStateException("the first contact did not bind the caller: " + first);
            }
            if (calls.verify(caller.get("/orders/check", clock.instant())).firstContact()) {
                throw new IllegalStateException("a bound caller's request was taken for a first contact");
            }
            dir = Files.createTempDirectory("gate-bench");
            gate = supplier.gate(caller.org, dir.resolve("decisions.jsonl"), clock);
            for (GateRequest r : new GateRequest[] {caller.firstContact(clock.instant()), caller.get("/orders/check", clock.instant())}) {
                Admission a = gate.admit(r);
                if (!a.accepted()) {
                    throw new IllegalStateException("the gate refused " + r + ": " + a.problems());
                }
            }
        }

        @Setup(Level.Iteration)
        public void sign() {
            var now = clock.instant();
            batch = IntStream.range(0, BATCH).parallel().mapToObj(i -> caller.get("/orders/" + i, now)).toArray(GateRequest[]::new);
            next = 0;
        }

        GateRequest take() {
            if (next == batch.length) {
                throw new IllegalStateException("the iteration used all " + BATCH + " signed requests: raise BATCH");
            }
            return batch[next++];
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            gate.close();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The public key, signature base and signature of one bound request that the gate accepts. */
    @State(Scope.Benchmark)
    public static class Raw {
        byte[] publicKey;
        byte[] base;
        byte[] signature;

        @Setup(Level.Trial)
        public void setUp() {
            Clock clock = Clock.systemUTC();
            GateFixtures.Caller caller = new GateFixtures.Caller(clock.instant());
            Verifier verifier = Verifier.builder().trustPolicy(TrustPolicy.builder().trustIssuer(caller.org).build()).clock(clock).build();
            CallVerifier calls = CallVerifier.forAudience(verifier, GateFixtures.ORIGIN, clock);
            calls.verify(caller.firstContact(clock.instant()));
            GateRequest request = caller.get("/orders/42", clock.instant());
            ReceivedSignature sig = AgentCalls.agentSignature(request.message());
            publicKey = caller.key.publicKey().publicKey().toByteArray();
            base = sig.signatureBase(request.message()).getBytes(StandardCharsets.US_ASCII);
            signature = sig.signature();
            calls.verify(request);
        }
    }

    @Benchmark
    public VerifiedCall callVerifierVerify(Calls s) {
        return s.calls.verify(s.take());
    }

    @Benchmark
    public Admission gateAdmit(Calls s) {
        Admission a = s.gate.admit(s.take());
        if (!a.accepted()) {
            throw new IllegalStateException("refused: " + a.problems());
        }
        return a;
    }

    @Benchmark
    public void rawEd25519Verify(Raw s) {
        Fixtures.bouncyCastleVerify(s.publicKey, s.base, s.signature);
    }
}
