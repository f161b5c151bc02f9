package dev.tabard.verifier.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.key.KeyDids;
import dev.tabard.fetch.TestHttpsServer;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.AgentClaims;
import dev.tabard.vc.jose.VcJose;
import dev.tabard.verifier.Check;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.VerificationResult;
import dev.tabard.verifier.Verifier;
import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A status host that is down is the verifier's problem to report as such: an upstream 5xx or a refused connection is
 * {@code STATUS_RETRIEVAL_ERROR} (the check could not run; the result fails closed), never a malformed credential.
 */
@Timeout(30)
class StatusListUnavailableTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    private final KeyPair orgKey = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final Did org = KeyDids.of(orgKey.publicKey());
    private final KeyPair agentKey = KeyPair.generate(KeyType.ED25519, RANDOM);
    private TestHttpsServer server;

    @BeforeEach
    void start() throws IOException {
        server = new TestHttpsServer();
        for (int status : new int[] {500, 502, 503, 504}) {
            server.handle("/status/" + status, ex -> TestHttpsServer.send(ex, status, "application/problem+json",
                    "{\"type\":\"about:blank\",\"status\":" + status + "}"));
        }
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String credentialWithStatusAt(URI list) {
        AgentClaims claims = new AgentClaims(KeyDids.of(agentKey.publicKey()), "agent", org, "ACME Corp",
                new AgentClaims.Operator("Ops", Optional.empty()), Set.of("supplier:lookup"),
                new AgentClaims.Constraints(Optional.empty(), List.of(), "{}"), new AgentClaims.Delegation(false, 0));
        return VcJose.secureCredential(claims.credential(URI.create("urn:uuid:" + java.util.UUID.randomUUID()), now.minusSeconds(60),
                now.plusSeconds(600), List.of(AgentClaims.statusEntry(list, "revocation", 7))), orgKey,
                KeyDids.methodId(orgKey.publicKey()), now);
    }

    private VerificationResult verify(URI list) {
        Verifier verifier = Verifier.builder().trustPolicy(TrustPolicy.builder().trustIssuer(org).build())
                .fetchPolicy(server.policy().build()).clock(clock).build();
        return verifier.verifyCredential(credentialWithStatusAt(list));
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {500, 502, 503, 504})
    void verifyCredential_statusHostAnswers5xx_failsWithStatusRetrievalError(int status) {
        VerificationResult r = verify(URI.create(server.origin() + "/status/" + status));
        assertFalse(r.verified());
        assertEquals(ProblemType.STATUS_RETRIEVAL_ERROR, r.errors().get(0).type(), r.errors().toString());
        assertTrue(r.errors().get(0).detail().contains(String.valueOf(status)), r.errors().get(0).detail());
        assertTrue(r.checked().contains(Check.POLICY) && !r.checked().contains(Check.STATUS), "trusted first, status could not run");
    }

    @Test
    void verifyCredential_statusHostRefusesConnections_failsWithStatusRetrievalError() throws IOException {
        // a port held by a socket that never listens: connections are refused, and no other process can take it meanwhile
        try (java.net.Socket held = new java.net.Socket()) {
            held.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
            VerificationResult r = verify(URI.create("https://localhost:" + held.getLocalPort() + "/status/1"));
            assertFalse(r.verified());
            assertEquals(ProblemType.STATUS_RETRIEVAL_ERROR, r.errors().get(0).type(), r.errors().toString());
        }
    }

    @Test
    void verifyCredential_withoutFetchPolicy_reachesNoNetworkAndSaysSo() {
        VerificationResult r = Verifier.builder().trustPolicy(TrustPolicy.builder().trustIssuer(org).build()).clock(clock).build()
                .verifyCredential(credentialWithStatusAt(URI.create(server.origin() + "/status/503")));
        assertEquals(ProblemType.STATUS_RETRIEVAL_ERROR, r.errors().get(0).type(), r.errors().toString());
        assertEquals(0, server.requests.get(), "no fetch policy, no network");
    }
}
