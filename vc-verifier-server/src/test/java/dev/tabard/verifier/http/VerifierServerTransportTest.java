package dev.tabard.verifier.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.key.KeyDidResolver;
import dev.tabard.did.key.KeyDids;
import dev.tabard.http.MetricsAccess;
import dev.tabard.http.TransportLimits;
import dev.tabard.testing.ManualClock;
import dev.tabard.vc.AgentClaims;
import dev.tabard.vc.jose.VcJose;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.Verifier;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The verifier endpoint under attack, over real sockets on 127.0.0.1 with real signatures. */
class VerifierServerTransportTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String HOME = "https://verifier.example";
    private static final String SECOND = "https://shop.verifier.example";
    private static final String EVIL = "https://evil.example";
    private final Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    private final KeyPair orgKey = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final Did org = KeyDids.of(orgKey.publicKey());
    private final KeyPair agentKey = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final Did agent = KeyDids.of(agentKey.publicKey());
    private final HttpClient client = HttpClient.newHttpClient();
    private VerifierServer server;


    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private VerifierServer.Builder builder(Clock clock) {
        KeyDidResolver resolver = new KeyDidResolver();
        Verifier verifier = Verifier.builder().resolver(resolver).trustPolicy(TrustPolicy.builder().trustIssuer(org).build()).clock(clock).build();
        return VerifierServer.builder(verifier).domain(HOME).domain(SECOND).clock(clock);
    }

    private String vp(String challenge, String audience) {
        return vp(challenge, audience, List.of());
    }

    private String vp(String challenge, String audience, List<com.fasterxml.jackson.databind.node.ObjectNode> status) {
        AgentClaims claims = new AgentClaims(agent, "agent", org, "ACME", new AgentClaims.Operator("Ops", Optional.empty()),
                Set.of("supplier:lookup"), AgentClaims.Constraints.none(), AgentClaims.Delegation.none());
        String vc = VcJose.secureCredential(claims.credential(URI.create("urn:uuid:" + RANDOM.nextLong()), now.minusSeconds(60),
                now.plusSeconds(600), status), orgKey, KeyDids.methodId(orgKey.publicKey()), now);
        return VcJose.securePresentation(VcJose.presentationOf(List.of(vc)), agentKey, KeyDids.methodId(agentKey.publicKey()),
                challenge, audience, "urn:uuid:" + RANDOM.nextLong(), now, now.plusSeconds(60));
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode challenge(String body) throws Exception {
        HttpResponse<String> r = post("/challenges", body);
        assertEquals(201, r.statusCode(), r.body());
        return JsonCodec.parse(r.body());
    }

    private HttpResponse<String> verify(String vp, String challenge, Optional<String> domain) throws Exception {
        return post("/presentations/verify", "{\"verifiablePresentation\":\"" + vp + "\",\"options\":{\"challenge\":\"" + challenge + "\""
                + domain.map(d -> ",\"domain\":\"" + d + "\"").orElse("") + "}}");
    }

    private static void assertProblem(HttpResponse<String> r, int status, String typeSuffix) {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode p = JsonCodec.parse(r.body());
        assertEquals(status, p.get("status").asInt(), r.body());
        assertTrue(p.get("type").asText().endsWith("#" + typeSuffix), r.body());
        assertFalse(p.get("verified").asBoolean(true), r.body());
    }

    @Test
    @Timeout(60)
    void presentationForAnotherSite_refused_evenWhenTheCallerNamesThatSite() throws Exception {
        server = builder(Clock.systemUTC()).start();
        String c = challenge("{}").get("challenge").asText();
        assertProblem(verify(vp(c, EVIL), c, Optional.of(EVIL)), 400, "INVALID_DOMAIN_ERROR");
        String c2 = challenge("{}").get("challenge").asText();
        HttpResponse<String> relayed = verify(vp(c2, EVIL), c2, Optional.empty());
        assertProblem(relayed, 400, "INVALID_DOMAIN_ERROR");
    }

    @Test
    @Timeout(60)
    void challengeIssuedForOneDomain_verifiesOnlyForThatDomain() throws Exception {
        server = builder(Clock.systemUTC()).start();
        JsonNode forSecond = challenge("{\"domain\":\"" + SECOND + "\"}");
        assertEquals(SECOND, forSecond.get("domain").asText());
        String c = forSecond.get("challenge").asText();
        assertProblem(verify(vp(c, HOME), c, Optional.of(HOME)), 400, "INVALID_DOMAIN_ERROR");

        String c2 = challenge("{\"domain\":\"" + SECOND + "\"}").get("challenge").asText();
        assertProblem(verify(vp(c2, HOME), c2, Optional.empty()), 400, "INVALID_DOMAIN_ERROR");

        String c3 = challenge("{\"domain\":\"" + SECOND + "\"}").get("challenge").asText();
        HttpResponse<String> ok = verify(vp(c3, SECOND), c3, Optional.empty());
        assertEquals(200, ok.statusCode(), ok.body());
        assertTrue(JsonCodec.parse(ok.body()).get("verified").asBoolean());

        String c4 = challenge("").get("challenge").asText();
        assertEquals(200, verify(vp(c4, HOME), c4, Optional.of(HOME)).statusCode(), "the default domain is the first");
        assertProblem(post("/challenges", "{\"domain\":\"" + EVIL + "\"}"), 400, "INVALID_DOMAIN_ERROR");
    }

    @Test
    @Timeout(60)
    void byDefault_callersChallengesAreAccepted_yetAChallengeIssuedHereIsBoundToItsDomain_andUsedUpByItsAnswer() throws Exception {
        server = builder(Clock.systemUTC()).start();
        String c = challenge("{\"domain\":\"" + SECOND + "\"}").get("challenge").asText();
        assertProblem(verify(vp(c, HOME), c, Optional.of(HOME)), 400, "INVALID_DOMAIN_ERROR");
        String c2 = challenge("{\"domain\":\"" + SECOND + "\"}").get("challenge").asText();
        assertEquals(200, verify(vp(c2, SECOND), c2, Optional.empty()).statusCode(), "answered for the domain it was issued for");
        String c3 = challenge("{}").get("challenge").asText();
        assertEquals(200, verify(vp(c3, HOME), c3, Optional.empty()).statusCode());
        // every issued challenge was answered: none is left open to count against the client
        assertEquals(0, server.openChallenges());
        String own = "caller-made-" + RANDOM.nextLong();
        assertEquals(200, verify(vp(own, HOME), own, Optional.empty()).statusCode(), "a caller's own challenge is accepted");
    }

    @Test
    @Timeout(60)
    void issuedChallengesRequired_usedUpByThePresentersFailure_butNotByTheVerifiers() throws Exception {
        server = builder(Clock.systemUTC()).requireIssuedChallenges().start();
        String own = "caller-made-" + RANDOM.nextLong();
        assertProblem(verify(vp(own, HOME), own, Optional.empty()), 400, "INVALID_CHALLENGE_ERROR");
        // this verifier has no way to fetch status lists: its failure, so the challenge stays usable
        String c = challenge("{}").get("challenge").asText();
        List<com.fasterxml.jackson.databind.node.ObjectNode> status = List.of(
                AgentClaims.statusEntry(URI.create("https://status.example/lists/1"), "revocation", 7));
        assertProblem(verify(vp(c, HOME, status), c, Optional.empty()), 400, "STATUS_RETRIEVAL_ERROR");
        assertEquals(200, verify(vp(c, HOME), c, Optional.empty()).statusCode(), "answered again after the verifier's failure");
        assertProblem(verify(vp(c, HOME), c, Optional.empty()), 400, "INVALID_CHALLENGE_ERROR");
        // a presentation addressed elsewhere is the presenter's fault: the challenge is gone
        String c2 = challenge("{}").get("challenge").asText();
        assertProblem(verify(vp(c2, EVIL), c2, Optional.empty()), 400, "INVALID_DOMAIN_ERROR");
        assertProblem(verify(vp(c2, HOME), c2, Optional.empty()), 400, "INVALID_CHALLENGE_ERROR");
    }

    @Test
    @Timeout(60)
    void challengeFlood_fromOneAddress_rateLimitedThenCapped_honestClientStillVerifies() throws Exception {
        ManualClock clock = new ManualClock(Instant.now());
        server = builder(clock).start();
        int created = 0;
        int rateLimited = 0;
        int capped = 0;
        // first as fast as possible: the burst, then 429 RATE_LIMITED
        for (int i = 0; i < 150; i++) {
            int status = rawPost("127.0.0.9", "/challenges").status;
            created += status == 201 ? 1 : 0;
            rateLimited += status == 429 ? 1 : 0;
        }
        assertEquals(VerifierServer.CHALLENGE_RATE.burst(), created);
        assertEquals(150 - created, rateLimited);
        // then at exactly the allowed rate, until the per-client cap answers 429 CLIENT_LIMIT_EXCEEDED
        RawResponse last = null;
        for (int i = 0; i < VerifierServer.MAX_OPEN_CHALLENGES_PER_CLIENT; i++) {
            clock.advance(VerifierServer.CHALLENGE_RATE.refillEvery());
            last = rawPost("127.0.0.9", "/challenges");
            if (last.status == 201) {
                created++;
            } else {
                capped++;
                assertTrue(last.body.contains("CLIENT_LIMIT_EXCEEDED"), last.body);
            }
        }
        assertEquals(VerifierServer.MAX_OPEN_CHALLENGES_PER_CLIENT, created);
        assertEquals(VerifierServer.CHALLENGE_RATE.burst(), capped);
        assertEquals(429, last.status);
        // the honest client, from another address, is untouched
        String c = challenge("{}").get("challenge").asText();
        HttpResponse<String> ok = verify(vp(c, HOME), c, Optional.empty());
        assertEquals(200, ok.statusCode(), ok.body());
    }

    private record RawResponse(int status, String body) {
    }

    private RawResponse rawPost(String source, String path) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(source, 0));
            s.connect(new InetSocketAddress("127.0.0.1", server.port()), 2_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new RawResponse(Integer.parseInt(response.substring(9, 12)), response);
        }
    }

    @Test
    @Timeout(60)
    void slowBodyFlood_overHttp_healthAndARealVerificationAnsweredPromptly() throws Exception {
        server = builder(Clock.systemUTC()).limits(TransportLimits.defaults().withBodyTimeout(Duration.ofSeconds(4))).start();
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                Socket s = new Socket();
                s.bind(new InetSocketAddress("127.0.1." + (i + 1), 0));
                s.connect(new InetSocketAddress("127.0.0.1", server.port()), 2_000);
                s.setSoTimeout(15_000);
                OutputStream out = s.getOutputStream();
                out.write(("POST /presentations/verify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000"
                        + "\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                slow.add(s);
            }
            String c = challenge("{}").get("challenge").asText();
            String vp = vp(c, HOME);
            long t0 = System.nanoTime();
            HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/healthz"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> verified = verify(vp, c, Optional.empty());
            long millis = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("[flood] 200 slow bodies; verifier (HTTP): /healthz + presentation verification answered in " + millis + " ms");
            assertEquals(200, health.statusCode());
            assertEquals(200, verified.statusCode(), verified.body());
            assertTrue(millis < 2_000, "health and verification took " + millis + " ms during the flood");
            for (Socket s : slow) {
                String answer = new String(readSome(s.getInputStream()), StandardCharsets.UTF_8);
                assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
                assertTrue(answer.contains("REQUEST_TIMEOUT"), answer);
            }
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    private static byte[] readSome(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    @Test
    @Timeout(60)
    void metrics_offByDefault_tokenOrSeparateListenerTurnsThemOn() throws Exception {
        server = builder(Clock.systemUTC()).start();
        HttpResponse<String> off = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, off.statusCode());
        assertTrue(off.body().contains("--metrics-token"), off.body());
        server.close();

        String token = "verifier-metrics-token-0123456789";
        server = builder(Clock.systemUTC()).metrics(MetricsAccess.bearerToken(token)
                .withSeparateListener(new InetSocketAddress("127.0.0.1", 0))).start();
        URI onMain = URI.create("http://127.0.0.1:" + server.port() + "/metrics");
        assertEquals(401, client.send(HttpRequest.newBuilder(onMain).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        HttpResponse<String> withToken = client.send(HttpRequest.newBuilder(onMain).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, withToken.statusCode());
        assertTrue(withToken.body().contains("tabard_http_requests_seconds_count{method=\"GET\",route=\"/metrics\",server=\"verifier\",status=\"401\"} 1"), withToken.body());
        HttpResponse<String> listener = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.metricsPort().orElseThrow()
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, listener.statusCode());
        assertTrue(listener.body().contains("tabard_verifier_open_challenges"), listener.body());
    }
}
