package dev.tabard.benchmarks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.did.key.KeyDidResolver;
import dev.tabard.did.key.KeyDids;
import dev.tabard.jsonld.BundledContexts;
import dev.tabard.sdjwt.vc.SdJwtVcVerifier;
import dev.tabard.sdjwt.vc.VerifiedSdJwtVc;
import dev.tabard.vc.di.DataIntegrity;
import dev.tabard.vc.di.ProofOptions;
import dev.tabard.vc.jose.JoseOptions;
import dev.tabard.vc.jose.VcJose;
import dev.tabard.vc.status.Bitstring;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Single-thread throughput of each proof format against the raw Ed25519 verification it rests on, measured in
 * one run so that the ratios hold on whatever machine runs them. JOSE and JSON-LD paths warm slowly, hence 8
 * warm-up iterations.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
public class ProofBenchmarks {

    private Fixtures f;
    private JoseOptions options;
    private byte[] rawPublicKey;
    private byte[] rawMessage;
    private byte[] rawSignature;
    private ObjectNode unsignedDi;
    private KeyDidResolver keyResolver;
    private DataIntegrity.Expectations assertion;
    private SdJwtVcVerifier sdJwtVerifier;

    @Setup
    public void setUp() {
        f = new Fixtures();
        options = JoseOptions.strict(Clock.fixed(Fixtures.NOW, ZoneOffset.UTC), Duration.ofSeconds(60));
        rawPublicKey = f.orgKey.publicKey().publicKey().toByteArray();
        rawMessage = f.vcJwt.substring(0, f.vcJwt.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII);
        rawSignature = f.orgKey.sign(rawMessage);
        unsignedDi = f.diCredential.deepCopy();
        unsignedDi.remove("proof");
        keyResolver = new KeyDidResolver();
        assertion = DataIntegrity.Expectations.assertion(Clock.fixed(Fixtures.NOW, ZoneOffset.UTC));
        sdJwtVerifier = SdJwtVcVerifier.builder(f.resolver).clock(Clock.fixed(Fixtures.NOW, ZoneOffset.UTC)).build();
    }

    @Benchmark
    public void rawEd25519Verify() {
        Fixtures.bouncyCastleVerify(rawPublicKey, rawMessage, rawSignature);
    }

    @Benchmark
    public String vcJwtSign() {
        return VcJose.secureCredential(f.credential, f.orgKey, f.orgKid, Fixtures.NOW);
    }

    @Benchmark
    public Object vcJwtVerify() {
        return VcJose.verifyCredential(f.vcJwt, f.resolver, options);
    }

    @Benchmark
    public Object vpJwtVerifyOneCredential() {
        return VcJose.verifyPresentation(f.vpJwt1, f.resolver, options, Fixtures.NONCE, Fixtures.AUDIENCE);
    }

    @Benchmark
    public Object vpJwtVerifyThreeCredentials() {
        return VcJose.verifyPresentation(f.vpJwt3, f.resolver, options, Fixtures.NONCE, Fixtures.AUDIENCE);
    }

    @Benchmark
    public ObjectNode eddsaRdfc2022Create() {
        return DataIntegrity.sign(unsignedDi, f.orgKey, ProofOptions.assertion("eddsa-rdfc-2022",
                KeyDids.methodId(f.orgKey.publicKey()), Fixtures.NOW), BundledContexts.standard());
    }

    @Benchmark
    public List<DataIntegrity.VerifiedProof> eddsaRdfc2022Verify() {
        return DataIntegrity.verify(f.diCredential, keyResolver, assertion, BundledContexts.standard());
    }

    /** The same input as the Node peer's {@code @sd-jwt/sd-jwt-vc} verify: did:web issuer key, two disclosures, KB-JWT. */
    @Benchmark
    public VerifiedSdJwtVc sdJwtVcWithKeyBindingVerify() {
        return sdJwtVerifier.verify(f.sdJwtPresentation, Fixtures.AUDIENCE, Fixtures.NONCE);
    }

    @Benchmark
    public int statusListDecode131072() {
        return Bitstring.decode(f.encodedList, 1).get(94567);
    }

}
