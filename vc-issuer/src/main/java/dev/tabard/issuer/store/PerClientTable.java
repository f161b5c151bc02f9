package dev.tabard.issuer.store;

import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Short-lived, single-use values (nonces, offers, access tokens) held in memory under a random key, each on behalf of
 * one owner (a client address or an agent DID). Two bounds keep one owner from locking everyone else out:
 * <ul>
 *   <li>an owner holds at most {@code perOwner} live entries; one more is refused with
 *       {@link ProblemType#CLIENT_LIMIT_EXCEEDED} (429) until one of its entries is used or expires;</li>
 *   <li>the table holds at most {@code total} entries, so memory stays bounded; when it is full, expired entries go
 *       first, then the entry that expires first of the owner holding the most. A full table never refuses anyone:
 *       it sheds the largest holder, not the newcomer.</li>
 * </ul>
 * Every entry of one table has the same lifetime, so insertion order is expiry order. Thread-safe: every method holds
 * the table's monitor and runs in O(log n).
 *
 * @param <V> what is held
 */
public final class PerClientTable<V> {

    private record Held<V>(String owner, V value, Instant expires) {
    }

    private final String what;
    private final Duration lifetime;
    private final int perOwner;
    private final int total;
    private final Clock clock;
    /** All entries, oldest (first to expire) first. */
    private final LinkedHashMap<String, Held<V>> byKey = new LinkedHashMap<>();
    /** Each owner's keys, oldest first. */
    private final Map<String, LinkedHashSet<String>> byOwner = new HashMap<>();
    /** Owners by how many entries they hold, so the largest holder is found in O(log n). */
    private final TreeMap<Integer, Set<String>> ownersByCount = new TreeMap<>();

    /**
     * @param what what the entries are, for messages ("nonce")
     * @param lifetime how long an entry lives
     * @param perOwner the most live entries one owner may hold
     * @param total the most entries the table holds
     */
    public PerClientTable(String what, Duration lifetime, int perOwner, int total, Clock clock) {
        this.what = Objects.requireNonNull(what, "what");
        this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (perOwner < 1 || total < perOwner) {
            throw new IllegalArgumentException("need 1 <= perOwner <= total");
        }
        this.perOwner = perOwner;
        this.total = total;
    }

    /**
     * Holds {@code value} under {@code key} for {@code owner} for the table's lifetime.
     *
     * @throws ProblemException {@link ProblemType#CLIENT_LIMIT_EXCEEDED} when the owner already holds {@code perOwner}
     *     live entries
     */
    public synchronized void put(String owner, String key, V value) {
        Instant now = clock.instant();
        purgeExpired(now);
        LinkedHashSet<String> mine = byOwner.get(owner);
        if (mine != null && mine.size() >= perOwner) {
            throw new ProblemException(ProblemType.CLIENT_LIMIT_EXCEEDED, "this client holds " + mine.size() + " open " + what
                    + "s, the most one client may hold; use one, or retry after " + retryAfter(owner).toSeconds() + " s when the oldest expires");
        }
        while (byKey.size() >= total) {
            shedLargestHolder();
        }
        byKey.put(key, new Held<>(owner, value, now.plus(lifetime)));
        move(owner, mine == null ? 0 : mine.size(), +1);
        byOwner.computeIfAbsent(owner, o -> new LinkedHashSet<>()).add(key);
    }

    /** Removes and returns the value under {@code key} when it is there and not expired: each value is used once. */
    public synchronized Optional<V> take(String key) {
        Held<V> held = byKey.get(key);
        if (held == null) {
            return Optional.empty();
        }
        remove(key, held);
        return held.expires().isAfter(clock.instant()) ? Optional.of(held.value()) : Optional.empty();
    }

    /** The value under {@code key} when it is there and not expired, left in place. */
    public synchronized Optional<V> peek(String key) {
        Held<V> held = byKey.get(key);
        return held != null && held.expires().isAfter(clock.instant()) ? Optional.of(held.value()) : Optional.empty();
    }

    /** Removes {@code key} only while it still holds {@code expected}; true when this call removed it. */
    public synchronized boolean remove(String key, V expected) {
        Held<V> held = byKey.get(key);
        if (held == null || !held.value().equals(expected)) {
            return false;
        }
        remove(key, held);
        return true;
    }

    /** Replaces the value under {@code key} only while it holds {@code expected}, keeping its expiry. */
    public synchronized boolean replace(String key, V expected, V replacement) {
        Held<V> held = byKey.get(key);
        if (held == null || !held.value().equals(expected) || !held.expires().isAfter(clock.instant())) {
            return false;
        }
        byKey.put(key, new Held<>(held.owner(), replacement, held.expires()));
        return true;
    }

    /** How long until {@code owner}'s oldest entry expires (zero when it holds none): the {@code Retry-After} hint. */
    public synchronized Duration retryAfter(String owner) {
        LinkedHashSet<String> mine = byOwner.get(owner);
        if (mine == null || mine.isEmpty()) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(clock.instant(), byKey.get(mine.iterator().next()).expires());
        return left.isNegative() ? Duration.ZERO : left.plusSeconds(1).withNanos(0);
    }

    /** Entries held, expired ones included until the next {@link #put}. */
    public synchronized int size() {
        return byKey.size();
    }

    /** Entries {@code owner} holds. */
    public synchronized int held(String owner) {
        LinkedHashSet<String> mine = byOwner.get(owner);
        return mine == null ? 0 : mine.size();
    }

    private void purgeExpired(Instant now) {
        Iterator<Map.Entry<String, Held<V>>> it = byKey.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Held<V>> e = it.next();
            if (e.getValue().expires().isAfter(now)) {
                return; // insertion order is expiry order
            }
            it.remove();
            forget(e.getKey(), e.getValue().owner());
        }
    }

    /** Evicts the entry that expires first among those of the owner holding the most. */
    private void shedLargestHolder() {
        String owner = ownersByCount.lastEntry().getValue().iterator().next();
        String oldest = byOwner.get(owner).iterator().next();
        remove(oldest, byKey.get(oldest));
    }

    private void remove(String key, Held<V> held) {
        byKey.remove(key);
        forget(key, held.owner());
    }

    private void forget(String key, String owner) {
        LinkedHashSet<String> mine = byOwner.get(owner);
        mine.remove(key);
        move(owner, mine.size() + 1, -1);
        if (mine.isEmpty()) {
            byOwner.remove(owner);
        }
    }

    private void move(String owner, int from, int delta) {
        if (from > 0) {
            Set<String> bucket = ownersByCount.get(from);
            bucket.remove(owner);
            if (bucket.isEmpty()) {
                ownersByCount.remove(from);
            }
        }
        if (from + delta > 0) {
            ownersByCount.computeIfAbsent(from + delta, n -> new LinkedHashSet<>()).add(owner);
        }
    }
}
