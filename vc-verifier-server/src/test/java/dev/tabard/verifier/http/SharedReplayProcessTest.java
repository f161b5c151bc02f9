package dev.tabard.verifier.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.codec.JsonCodec;
import dev.tabard.testing.RedisServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two verifier instances, one in this JVM and one in its own process, on one real Redis: what one accepted the other
 * refuses, and a challenge one issued is redeemed once, by either.
 */
@Timeout(120)
class SharedReplayProcessTest {

    private static final String PREFIX = "shared-test:";
    private static RedisServer redis;
    private static RedisStore store;
    private static Process other;
    private static VerifierServer open;
    private static VerifierServer strict;
    private static int otherOpen;
    private static int otherStrict;
    private static final SharedStateFixture agent = new SharedStateFixture();

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.launch();
        store = RedisStore.connect(RedisConfig.parse(redis.url()).withPrefix(PREFIX), Clock.systemUTC());
        open = SharedStateFixture.server(agent.org, store, false);
        strict = SharedStateFixture.server(agent.org, store, true);
        Path errors = Files.createTempFile("verifier-process", ".log");
        other = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), VerifierProcess.class.getName(), redis.url(), PREFIX, agent.org.toString()))
                .redirectError(errors.toFile()).start();
        // only the start line is read from the pipe; the process writes nothing else to it
        String line = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertNotNull(line, () -> "the second verifier did not start: " + read(errors));
        String[] ports = line.split(" ");
        otherOpen = Integer.parseInt(ports[1]);
        otherStrict = Integer.parseInt(ports[2]);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (other != null) {
            other.destroy();
            assertTrue(other.waitFor(30, TimeUnit.SECONDS));
        }
        open.close();
        strict.close();
        store.close();
        redis.close();
    }

    private static String type(HttpResponse<String> r) {
        return JsonCodec.parse(r.body()).get("type").asText();
    }

    @Test
    void aPresentationAcceptedByOneInstance_isRefusedAsAReplayByTheOther() throws Exception {
        String request = agent.request("callers-own-challenge-1");
        HttpResponse<String> first = agent.post(open.port(), "/presentations/verify", request);
        assertEquals(200, first.statusCode(), first.body());
        HttpResponse<String> again = agent.post(otherOpen, "/presentations/verify", request);
        assertEquals(400, again.statusCode(), again.body());
        assertEquals("https://w3id.org/tabard/problems#PRESENTATION_REPLAYED", type(again));
        // and the other way round
        String second = agent.request("callers-own-challenge-2");
        assertEquals(200, agent.post(otherOpen, "/presentations/verify", second).statusCode());
        assertEquals("https://w3id.org/tabard/problems#PRESENTATION_REPLAYED", type(agent.post(open.port(), "/presentations/verify", second)));
    }

    @Test
    void aChallengeIssuedByOneInstance_isAcceptedOnceByEither() throws Exception {
        HttpResponse<String> issued = agent.post(strict.port(), "/challenges", "{}");
        assertEquals(201, issued.statusCode(), issued.body());
        String challenge = JsonCodec.parse(issued.body()).get("challenge").asText();
        String request = agent.request(challenge);
        HttpResponse<String> there = agent.post(otherStrict, "/presentations/verify", request);
        assertEquals(200, there.statusCode(), "the other instance redeems a challenge this one issued: " + there.body());
        for (int port : new int[] {strict.port(), otherStrict}) {
            HttpResponse<String> reuse = agent.post(port, "/presentations/verify", agent.request(challenge));
            assertEquals(400, reuse.statusCode(), reuse.body());
            assertEquals("https://w3id.org/security#INVALID_CHALLENGE_ERROR", type(reuse), "a challenge is used once, on any instance");
        }
        // issued by the other process, redeemed here
        String theirs = JsonCodec.parse(agent.post(otherStrict, "/challenges", "{}").body()).get("challenge").asText();
        assertEquals(200, agent.post(strict.port(), "/presentations/verify", agent.request(theirs)).statusCode());
    }

    @Test
    void redisHoldsOnlyHashesUnderThePrefix() throws Exception {
        assertEquals(200, agent.post(open.port(), "/presentations/verify", agent.request("visible-challenge")).statusCode());
        assertEquals(201, agent.post(open.port(), "/challenges", "{}").statusCode());
        String keys = redis.command("KEYS", "*");
        assertTrue(!keys.isEmpty(), "something was stored");
        for (String key : keys.split("\n")) {
            assertTrue(key.startsWith(PREFIX), key);
            assertTrue(key.matches("[a-z:-]+(r|c|cc):\\{?[0-9a-f]{32}\\}?(:[0-9a-f]{32})?"), "only hashes: " + key);
        }
        assertTrue(!keys.contains("visible-challenge") && !keys.contains(agent.agent.toString()));
    }
}
