package dev.tabard.benchmarks.load;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.benchmarks.Fixtures;
import dev.tabard.codec.JsonCodec;
import dev.tabard.did.key.KeyDids;
import dev.tabard.didweb.ResolutionBundle;
import dev.tabard.vc.jose.VcJose;
import dev.tabard.vc.status.Bitstring;
import dev.tabard.vc.status.StatusListCredentials;
import dev.tabard.vc.status.StatusPurpose;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.Verifier;
import dev.tabard.verifier.http.VerifierServer;
import dev.tabard.verifier.replay.ReplayGuard;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The verifier endpoint under load: {@code prepare DIR N} writes N distinct presentations (each with its own nonce) as
 * request bodies, one per line, and the status lists; {@code serve PORT DIR} runs the VC-API endpoint on them. wrk
 * ({@code benchmarks/load/verifier-load.sh}) posts each body once, to this endpoint and to the Node peer
 * ({@code benchmarks/node/verifier-peer.mjs}).
 */
public final class VerifierLoad {

    private VerifierLoad() {
    }

    public static void main(String[] args) throws Exception {
        Fixtures f = new Fixtures();
        switch (args[0]) {
            case "prepare" -> prepare(f, Path.of(args[1]), Integer.parseInt(args[2]));
            case "serve" -> serve(f, Integer.parseInt(args[1]), Path.of(args[2]));
            default -> throw new IllegalArgumentException("prepare | serve");
        }
    }

    static final URI REVOCATION = URI.create("https://acme.example/status/1");
    static final URI SUSPENSION = URI.create("https://acme.example/status/2");

    private static void prepare(Fixtures f, Path dir, int n) throws Exception {
        Files.createDirectories(dir);
        StringBuilder bodies = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String vp = VcJose.securePresentation(VcJose.presentationOf(List.of(f.vcJwt)), f.agentKey, KeyDids.methodId(f.agentKey.publicKey()),
                    "n-" + i, Fixtures.AUDIENCE, "urn:uuid:vp-" + i, Fixtures.NOW, Fixtures.NOW.plusSeconds(300));
            bodies.append(body("n-" + i, vp)).append('\n');
        }
        Files.writeString(dir.resolve("bodies.txt"), bodies);
        Bitstring empty = Bitstring.create(Bitstring.MIN_ENTRIES, 1);
        ObjectNode lists = JsonCodec.objectNode();
        lists.put(REVOCATION.toString(), statusList(f, REVOCATION, StatusPurpose.REVOCATION, empty));
        lists.put(SUSPENSION.toString(), statusList(f, SUSPENSION, StatusPurpose.SUSPENSION, empty));
        Files.write(dir.resolve("status-lists.json"), JsonCodec.write(lists));
        Fixtures.main(new String[] {dir.toString()});
    }

    static String statusList(Fixtures f, URI id, StatusPurpose purpose, Bitstring list) {
        return VcJose.secureCredential(StatusListCredentials.credential(id, f.org.toString(), purpose, list, Fixtures.NOW.minusSeconds(60),
                Fixtures.NOW.plusSeconds(86_400)), f.orgKey, f.orgKid, Fixtures.NOW);
    }

    private static void serve(Fixtures f, int port, Path dir) throws Exception {
        var lists = JsonCodec.parseObject(Files.readAllBytes(dir.resolve("status-lists.json")));
        ResolutionBundle bundle = ResolutionBundle.builder(Fixtures.NOW)
                .resource(REVOCATION, "application/vc+jwt", lists.get(REVOCATION.toString()).asText().getBytes(StandardCharsets.US_ASCII))
                .resource(SUSPENSION, "application/vc+jwt", lists.get(SUSPENSION.toString()).asText().getBytes(StandardCharsets.US_ASCII))
                .build();
        Clock clock = Clock.fixed(Fixtures.NOW, ZoneOffset.UTC);
        // -Dtabard.verifiedTokens=0 verifies every credential token in full
        Verifier verifier = Verifier.builder().resolver(f.resolver).clock(clock)
                .replayGuard(ReplayGuard.inMemoryWithoutPerHolderBound(clock)) // all traffic is one agent
                .verifiedTokens(Integer.getInteger("tabard.verifiedTokens", Verifier.DEFAULT_VERIFIED_TOKENS))
                .resolutionBundle(bundle)
                .trustPolicy(TrustPolicy.builder().trustIssuer(f.org).requireCapabilities("supplier:lookup").build()).build();
        VerifierServer server = VerifierServer.builder(verifier).domain(Fixtures.AUDIENCE).port(port).clock(clock).start();
        System.out.println("verifier on " + server.port());
        Thread.currentThread().join();
    }

    private static String body(String challenge, String vp) {
        return "{\"verifiablePresentation\":\"" + vp + "\",\"options\":{\"challenge\":\"" + challenge + "\",\"domain\":\""
                + Fixtures.AUDIENCE + "\"}}";
    }
}
