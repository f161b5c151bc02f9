package dev.tabard.verifier.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.testing.RedisServer;
import dev.tabard.verifier.replay.ReplayEntry;
import dev.tabard.verifier.replay.ReplayStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/** The Redis store's guarantees, each against a real redis-server: those the in-memory guard documents. */
@Timeout(60)
class RedisStoreTest {

    private static RedisServer redis;
    private final Instant soon = Instant.now().plusSeconds(120);

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.launch();
    }

    @AfterAll
    static void stop() throws Exception {
        redis.close();
    }

    private static RedisStore store(String prefix, int perHolder) {
        return RedisStore.connect(RedisConfig.parse(redis.url()).withPrefix(prefix), perHolder, Clock.systemUTC());
    }

    private static void assertProblem(ProblemType type, Executable e) {
        assertEquals(type, assertThrows(ProblemException.class, e).problems().get(0).type());
    }

    @Test
    void aNonceOrJtiSeenBefore_isAReplay_perHolder() throws Exception {
        try (RedisStore s = store("replay:", 100)) {
            s.remember(ReplayEntry.of("did:key:a", "n1", soon));
            assertProblem(ProblemType.PRESENTATION_REPLAYED, () -> s.remember(ReplayEntry.of("did:key:a", "n1", soon)));
            s.remember(ReplayEntry.of("did:key:b", "n1", soon));
            s.remember(ReplayEntry.of("did:key:a", "n2", "jti-1", soon));
            assertProblem(ProblemType.PRESENTATION_REPLAYED, () -> s.remember(ReplayEntry.of("did:key:a", "n3", "jti-1", soon)));
            long ttl = Long.parseLong(redis.command("PTTL", "replay:r:{" + ReplayEntry.of("did:key:a", "n1", soon).holder().hex() + "}:"
                    + ReplayEntry.of("did:key:a", "n1", soon).keys().get(0).hex()));
            assertTrue(ttl > 100_000 && ttl <= 122_000, "remembered as long as the presentation is accepted: " + ttl);
        }
    }

    @Test
    void oneHolder_stopsAtItsBound_whileOthersAreServed() throws Exception {
        try (RedisStore s = store("bound:", 4)) {
            for (int i = 0; i < 4; i++) {
                s.remember(ReplayEntry.of("did:key:flood", "n" + i, soon));
            }
            assertProblem(ProblemType.CLIENT_LIMIT_EXCEEDED, () -> s.remember(ReplayEntry.of("did:key:flood", "n4", soon)));
            // a jti entry takes two: a holder at 3 of 4 cannot add one
            s.remember(ReplayEntry.of("did:key:other", "a", soon));
            s.remember(ReplayEntry.of("did:key:other", "b", soon));
            s.remember(ReplayEntry.of("did:key:other", "c", soon));
            assertProblem(ProblemType.CLIENT_LIMIT_EXCEEDED, () -> s.remember(ReplayEntry.of("did:key:other", "d", "j", soon)));
            s.remember(ReplayEntry.of("did:key:honest", "n0", soon));
            // a refused entry left nothing behind: the nonce is still new once there is room
            assertEquals("4", redis.command("ZCARD", "bound:r:{" + ReplayEntry.of("did:key:flood", "x", soon).holder().hex() + "}"));
        }
    }

    @Test
    void expiredEntries_leaveTheHoldersBound() throws Exception {
        try (RedisStore s = store("expiry:", 2)) {
            Instant justNow = Instant.now().minusSeconds(5);
            s.remember(ReplayEntry.of("did:key:h", "old1", justNow));
            s.remember(ReplayEntry.of("did:key:h", "old2", justNow));
            s.remember(ReplayEntry.of("did:key:h", "new", soon));
        }
    }

    @Test
    void anEntryRememberedTooLong_isRefused() throws Exception {
        try (RedisStore s = store("lifetime:", 10)) {
            assertProblem(ProblemType.LIFETIME_TOO_LONG, () -> s.remember(ReplayEntry.of("did:key:h", "n",
                    Instant.now().plus(ReplayStore.MAX_REMEMBERED).plusSeconds(5))));
        }
    }

    @Test
    void twoPrefixes_onOneRedis_areTwoDeployments() throws Exception {
        try (RedisStore a = store("deploy-a:", 10); RedisStore b = store("deploy-b:", 10)) {
            a.remember(ReplayEntry.of("did:key:h", "n", soon));
            b.remember(ReplayEntry.of("did:key:h", "n", soon));
            assertProblem(ProblemType.PRESENTATION_REPLAYED, () -> b.remember(ReplayEntry.of("did:key:h", "n", soon)));
        }
    }

    @Test
    void challenges_areRedeemedOnce_andBoundPerClient() throws Exception {
        try (RedisStore s = store("challenges:", 10)) {
            ChallengeStore c = s.challenges(2, Duration.ofMinutes(5), new SecureRandom());
            ChallengeStore.Issued one = c.issue("192.0.2.1", "https://rp.example");
            c.issue("192.0.2.1", "https://rp.example");
            assertProblem(ProblemType.CLIENT_LIMIT_EXCEEDED, () -> c.issue("192.0.2.1", "https://rp.example"));
            c.issue("192.0.2.2", "https://rp.example");
            Optional<ChallengeStore.Issued> redeemed = c.redeem(one.challenge());
            assertEquals("https://rp.example", redeemed.orElseThrow().domain());
            assertFalse(c.redeem(one.challenge()).isPresent(), "used once");
            c.issue("192.0.2.1", "https://rp.example"); // its redeemed challenge no longer counts
            c.restore(redeemed.get());
            assertTrue(c.redeem(one.challenge()).isPresent(), "a challenge put back is redeemed again");
            assertFalse(c.redeem("never-issued").isPresent());
        }
    }

    @Test
    void anUnreachableRedis_isReplayStoreUnavailable_quickly() throws Exception {
        // a port held by a socket that never listens: connections are refused, and no other process can take it meanwhile
        try (java.net.Socket held = new java.net.Socket()) {
            held.bind(new java.net.InetSocketAddress(java.net.InetAddress.getByName("127.0.0.1"), 0));
            assertUnavailable(held.getLocalPort());
        }
    }

    private void assertUnavailable(int port) throws Exception {
        try (RedisStore s = RedisStore.connect(RedisConfig.parse("redis://127.0.0.1:" + port), Clock.systemUTC())) {
            Instant start = Instant.now();
            assertProblem(ProblemType.REPLAY_STORE_UNAVAILABLE, () -> s.remember(ReplayEntry.of("did:key:h", "n", soon)));
            assertProblem(ProblemType.REPLAY_STORE_UNAVAILABLE, s::ping);
            assertProblem(ProblemType.REPLAY_STORE_UNAVAILABLE,
                    () -> s.challenges(2, Duration.ofMinutes(5), new SecureRandom()).issue("192.0.2.1", "https://rp.example"));
            assertTrue(Duration.between(start, Instant.now()).toSeconds() < 5, "short timeouts");
        }
    }

    @Test
    void redisUrls_areParsedStrictly_andThePasswordIsNeverShown() {
        RedisConfig c = RedisConfig.parse("rediss://app:s3cret@redis.internal:6380/2");
        assertTrue(c.tls());
        assertEquals("redis.internal", c.host());
        assertEquals(6380, c.port());
        assertEquals(2, c.database());
        assertEquals(Optional.of("s3cret"), c.password());
        assertEquals(Optional.of("app"), c.user());
        assertFalse(c.toString().contains("s3cret"), c.toString());
        assertEquals(Optional.of("pw"), RedisConfig.parse("redis://:pw@h").password());
        assertEquals(Optional.of("pw"), RedisConfig.parse("redis://pw@h").password());
        assertEquals(RedisConfig.DEFAULT_PORT, RedisConfig.parse("redis://h").port());
        assertEquals(Optional.of("env"), RedisConfig.parse("redis://h").withPassword("env").password());
        for (String bad : new String[] {"http://h:6379", "redis://", "redis:///0", "redis://h/x", "redis://h?a=b", "not a url", "h:6379"}) {
            ProblemException e = assertThrows(ProblemException.class, () -> RedisConfig.parse(bad), bad);
            assertEquals(ProblemType.MALFORMED_VALUE_ERROR, e.problems().get(0).type());
        }
        ProblemException e = assertThrows(ProblemException.class, () -> RedisConfig.parse("ftp://u:topsecret@h"));
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, e.problems().get(0).type());
        assertFalse(e.problems().get(0).detail().contains("topsecret"));
        assertThrows(IllegalArgumentException.class, () -> RedisConfig.parse("redis://h").withPrefix("bad prefix"));
    }
}
