package dev.tabard.benchmarks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.did.key.KeyDids;
import dev.tabard.didweb.ResolutionBundle;
import dev.tabard.vc.jose.VcJose;
import dev.tabard.vc.status.Bitstring;
import dev.tabard.vc.status.StatusListCredentials;
import dev.tabard.vc.status.StatusPurpose;
import dev.tabard.verifier.PresentationOptions;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.VerificationResult;
import dev.tabard.verifier.Verifier;
import dev.tabard.verifier.replay.ReplayGuard;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The full {@link Verifier} path for a vp+jwt carrying one AgentCredential — holder binding, replay guard, validity,
 * both status lists (cached), trust policy, identity — against the two raw Ed25519 verifications it contains,
 * in one run. Every call verifies a distinct presentation with its own nonce, as a real endpoint would.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
public class VerifierBenchmarks {

    private static final int POOL = 30_000;

    private Fixtures f;
    private Verifier verifier;
    private Verifier verifierEveryTokenInFull;
    private String[] presentations;
    private int next;
    private byte[] rawPublicKey;
    private byte[] rawMessage;
    private byte[] rawSignature;
    private Clock clock;
    private ResolutionBundle bundle;

    @Setup
    public void setUp() {
        f = new Fixtures();
        clock = Clock.fixed(Fixtures.NOW, ZoneOffset.UTC);
        URI rev = URI.create("https://acme.example/status/1");
        URI sus = URI.create("https://acme.example/status/2");
        Bitstring empty = Bitstring.create(Bitstring.MIN_ENTRIES, 1);
        bundle = ResolutionBundle.builder(Fixtures.NOW)
                .resource(rev, "application/vc+jwt", statusList(rev, StatusPurpose.REVOCATION, empty).getBytes(StandardCharsets.US_ASCII))
                .resource(sus, "application/vc+jwt", statusList(sus, StatusPurpose.SUSPENSION, empty).getBytes(StandardCharsets.US_ASCII))
                .build();
        presentations = new String[POOL];
        for (int i = 0; i < POOL; i++) {
            presentations[i] = VcJose.securePresentation(VcJose.presentationOf(List.of(f.vcJwt)), f.agentKey,
                    KeyDids.methodId(f.agentKey.publicKey()), "n-" + i, Fixtures.AUDIENCE, "urn:uuid:vp-" + i, Fixtures.NOW,
                    Fixtures.NOW.plusSeconds(120));
        }
        rawPublicKey = f.orgKey.publicKey().publicKey().toByteArray();
        rawMessage = f.vcJwt.substring(0, f.vcJwt.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII);
        rawSignature = f.orgKey.sign(rawMessage);
    }

    private String statusList(URI id, StatusPurpose purpose, Bitstring list) {
        ObjectNode vc = StatusListCredentials.credential(id, f.org.toString(), purpose, list, Fixtures.NOW.minusSeconds(60),
                Fixtures.NOW.plusSeconds(3600));
        return VcJose.secureCredential(vc, f.orgKey, f.orgKid, Fixtures.NOW);
    }

    /** A fresh replay guard each iteration, so the pool of distinct presentations can be reused. */
    @Setup(Level.Iteration)
    public void newGuard() {
        verifier = verifier(Verifier.DEFAULT_VERIFIED_TOKENS);
        verifierEveryTokenInFull = verifier(0);
        next = 0;
    }

    private Verifier verifier(int verifiedTokens) {
        return Verifier.builder().resolver(f.resolver).clock(clock).resolutionBundle(bundle).replayGuard(ReplayGuard.inMemoryWithoutPerHolderBound(clock))
                .verifiedTokens(verifiedTokens)
                .trustPolicy(TrustPolicy.builder().trustIssuer(f.org).requireCapabilities("supplier:lookup").build()).build();
    }

    /** The default verifier: the AgentCredential, the same in every presentation, is verified in full once. */
    @Benchmark
    public VerificationResult verifierPresentationOneCredential() {
        return verify(verifier);
    }

    /** Every credential token verified in full, as if each presentation carried a credential never seen before. */
    @Benchmark
    public VerificationResult verifierPresentationOneCredentialEveryTokenInFull() {
        return verify(verifierEveryTokenInFull);
    }

    private VerificationResult verify(Verifier v) {
        int i = next++ % POOL;
        VerificationResult r = v.verifyPresentation(presentations[i], new PresentationOptions("n-" + i, Fixtures.AUDIENCE));
        if (!r.verified()) {
            throw new IllegalStateException(r.errors().toString());
        }
        return r;
    }

    @Benchmark
    public void rawEd25519VerifyTwice() {
        Fixtures.bouncyCastleVerify(rawPublicKey, rawMessage, rawSignature);
        Fixtures.bouncyCastleVerify(rawPublicKey, rawMessage, rawSignature);
    }

}
