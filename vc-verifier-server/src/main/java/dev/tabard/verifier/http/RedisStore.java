package dev.tabard.verifier.http;

import dev.tabard.codec.Base64Url;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.verifier.replay.ReplayEntry;
import dev.tabard.verifier.replay.ReplayKey;
import dev.tabard.verifier.replay.ReplayStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLParameters;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * Replay state shared by several verifier instances through one Redis (or a server speaking its protocol, 6.2 or
 * later): the presentations accepted ({@link ReplayStore}) and the challenges issued by {@code POST /challenges}.
 * Give the same store to the verifier ({@code Verifier.builder().replayStore(store)}) and to its endpoint
 * ({@link VerifierServer.Builder#replayStore}). Thread-safe; connections come from a small pool.
 *
 * <p>Keys, under the configured prefix {@code P} (no presentation content is stored; every value below is hashed):
 * <ul>
 *   <li>{@code P r:{H}} — a sorted set of holder {@code H}'s remembered keys, scored by the millisecond they expire;
 *       its count is the per-holder bound.</li>
 *   <li>{@code P r:{H}:K} — one remembered key {@code K} ({@link ReplayKey}: the holder's nonce with what was signed,
 *       or its {@code jti}), expiring (PX) when its presentation does.</li>
 *   <li>{@code P c:C} — an issued challenge, {@code C} = 128 bits of SHA-256 of its value, holding its domain, expiry
 *       and hashed client; taken with GETDEL, so it is redeemed once.</li>
 *   <li>{@code P cc:{A}} — a sorted set of the challenges open for client address hash {@code A}: the per-client bound.</li>
 * </ul>
 * The checks that must be atomic (replayed? holder at its bound? then remember) are one Lua script each. A holder's
 * keys share the hash tag {@code {H}}, so the replay script touches one slot.
 *
 * <p><b>Total bound:</b> the Redis server's {@code maxmemory}, not a count kept here: a counter would be one hot key
 * every verification of every instance writes. Every key has an expiry, so {@code maxmemory-policy volatile-ttl}
 * evicts what expires first — what {@link dev.tabard.verifier.replay.ReplayGuard} does when full. Under
 * {@code noeviction} a full Redis refuses writes, and presentations fail with {@code REPLAY_STORE_UNAVAILABLE}.
 *
 * <p><b>Security:</b> fails closed. When Redis does not answer within {@link RedisConfig#TIMEOUT}, or refuses a
 * write, presentations and challenges fail with {@code REPLAY_STORE_UNAVAILABLE} (503, {@code Retry-After}); nothing
 * is accepted unchecked. Broken connections are dropped and new ones made, so the store recovers by itself when Redis
 * is back.
 */
public final class RedisStore implements ReplayStore, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisStore.class);

    /** Entries one holder may hold, as in the in-memory guard. */
    public static final int MAX_ENTRIES_PER_HOLDER = dev.tabard.verifier.replay.ReplayGuard.MAX_ENTRIES_PER_HOLDER;

    /*
     * Both scripts read first and write with SET first: Redis checks maxmemory only before a script's first write
     * (it cannot stop one halfway), so a SET that comes first makes a full Redis refuse the whole script.
     */
    private static final String REMEMBER = """
            for i = 2, #KEYS do
              if redis.call('EXISTS', KEYS[i]) == 1 then return i - 1 end
            end
            if redis.call('ZCOUNT', KEYS[1], ARGV[1], '+inf') + #KEYS - 1 > tonumber(ARGV[4]) then return -1 end
            for i = 2, #KEYS do
              redis.call('SET', KEYS[i], '1', 'PX', ARGV[3])
              redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3 + i])
            end
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1])
            if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
            return 0
            """;

    private static final String ISSUE = """
            if redis.call('ZCOUNT', KEYS[1], ARGV[1], '+inf') >= tonumber(ARGV[4]) then return -1 end
            if not redis.call('SET', KEYS[2], ARGV[6], 'NX', 'PX', ARGV[3]) then return 0 end
            redis.call('ZADD', KEYS[1], ARGV[2], ARGV[5])
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1])
            if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
            return 1
            """;

    private final RedisClient redis;
    private final String prefix;
    private final int maxEntriesPerHolder;
    private final Clock clock;
    private final AtomicBoolean answering = new AtomicBoolean(true);

    private RedisStore(RedisClient redis, String prefix, int maxEntriesPerHolder, Clock clock) {
        this.redis = redis;
        this.prefix = prefix;
        this.maxEntriesPerHolder = maxEntriesPerHolder;
        this.clock = clock;
    }

    /**
     * A store on {@code config}'s Redis, with the per-holder bound of the in-memory guard. Connects lazily: a Redis
     * that is down now makes presentations fail until it answers, see {@link #ping()}.
     */
    public static RedisStore connect(RedisConfig config, Clock clock) {
        return connect(config, MAX_ENTRIES_PER_HOLDER, clock);
    }

    /** As {@link #connect(RedisConfig, Clock)}, where one holder may hold {@code maxEntriesPerHolder} entries (at least 2). */
    public static RedisStore connect(RedisConfig config, int maxEntriesPerHolder, Clock clock) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        if (maxEntriesPerHolder < 2) {
            throw new IllegalArgumentException("a presentation may take two entries: maxEntriesPerHolder >= 2");
        }
        int timeout = (int) RedisConfig.TIMEOUT.toMillis();
        DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder().connectionTimeoutMillis(timeout)
                .socketTimeoutMillis(timeout).database(config.database()).ssl(config.tls()).clientName("tabard-verifier");
        if (config.tls()) {
            // rediss:// checks that the certificate names the host, as HTTPS does; Jedis alone would not
            SSLParameters checkHost = new SSLParameters();
            checkHost.setEndpointIdentificationAlgorithm("HTTPS");
            client.sslParameters(checkHost);
        }
        config.user().ifPresent(client::user);
        config.password().ifPresent(client::password);
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(4 * Runtime.getRuntime().availableProcessors() + 8);
        pool.setMaxIdle(pool.getMaxTotal());
        pool.setMaxWait(RedisConfig.TIMEOUT);
        pool.setJmxEnabled(false);
        // connections broken by a Redis restart are found and dropped while idle, so few requests meet one
        pool.setTestWhileIdle(true);
        pool.setTimeBetweenEvictionRuns(Duration.ofSeconds(1));
        pool.setNumTestsPerEvictionRun(-1);
        RedisClient redis = RedisClient.builder().hostAndPort(config.host(), config.port()).clientConfig(client.build())
                .poolConfig(pool).build();
        return new RedisStore(redis, config.prefix(), maxEntriesPerHolder, clock);
    }

    /**
     * Whether Redis answers now.
     *
     * @throws ProblemException {@code REPLAY_STORE_UNAVAILABLE} when it does not
     */
    public void ping() {
        call(() -> redis.ping());
    }

    @Override
    public void remember(ReplayEntry entry) {
        Objects.requireNonNull(entry, "entry");
        long now = clock.millis();
        long until = entry.untilSecond();
        if (until > now / 1000 + MAX_REMEMBERED.toSeconds()) {
            throw new ProblemException(ProblemType.LIFETIME_TOO_LONG, "the presentation would be accepted until " + entry.until()
                    + ", more than " + MAX_REMEMBERED.toMinutes() + " minutes from now; present one that expires sooner");
        }
        long untilMillis = (until + 1) * 1000;
        long ttl = Math.max(1, untilMillis - now);
        String holder = entry.holder().hex();
        List<String> keys = new ArrayList<>();
        keys.add(prefix + "r:{" + holder + "}");
        List<String> args = new ArrayList<>(List.of(Long.toString(now), Long.toString(untilMillis), Long.toString(ttl),
                Integer.toString(maxEntriesPerHolder)));
        for (ReplayKey k : entry.keys()) {
            keys.add(prefix + "r:{" + holder + "}:" + k.hex());
            args.add(k.hex());
        }
        long outcome = (Long) call(() -> script(REMEMBER, keys, args));
        if (outcome == 1) {
            throw new ProblemException(ProblemType.PRESENTATION_REPLAYED, "this holder already presented with this challenge");
        }
        if (outcome == 2) {
            throw new ProblemException(ProblemType.PRESENTATION_REPLAYED, "this holder already used this presentation id");
        }
        if (outcome == -1) {
            throw new ProblemException(ProblemType.CLIENT_LIMIT_EXCEEDED, "this holder already has " + maxEntriesPerHolder
                    + " unexpired presentations remembered; present again when some expire, or with shorter lifetimes");
        }
    }

    /** The challenges of an endpoint, kept here: one client may hold {@code maxPerClient}, each lives {@code lifetime}. */
    ChallengeStore challenges(int maxPerClient, Duration lifetime, SecureRandom random) {
        return new Shared(maxPerClient, lifetime, random);
    }

    @Override
    public void close() {
        redis.close();
    }

    /**
     * Challenges in Redis; the value of {@code P c:C} is {@code clientHash expiresMillis domain}. The {@link Issued}
     * this store hands out carries the client's hash, never its address.
     */
    private final class Shared implements ChallengeStore {
        private final int maxPerClient;
        private final Duration lifetime;
        private final SecureRandom random;

        Shared(int maxPerClient, Duration lifetime, SecureRandom random) {
            this.maxPerClient = maxPerClient;
            this.lifetime = lifetime;
            this.random = random;
        }

        @Override
        public Issued issue(String client, String domain) {
            Instant now = clock.instant();
            byte[] b = new byte[24];
            random.nextBytes(b);
            // the client address is kept hashed, here and in what redeem hands back for restore
            Issued issued = new Issued(Base64Url.encode(b), domain, now.plus(lifetime), hash(client));
            long outcome = put(issued, maxPerClient);
            if (outcome == -1) {
                throw new ProblemException(ProblemType.CLIENT_LIMIT_EXCEEDED, "this address holds " + maxPerClient
                        + " unused challenges; use or let expire the ones it has (they last " + lifetime.toMinutes() + " min)");
            }
            if (outcome == 0) {
                throw new IllegalStateException("a fresh 192-bit challenge was already stored");
            }
            return issued;
        }

        @Override
        public Optional<Issued> redeem(String challenge) {
            String value = call(() -> redis.getDel(challengeKey(challenge)));
            if (value == null) {
                return Optional.empty();
            }
            String[] parts = value.split(" ", 3);
            Instant expires = Instant.ofEpochMilli(Long.parseLong(parts[1]));
            try {
                redis.zrem(prefix + "cc:{" + parts[0] + "}", hash(challenge));
            } catch (JedisException e) {
                log.debug("challenge redeemed, its client's count left to expire", e);
            }
            return expires.isBefore(clock.instant()) ? Optional.empty() : Optional.of(new Issued(challenge, parts[2], expires, parts[0]));
        }

        @Override
        public void restore(Issued issued) {
            if (!issued.expires().isAfter(clock.instant())) {
                return;
            }
            try {
                put(issued, Integer.MAX_VALUE);
            } catch (ProblemException e) {
                log.debug("a challenge could not be put back; its presenter asks for a new one");
            }
        }

        @Override
        public int open() {
            return -1;
        }

        private long put(Issued issued, int limit) {
            long now = clock.millis();
            long expires = issued.expires().toEpochMilli();
            String client = issued.client();
            String member = hash(issued.challenge());
            List<String> keys = List.of(prefix + "cc:{" + client + "}", challengeKey(issued.challenge()));
            List<String> args = List.of(Long.toString(now), Long.toString(expires), Long.toString(Math.max(1, expires - now)),
                    Integer.toString(limit), member, client + " " + expires + " " + issued.domain());
            return (Long) call(() -> script(ISSUE, keys, args));
        }

        private String challengeKey(String challenge) {
            return prefix + "c:" + hash(challenge);
        }
    }

    private Object script(String script, List<String> keys, List<String> args) {
        try {
            return redis.evalsha(sha1(script), keys, args);
        } catch (JedisNoScriptException e) {
            return redis.eval(script, keys, args);
        }
    }

    /** Runs one exchange with Redis; any failure of Redis is {@code REPLAY_STORE_UNAVAILABLE}, logged once per outage. */
    private <T> T call(java.util.function.Supplier<T> exchange) {
        try {
            T result = exchange.get();
            if (answering.compareAndSet(false, true)) {
                log.info("the replay store answers again");
            }
            return result;
        } catch (JedisException e) {
            if (answering.compareAndSet(true, false)) {
                log.warn("the replay store (Redis) does not answer; presentations and challenges are refused (503) until it does: {}",
                        e.toString());
            }
            throw new ProblemException(ProblemType.REPLAY_STORE_UNAVAILABLE, "this verifier cannot check for replays right now; "
                    + "try again shortly", e);
        }
    }

    /** 128 bits of SHA-256, in hex: how a challenge or a client address is named in Redis. */
    static String hash(String value) {
        return HexFormat.of().formatHex(digest("SHA-256", value), 0, 16);
    }

    private static String sha1(String script) {
        return HexFormat.of().formatHex(digest("SHA-1", script));
    }

    private static byte[] digest(String algorithm, String value) {
        try {
            return MessageDigest.getInstance(algorithm).digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
