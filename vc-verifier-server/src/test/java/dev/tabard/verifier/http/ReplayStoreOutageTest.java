package dev.tabard.verifier.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.testing.RedisServer;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A verifier whose Redis goes away refuses with 503 (never accepts unchecked, never 500), and recovers by itself. */
class ReplayStoreOutageTest {

    @Test
    @Timeout(90)
    void redisStopped_presentationsAndChallengesAre503_andRedisBack_theyAreAcceptedAgainWithoutRestart() throws Exception {
        SharedStateFixture agent = new SharedStateFixture();
        try (RedisServer redis = RedisServer.launch();
             RedisStore store = RedisStore.connect(RedisConfig.parse(redis.url()), Clock.systemUTC());
             VerifierServer server = SharedStateFixture.server(agent.org, store, false);
             VerifierServer strict = SharedStateFixture.server(agent.org, store, true)) {
            assertEquals(200, agent.post(server.port(), "/presentations/verify", agent.request("before")).statusCode());
            String issued = JsonCodec.parse(agent.post(strict.port(), "/challenges", "{}").body()).get("challenge").asText();

            redis.stop();
            HttpResponse<String> down = agent.post(server.port(), "/presentations/verify", agent.request("during"));
            assertUnavailable(down);
            assertUnavailable(agent.post(strict.port(), "/challenges", "{}"));
            assertUnavailable(agent.post(strict.port(), "/presentations/verify", agent.request(issued)));
            HttpResponse<String> batch = agent.post(server.port(), "/presentations/verify-batch",
                    "{\"items\":[" + agent.request("in-batch") + "]}");
            assertEquals(200, batch.statusCode(), batch.body());
            JsonNode item = JsonCodec.parse(batch.body()).get("results").get(0);
            assertEquals(false, item.get("verified").asBoolean(), batch.body());
            // the challenge could not be looked up: the item is a problem of its own, the batch's other items go on
            assertEquals("https://w3id.org/tabard/problems#REPLAY_STORE_UNAVAILABLE", item.get("type").asText(), batch.body());

            redis.start();
            // the pool drops connections the restart broke; poll until a fresh presentation is accepted again
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            int status = 0;
            int attempt = 0;
            while (status != 200 && Instant.now().isBefore(deadline)) {
                HttpResponse<String> r = agent.post(server.port(), "/presentations/verify", agent.request("after-" + attempt++));
                status = r.statusCode();
                assertTrue(status == 200 || status == 503, r.body());
            }
            assertEquals(200, status, "accepted again once Redis is back, without restarting the verifier");
            HttpResponse<String> challenge = agent.post(strict.port(), "/challenges", "{}");
            assertEquals(201, challenge.statusCode(), challenge.body());
            String fresh = JsonCodec.parse(challenge.body()).get("challenge").asText();
            String request = agent.request(fresh);
            assertEquals(200, agent.post(strict.port(), "/presentations/verify", request).statusCode());
            assertEquals("https://w3id.org/tabard/problems#PRESENTATION_REPLAYED",
                    JsonCodec.parse(agent.post(server.port(), "/presentations/verify", request).body()).get("type").asText(),
                    "replays are refused again");
        }
    }

    private static void assertUnavailable(HttpResponse<String> r) {
        assertEquals(503, r.statusCode(), r.body());
        assertEquals("https://w3id.org/tabard/problems#REPLAY_STORE_UNAVAILABLE", JsonCodec.parse(r.body()).get("type").asText(), r.body());
        assertTrue(r.headers().firstValue("Retry-After").isPresent(), "Retry-After is sent");
        assertEquals("application/problem+json", r.headers().firstValue("content-type").orElse(""));
    }
}
