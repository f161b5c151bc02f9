package dev.tabard.verifier.replay;

import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The in-memory {@link ReplayStore}, and the default: refuses a presentation seen before, keyed on what it binds,
 * never on its bytes: the holder with its nonce (challenge), and its {@code jti} when it has one. Thread-safe. It
 * remembers only what this verifier instance saw; instances behind one load balancer share a store instead.
 *
 * <p><b>Security:</b> every bound is held so that a flood cannot lock out honest holders.
 * <ul>
 *   <li>An entry lives until its presentation expires, and never longer than {@link ReplayStore#MAX_REMEMBERED}: a
 *       presentation claiming to be valid longer is refused with {@code LIFETIME_TOO_LONG}, so an {@code exp} in year 9999 cannot
 *       pin an entry until restart.</li>
 *   <li>One holder holds at most {@code maxEntriesPerHolder} entries; past that its presentations are refused with
 *       {@code CLIENT_LIMIT_EXCEEDED} while other holders are served.</li>
 *   <li>The guard holds at most {@code maxEntries}. When it is full of unexpired entries it forgets the one that
 *       expires first: that presentation could be replayed for the few seconds it has left, whereas refusing new
 *       entries would refuse every holder.</li>
 * </ul>
 *
 * <p>An entry is 128 bits of SHA-256 over what it binds, its expiry second and its holder, about 130 bytes with the
 * maps' own: a verifier sees thousands of presentations a second, each remembered for minutes. A collision would only
 * refuse a presentation, and needs 2^64 work.
 */
public final class ReplayGuard implements ReplayStore {

    /**
     * Entries one holder may hold: 2,048 presentations with a {@code jti}. A wallet's presentation lives 2 minutes and
     * is remembered 3 with the default skew, so an agent presenting 11 times a second fits; a holder flooding stops
     * here, alone.
     */
    public static final int MAX_ENTRIES_PER_HOLDER = 4_096;

    /** The smallest {@link #inMemory} guard: one holder at its cap takes at most a sixteenth of it. */
    public static final int MIN_IN_MEMORY_ENTRIES = 16 * MAX_ENTRIES_PER_HOLDER;

    /** Until when (epoch second, inclusive) an entry is remembered, and whose it is. */
    private record Remembered(long until, ReplayKey holder) {
    }

    private final Map<ReplayKey, Remembered> seen = new HashMap<>();
    /** Keys by expiry second, for purging and for evicting what expires first; may hold keys already forgotten. */
    private final TreeMap<Long, ArrayDeque<ReplayKey>> byExpiry = new TreeMap<>();
    private final Map<ReplayKey, Integer> perHolder = new HashMap<>();
    private final int maxEntries;
    private final int maxEntriesPerHolder;
    private final Clock clock;

    /** A guard of {@code maxEntries} where one holder may hold {@link #MAX_ENTRIES_PER_HOLDER} (or all, if fewer). */
    public ReplayGuard(int maxEntries, Clock clock) {
        this(maxEntries, Math.min(MAX_ENTRIES_PER_HOLDER, maxEntries), clock);
    }

    public ReplayGuard(int maxEntries, int maxEntriesPerHolder, Clock clock) {
        if (maxEntries < 2 || maxEntriesPerHolder < 2 || maxEntriesPerHolder > maxEntries) {
            throw new IllegalArgumentException("need 2 <= maxEntriesPerHolder <= maxEntries: a presentation may take two entries");
        }
        this.maxEntries = maxEntries;
        this.maxEntriesPerHolder = maxEntriesPerHolder;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * A guard that may take a quarter of the heap (at about 150 bytes an entry), between
     * {@link #MIN_IN_MEMORY_ENTRIES} and 1,000,000 entries.
     */
    public static ReplayGuard inMemory(Clock clock) {
        return new ReplayGuard(inMemoryCapacity(), clock);
    }

    /**
     * An {@link #inMemory} guard that gives up the per-holder bound: one holder may fill it, evicting every other
     * holder's entries. Only for load tests whose whole traffic is one synthetic holder.
     */
    public static ReplayGuard inMemoryWithoutPerHolderBound(Clock clock) {
        int capacity = inMemoryCapacity();
        return new ReplayGuard(capacity, capacity, clock);
    }

    private static int inMemoryCapacity() {
        long fit = Runtime.getRuntime().maxMemory() / 4 / 150;
        return (int) Math.max(MIN_IN_MEMORY_ENTRIES, Math.min(1_000_000, fit));
    }

    /**
     * Records a presentation without a {@code jti}, or refuses it.
     *
     * @param expires until when the presentation would be accepted, clock skew included; it is remembered that long
     * @throws ProblemException {@code PRESENTATION_REPLAYED} when the holder's nonce was seen;
     *     {@code LIFETIME_TOO_LONG} when {@code expires} is more than {@link #MAX_REMEMBERED} away;
     *     {@code CLIENT_LIMIT_EXCEEDED} when the holder already holds its share of the guard
     */
    public void check(String holder, String nonce, Instant expires) {
        remember(ReplayEntry.of(holder, nonce, expires));
    }

    /**
     * Records a presentation with its {@code jti}, or refuses it: as {@link #check(String, String, Instant)}, and also
     * {@code PRESENTATION_REPLAYED} when the holder presented this {@code jti} before.
     */
    public void check(String holder, String nonce, String jti, Instant expires) {
        remember(ReplayEntry.of(holder, nonce, jti, expires));
    }

    @Override
    public void remember(ReplayEntry entry) {
        Objects.requireNonNull(entry, "entry");
        long until = entry.untilSecond();
        ReplayKey holderKey = entry.holder();
        int needed = entry.keys().size();
        synchronized (this) {
            long now = clock.instant().getEpochSecond();
            if (until > now + MAX_REMEMBERED.toSeconds()) {
                throw new ProblemException(ProblemType.LIFETIME_TOO_LONG, "the presentation would be accepted until "
                        + entry.until() + ", more than " + MAX_REMEMBERED.toMinutes() + " minutes from now; present one that expires sooner");
            }
            purgeBefore(now);
            if (seen.containsKey(entry.keys().get(0))) {
                throw new ProblemException(ProblemType.PRESENTATION_REPLAYED, "this holder already presented with this challenge");
            }
            if (needed == 2 && seen.containsKey(entry.keys().get(1))) {
                throw new ProblemException(ProblemType.PRESENTATION_REPLAYED, "this holder already used this presentation id");
            }
            if (perHolder.getOrDefault(holderKey, 0) + needed > maxEntriesPerHolder) {
                throw new ProblemException(ProblemType.CLIENT_LIMIT_EXCEEDED, "this holder already has " + maxEntriesPerHolder
                        + " unexpired presentations remembered; present again when some expire, or with shorter lifetimes");
            }
            while (seen.size() + needed > maxEntries) {
                evictFirstExpiring();
            }
            for (ReplayKey k : entry.keys()) {
                remember(k, until, holderKey);
            }
        }
    }

    /** Forgets presentations that have expired. */
    public synchronized void purge() {
        purgeBefore(clock.instant().getEpochSecond());
    }

    /** Entries held. */
    public synchronized int size() {
        return seen.size();
    }

    private void remember(ReplayKey key, long until, ReplayKey holder) {
        seen.put(key, new Remembered(until, holder));
        byExpiry.computeIfAbsent(until, u -> new ArrayDeque<>()).addLast(key);
        perHolder.merge(holder, 1, Integer::sum);
    }

    private void purgeBefore(long now) {
        while (!byExpiry.isEmpty() && byExpiry.firstKey() < now) {
            Map.Entry<Long, ArrayDeque<ReplayKey>> first = byExpiry.pollFirstEntry();
            for (ReplayKey k : first.getValue()) {
                forget(k, first.getKey());
            }
        }
    }

    private void evictFirstExpiring() {
        while (!byExpiry.isEmpty()) {
            Map.Entry<Long, ArrayDeque<ReplayKey>> first = byExpiry.firstEntry();
            ReplayKey k = first.getValue().pollFirst();
            if (first.getValue().isEmpty()) {
                byExpiry.remove(first.getKey());
            }
            if (k != null && forget(k, first.getKey())) {
                return;
            }
        }
        throw new IllegalStateException("replay guard index out of step with its entries");
    }

    /** Forgets {@code key} if it is still remembered until {@code until}; a key re-added later has another expiry. */
    private boolean forget(ReplayKey key, long until) {
        Remembered r = seen.get(key);
        if (r == null || r.until() != until) {
            return false;
        }
        seen.remove(key);
        perHolder.computeIfPresent(r.holder(), (h, n) -> n == 1 ? null : n - 1);
        return true;
    }
}
