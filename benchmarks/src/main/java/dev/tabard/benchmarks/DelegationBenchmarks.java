package dev.tabard.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.Base64Url;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.DidDocumentBuilder;
import dev.tabard.did.Relationship;
import dev.tabard.did.VerificationMethod;
import dev.tabard.did.key.KeyDids;
import dev.tabard.didweb.ResolutionBundle;
import dev.tabard.vc.AgentClaims;
import dev.tabard.vc.DelegationClaims;
import dev.tabard.vc.ParentReference;
import dev.tabard.vc.jose.CompactJws;
import dev.tabard.vc.jose.VcJose;
import dev.tabard.vc.status.Bitstring;
import dev.tabard.vc.status.StatusListCredentials;
import dev.tabard.vc.status.StatusPurpose;
import dev.tabard.verifier.PresentationOptions;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.VerificationResult;
import dev.tabard.verifier.Verifier;
import dev.tabard.verifier.VerifierBuilder;
import dev.tabard.verifier.replay.ReplayGuard;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A two-link delegation chain verified by {@link Verifier#verifyPresentation}, against the four raw Ed25519
 * verifications it rests on, in one run (issue 17). The org (did:web, document and status lists from a
 * {@link ResolutionBundle}: zero network) issues agent A its AgentCredential (delegation allowed, depth 2); A
 * delegates to B (depth 1), B to C; C presents the three credentials in a vp+jwt. Four signatures per presentation:
 * the baseline verifies those same four (key, signing input, signature) triples with BouncyCastle. Each chain
 * benchmark runs twice: with the DID document from the bundle, and parsed once (as {@link VerifierBenchmarks}), which
 * isolates what answering from the bundle costs.
 *
 * <p>Every call verifies a distinct presentation with its own nonce, from a pool signed in setup; each iteration
 * gets a fresh verifier (so a fresh replay guard and token cache) and walks the pool from its start. Setup verifies
 * one presentation of each pool and throws unless it verifies with the whole chain, and every measured call throws
 * on a failed result, so no figure can come from a failure path.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 40, time = 1) // the chain path was still getting faster after 20 s (benchmarks/README.md)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
public class DelegationBenchmarks {

    /** More presentations than an iteration can verify: a wrap-around would be refused as a replay, and throw. */
    static final int POOL = 20_000;

    static final Instant NOW = Fixtures.NOW;
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final URI REVOCATION = URI.create("https://acme.example/status/1");
    static final URI SUSPENSION = URI.create("https://acme.example/status/2");
    static final String CAPABILITY = "purchase-order:negotiate";

    /** One chain, its presentation pool and the verifiers that check it; the links registered or short-lived. */
    public abstract static class Chain {
        final Fixtures f = new Fixtures();
        final KeyPair aKey = f.agentKey;
        final KeyPair bKey = fixedKey(0xb0);
        final KeyPair cKey = fixedKey(0xc0);
        final Did b = KeyDids.of(bKey.publicKey());
        final Did c = KeyDids.of(cKey.publicKey());
        String[] presentations;
        String[] signers;
        ResolutionBundle bundle;
        Verifier verifier;
        Verifier verifierEveryTokenInFull;
        int next;

        /**
         * Where the org's DID document comes from: {@code bundle}, the resolution bundle (zero network, as issue 17
         * asks), or {@code parsed}, a document parsed once and answered from memory, as {@link VerifierBenchmarks} does.
         */
        @Param({"bundle", "parsed"})
        public String didDocument;

        abstract boolean registered();

        void build(int pool) {
            String root = VcJose.secureCredential(rootDocument(), f.orgKey, f.orgKid, NOW);
            String ab = link(aKey, b, root, new AgentClaims.Delegation(true, 1), 70);
            String bc = link(bKey, c, ab, AgentClaims.Delegation.none(), 71);
            Bitstring empty = Bitstring.create(Bitstring.MIN_ENTRIES, 1);
            byte[] didDocument = DidDocumentBuilder.forDid(f.org)
                    .method(new VerificationMethod(f.orgKid, f.org, f.orgKey.publicKey(), VerificationMethod.JSON_WEB_KEY),
                            Relationship.ASSERTION_METHOD)
                    .toJson();
            bundle = ResolutionBundle.builder(NOW).document(f.org, didDocument)
                    .resource(REVOCATION, "application/vc+jwt", statusList(REVOCATION, StatusPurpose.REVOCATION, empty))
                    .resource(SUSPENSION, "application/vc+jwt", statusList(SUSPENSION, StatusPurpose.SUSPENSION, empty))
                    .build();
            presentations = new String[pool];
            for (int i = 0; i < pool; i++) {
                presentations[i] = present("n-" + i, i, root, ab, bc);
            }
            signers = new String[] {presentations[0], root, ab, bc};
            assertChainVerifies(present("check", -1, root, ab, bc));
        }

        private ObjectNode rootDocument() {
            AgentClaims claims = new AgentClaims(f.agent, "procurement-agent", f.org, "ACME Corp",
                    new AgentClaims.Operator("Procurement team", Optional.of("procurement@acme.example")),
                    Set.of(CAPABILITY, "supplier:lookup"), limit("5000", List.of("EU", "UK")), new AgentClaims.Delegation(true, 2));
            return claims.credential(URI.create("urn:uuid:6a9c1e52-8d55-4b54-a6a4-0f8d5a3a1a20"), NOW.minusSeconds(300),
                    NOW.plus(Duration.ofHours(1)), List.of(AgentClaims.statusEntry(REVOCATION, "revocation", 94567),
                            AgentClaims.statusEntry(SUSPENSION, "suspension", 23452)));
        }

        /** A link signed by {@code from}: registered links carry a revocation entry in the org's list and live 50 min. */
        private String link(KeyPair from, Did to, String parentToken, AgentClaims.Delegation further, long index) {
            URI parentId = URI.create(CompactJws.parse(parentToken).payloadJson().get("id").asText());
            Duration lifetime = registered() ? Duration.ofMinutes(50) : Duration.ofMinutes(10);
            ObjectNode doc = new DelegationClaims(URI.create("urn:uuid:link-" + index), KeyDids.of(from.publicKey()), to,
                    Set.of(CAPABILITY), limit("250", List.of("EU")), further, Optional.of("order paper"),
                    ParentReference.ofToken(parentId, parentToken), NOW.minusSeconds(60), NOW.plus(lifetime))
                    .credential(registered() ? List.of(AgentClaims.statusEntry(REVOCATION, "revocation", index)) : List.of());
            return VcJose.secureCredential(doc, from, KeyDids.methodId(from.publicKey()), NOW.minusSeconds(60));
        }

        private String present(String nonce, int i, String... credentials) {
            return VcJose.securePresentation(VcJose.presentationOf(List.of(credentials)), cKey, KeyDids.methodId(cKey.publicKey()),
                    nonce, Fixtures.AUDIENCE, "urn:uuid:vp-" + i, NOW, NOW.plusSeconds(120));
        }

        private byte[] statusList(URI id, StatusPurpose purpose, Bitstring list) {
            ObjectNode vc = StatusListCredentials.credential(id, f.org.toString(), purpose, list, NOW.minusSeconds(60),
                    NOW.plusSeconds(3600));
            return VcJose.secureCredential(vc, f.orgKey, f.orgKid, NOW).getBytes(StandardCharsets.US_ASCII);
        }

        /** The correctness guard: the chain verifies, names A, B and C, and the links are registered as this state says. */
        private void assertChainVerifies(String presentation) {
            VerificationResult r = verifier(Verifier.DEFAULT_VERIFIED_TOKENS)
                    .verifyPresentation(presentation, new PresentationOptions("check", Fixtures.AUDIENCE));
            if (!r.verified()) {
                throw new IllegalStateException("the benchmark chain does not verify: " + r.errors());
            }
            JsonNode chain = r.toJson().path("agent").path("delegationChain");
            if (chain.size() != 3 || !chain.get(2).path("agent").asText().equals(c.toString())
                    || chain.get(1).path("registered").asBoolean() != registered()
                    || chain.get(2).path("registered").asBoolean() != registered()) {
                throw new IllegalStateException("not the two-link chain to C this benchmark means: " + chain);
            }
        }

        Verifier verifier(int verifiedTokens) {
            VerifierBuilder builder = Verifier.builder();
            if (didDocument.equals("parsed")) {
                builder.resolver(f.resolver);
            }
            return builder.clock(CLOCK).resolutionBundle(bundle)
                    .replayGuard(ReplayGuard.inMemoryWithoutPerHolderBound(CLOCK)).verifiedTokens(verifiedTokens)
                    .trustPolicy(TrustPolicy.builder().trustIssuer(f.org).requireCapabilities(CAPABILITY).build()).build();
        }

        /** A fresh replay guard and token cache each iteration, so the pool of distinct presentations can be reused. */
        @Setup(Level.Iteration)
        public void newVerifiers() {
            verifier = verifier(Verifier.DEFAULT_VERIFIED_TOKENS);
            verifierEveryTokenInFull = verifier(0);
            next = 0;
        }

        VerificationResult verify(Verifier v) {
            int i = next++;
            if (i >= presentations.length) {
                throw new IllegalStateException("pool exhausted: raise POOL");
            }
            VerificationResult r = v.verifyPresentation(presentations[i], new PresentationOptions("n-" + i, Fixtures.AUDIENCE));
            if (!r.verified()) {
                throw new IllegalStateException(r.errors().toString());
            }
            return r;
        }
    }

    /** Short-lived links (10 minutes, no status entry): only the root AgentCredential has status entries. */
    @State(Scope.Benchmark)
    public static class ShortLivedChain extends Chain {
        @Override
        boolean registered() {
            return false;
        }

        @Setup(Level.Trial)
        public void setUp() {
            build(POOL);
        }
    }

    /** Links registered with the org's issuer: each has a revocation entry in the org's list, checked on every use. */
    @State(Scope.Benchmark)
    public static class RegisteredChain extends Chain {
        @Override
        boolean registered() {
            return true;
        }

        @Setup(Level.Trial)
        public void setUp() {
            build(POOL);
        }
    }

    /** The four signatures of one presentation, as BouncyCastle sees them: 32-byte key, signing input, signature. */
    @State(Scope.Benchmark)
    public static class RawSignatures {
        byte[][] keys;
        byte[][] messages;
        byte[][] signatures;

        @Setup(Level.Trial)
        public void setUp() {
            ShortLivedChain chain = new ShortLivedChain();
            chain.didDocument = "bundle";
            chain.build(1);
            KeyPair[] signedBy = {chain.cKey, chain.f.orgKey, chain.aKey, chain.bKey};
            keys = new byte[4][];
            messages = new byte[4][];
            signatures = new byte[4][];
            for (int i = 0; i < 4; i++) {
                String token = chain.signers[i];
                int dot = token.lastIndexOf('.');
                keys[i] = signedBy[i].publicKey().publicKey().toByteArray();
                messages[i] = token.substring(0, dot).getBytes(StandardCharsets.US_ASCII);
                signatures[i] = Base64Url.decode(token.substring(dot + 1));
                Fixtures.bouncyCastleVerify(keys[i], messages[i], signatures[i]);
            }
        }
    }

    private static KeyPair fixedKey(int fill) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) fill);
        return KeyPair.fromPrivateKey(KeyType.ED25519, seed);
    }

    private static AgentClaims.Constraints limit(String amount, List<String> regions) {
        return new AgentClaims.Constraints(Optional.of(new AgentClaims.Money(amount, "EUR")), regions, "{}");
    }

    /** The baseline: the presentation's own four Ed25519 verifications (VP by C, root by the org, A→B by A, B→C by B). */
    @Benchmark
    public void rawEd25519VerifyFourTimes(RawSignatures raw) {
        for (int i = 0; i < 4; i++) {
            Fixtures.bouncyCastleVerify(raw.keys[i], raw.messages[i], raw.signatures[i]);
        }
    }

    /** Every credential token verified in full, as if each presentation carried a chain never seen before. */
    @Benchmark
    public VerificationResult chainEveryTokenInFull(ShortLivedChain chain) {
        return chain.verify(chain.verifierEveryTokenInFull);
    }

    /** The default verified-token cache: the three credentials, the same in every presentation, are checked in full once. */
    @Benchmark
    public VerificationResult chainDefaultTokenCache(ShortLivedChain chain) {
        return chain.verify(chain.verifier);
    }

    /** Registered links, every token in full: three credentials' status entries read from the org's cached list. */
    @Benchmark
    public VerificationResult registeredChainEveryTokenInFull(RegisteredChain chain) {
        return chain.verify(chain.verifierEveryTokenInFull);
    }

    /** Registered links with the default verified-token cache. */
    @Benchmark
    public VerificationResult registeredChainDefaultTokenCache(RegisteredChain chain) {
        return chain.verify(chain.verifier);
    }
}
