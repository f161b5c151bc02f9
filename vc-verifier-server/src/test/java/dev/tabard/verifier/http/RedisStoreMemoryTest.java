package dev.tabard.verifier.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.testing.RedisServer;
import dev.tabard.verifier.replay.ReplayEntry;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The store's total bound is the Redis server's {@code maxmemory}: with {@code volatile-ttl} what expires first makes
 * room (as the in-memory guard evicts), and with {@code noeviction} a full Redis makes presentations fail closed.
 */
@Timeout(60)
class RedisStoreMemoryTest {

    /** 6 MiB of values expiring in 30 s into a Redis of 4 MiB: it evicts as it goes. */
    private static void fillOnce(RedisServer redis) throws IOException {
        String value = "x".repeat(256 * 1024);
        for (int i = 0; i < 24; i++) {
            redis.command("SET", "filler:" + i, value, "PX", "30000");
        }
    }

    @Test
    void noeviction_full_presentationsFailClosed_untilThereIsRoomAgain() throws Exception {
        try (RedisServer redis = RedisServer.launch("--maxmemory-policy", "noeviction");
             RedisStore store = RedisStore.connect(RedisConfig.parse(redis.url()), Clock.systemUTC())) {
            store.remember(ReplayEntry.of("did:key:h", "before", Instant.now().plusSeconds(60)));
            // a limit far below what Redis already uses: full, and nothing it may evict
            redis.command("CONFIG", "SET", "maxmemory", "100kb");
            ProblemException e = assertThrows(ProblemException.class,
                    () -> store.remember(ReplayEntry.of("did:key:h", "when-full", Instant.now().plusSeconds(60))));
            assertEquals(ProblemType.REPLAY_STORE_UNAVAILABLE, e.problems().get(0).type());
            ProblemException challenge = assertThrows(ProblemException.class, () -> store.challenges(10, java.time.Duration.ofMinutes(5),
                    new java.security.SecureRandom()).issue("192.0.2.1", "https://rp.example"));
            assertEquals(ProblemType.REPLAY_STORE_UNAVAILABLE, challenge.problems().get(0).type());
            redis.command("CONFIG", "SET", "maxmemory", "0");
            store.remember(ReplayEntry.of("did:key:h", "when-full", Instant.now().plusSeconds(60)));
        }
    }

    @Test
    void volatileTtl_full_whatExpiresFirstMakesRoom() throws Exception {
        try (RedisServer redis = RedisServer.launch("--maxmemory", "4mb", "--maxmemory-policy", "volatile-ttl");
             RedisStore store = RedisStore.connect(RedisConfig.parse(redis.url()), Clock.systemUTC())) {
            // every filler expires before any presentation entry: Redis evicts them first, and the store keeps accepting
            fillOnce(redis);
            for (int i = 0; i < 50; i++) {
                store.remember(ReplayEntry.of("did:key:h" + i, "n", Instant.now().plusSeconds(120 + i)));
            }
            long evicted = Long.parseLong(redis.command("INFO", "stats").lines().filter(l -> l.startsWith("evicted_keys:"))
                    .findFirst().orElseThrow().substring("evicted_keys:".length()).trim());
            assertTrue(evicted > 0, "Redis was full and made room: " + evicted);
            ProblemException replay = assertThrows(ProblemException.class,
                    () -> store.remember(ReplayEntry.of("did:key:h49", "n", Instant.now().plusSeconds(169))));
            assertEquals(ProblemType.PRESENTATION_REPLAYED, replay.problems().get(0).type());
        }
    }
}
