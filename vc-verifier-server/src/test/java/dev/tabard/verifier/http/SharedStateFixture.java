package dev.tabard.verifier.http;

import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.key.KeyDidResolver;
import dev.tabard.did.key.KeyDids;
import dev.tabard.vc.AgentClaims;
import dev.tabard.vc.jose.VcJose;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.Verifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** An organization, one of its agents, and the requests the agent sends to verifiers sharing a Redis. */
final class SharedStateFixture {

    static final String DOMAIN = "https://verifier.example";
    private static final SecureRandom RANDOM = new SecureRandom();

    final KeyPair orgKey;
    final Did org;
    final KeyPair agentKey = KeyPair.generate(KeyType.ED25519, RANDOM);
    final Did agent = KeyDids.of(agentKey.publicKey());
    private final HttpClient http = HttpClient.newHttpClient();

    SharedStateFixture() {
        this(KeyPair.generate(KeyType.ED25519, RANDOM));
    }

    SharedStateFixture(KeyPair orgKey) {
        this.orgKey = orgKey;
        this.org = KeyDids.of(orgKey.publicKey());
    }

    static Verifier verifier(Did org, RedisStore store) {
        return Verifier.builder().resolver(new KeyDidResolver()).trustPolicy(TrustPolicy.builder().trustIssuer(org).build())
                .replayStore(store).build();
    }

    /** A verifier endpoint on {@code store}, for {@link #DOMAIN}, requiring issued challenges or not. */
    static VerifierServer server(Did org, RedisStore store, boolean requireIssuedChallenges) {
        VerifierServer.Builder b = VerifierServer.builder(verifier(org, store)).domain(DOMAIN).clock(Clock.systemUTC()).replayStore(store);
        if (requireIssuedChallenges) {
            b.requireIssuedChallenges();
        }
        return b.start();
    }

    /** A fresh presentation (its own {@code jti}) answering {@code challenge}, as a VC-API request body. */
    String request(String challenge) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        AgentClaims claims = new AgentClaims(agent, "agent", org, "ACME", new AgentClaims.Operator("Ops", Optional.empty()),
                Set.of("supplier:lookup"), AgentClaims.Constraints.none(), AgentClaims.Delegation.none());
        String vc = VcJose.secureCredential(claims.credential(URI.create("urn:uuid:" + UUID.randomUUID()), now.minusSeconds(60),
                now.plusSeconds(600), List.of()), orgKey, KeyDids.methodId(orgKey.publicKey()), now);
        String vp = VcJose.securePresentation(VcJose.presentationOf(List.of(vc)), agentKey, KeyDids.methodId(agentKey.publicKey()),
                challenge, DOMAIN, "urn:uuid:" + UUID.randomUUID(), now, now.plusSeconds(60));
        return "{\"verifiablePresentation\":\"" + vp + "\",\"options\":{\"challenge\":\"" + challenge + "\",\"domain\":\"" + DOMAIN + "\"}}";
    }

    HttpResponse<String> post(int port, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
