package dev.tabard.verifier.replay;

import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Refuses a presentation seen before, keyed on what it binds, never on its bytes: the holder with its nonce
 * (challenge), and its {@code jti} when it has one. Entries live until the presentation expires; the guard
 * holds at most {@code maxEntries} and, when full of unexpired entries, refuses new ones rather than forget
 * old ones. Thread-safe.
 *
 * <p>An entry is 128 bits of SHA-256 over what it binds and an expiry second, about 80 bytes with the map's own: a
 * verifier sees thousands of presentations a second, each remembered for minutes, and the strings themselves would
 * take several times that. A collision would only refuse a presentation, and needs 2^64 work.
 */
public final class ReplayGuard {

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    /** What one entry binds, hashed. */
    private record Key(long hi, long lo) {
    }

    private final ConcurrentHashMap<Key, Long> seen = new ConcurrentHashMap<>();
    private final int maxEntries;
    private final Clock clock;

    public ReplayGuard(int maxEntries, Clock clock) {
        if (maxEntries <= 0) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        this.maxEntries = maxEntries;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A guard that may take a quarter of the heap (at about 100 bytes an entry), between 10,000 and 1,000,000 entries. */
    public static ReplayGuard inMemory(Clock clock) {
        long fit = Runtime.getRuntime().maxMemory() / 4 / 100;
        return new ReplayGuard((int) Math.max(10_000, Math.min(1_000_000, fit)), clock);
    }

    /**
     * Records a presentation, or refuses it as a replay.
     *
     * @param expires until when the presentation would be accepted; it is remembered that long
     * @throws ProblemException {@code PRESENTATION_REPLAYED} when the holder's nonce or the jti was seen;
     *     {@code SERVICE_UNAVAILABLE} when the guard is full
     */
    public void check(String holder, String nonce, Optional<String> jti, Instant expires) {
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(nonce, "nonce");
        if (seen.size() >= maxEntries) {
            purge();
            if (seen.size() >= maxEntries) {
                throw new ProblemException(ProblemType.SERVICE_UNAVAILABLE, "replay guard is full; try again shortly");
            }
        }
        Long until = expires.getEpochSecond() + (expires.getNano() > 0 ? 1 : 0);
        Key bound = key("nonce", holder, nonce);
        if (seen.putIfAbsent(bound, until) != null) {
            throw new ProblemException(ProblemType.PRESENTATION_REPLAYED, "this holder already presented with this challenge");
        }
        if (jti.isPresent() && seen.putIfAbsent(key("jti", holder, jti.get()), until) != null) {
            seen.remove(bound, until);
            throw new ProblemException(ProblemType.PRESENTATION_REPLAYED, "presentation " + jti.get() + " was already used");
        }
    }

    /** Forgets presentations that have expired. */
    public void purge() {
        long now = clock.instant().getEpochSecond();
        for (Iterator<Map.Entry<Key, Long>> it = seen.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getValue() < now) {
                it.remove();
            }
        }
    }

    private static Key key(String kind, String holder, String value) {
        MessageDigest sha = SHA256.get();
        sha.update(kind.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(holder.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        byte[] h = sha.digest(value.getBytes(StandardCharsets.UTF_8));
        ByteBuffer b = ByteBuffer.wrap(h);
        return new Key(b.getLong(), b.getLong());
    }

    public int size() {
        return seen.size();
    }
}
