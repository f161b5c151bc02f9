package dev.tabard.didweb;

import dev.tabard.crypto.Bytes;
import dev.tabard.did.Did;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Resolved did:web documents, bounded in size (least recently used goes first). Freshness comes from the
 * server's {@code Cache-Control}/{@code Expires}, clamped to [{@code minTtl}, {@code maxTtl}]; a stale entry
 * may still be served for {@code staleIfError} after its expiry when the origin fails. Thread-safe: one
 * lock around the map; entries are immutable.
 */
public final class ResolutionCache {

    /** A cached document with what is needed to revalidate it. */
    public record Entry(Did did, Bytes document, Optional<String> etag, Instant fetched, Instant expires) {
        public Entry {
            Objects.requireNonNull(did, "did");
            Objects.requireNonNull(document, "document");
            Objects.requireNonNull(etag, "etag");
            Objects.requireNonNull(fetched, "fetched");
            Objects.requireNonNull(expires, "expires");
        }

        public boolean freshAt(Instant now) {
            return now.isBefore(expires);
        }
    }

    /** Counts since the cache was made. */
    public record Stats(long hits, long misses, long revalidated, long staleServed, long errors) {
    }

    private final int maxEntries;
    private final Duration minTtl;
    private final Duration maxTtl;
    private final Duration staleIfError;
    private final LinkedHashMap<Did, Entry> entries;
    final AtomicLong hits = new AtomicLong();
    final AtomicLong misses = new AtomicLong();
    final AtomicLong revalidated = new AtomicLong();
    final AtomicLong staleServed = new AtomicLong();
    final AtomicLong errors = new AtomicLong();

    public ResolutionCache(int maxEntries, Duration minTtl, Duration maxTtl, Duration staleIfError) {
        if (maxEntries <= 0) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        if (minTtl.isNegative() || maxTtl.compareTo(minTtl) < 0 || staleIfError.isNegative()) {
            throw new IllegalArgumentException("need 0 <= minTtl <= maxTtl and staleIfError >= 0");
        }
        this.maxEntries = maxEntries;
        this.minTtl = minTtl;
        this.maxTtl = maxTtl;
        this.staleIfError = staleIfError;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Did, Entry> eldest) {
                return size() > ResolutionCache.this.maxEntries;
            }
        };
    }

    /** 1,000 entries; 1 minute to 1 day; stale for up to 1 hour when the origin fails. */
    public static ResolutionCache defaults() {
        return new ResolutionCache(1000, Duration.ofMinutes(1), Duration.ofDays(1), Duration.ofHours(1));
    }

    public synchronized Optional<Entry> get(Did did) {
        return Optional.ofNullable(entries.get(did));
    }

    /** Stores a document fetched at {@code now} whose server-given freshness is {@code freshness}. */
    public synchronized Entry put(Did did, Bytes document, Optional<String> etag, Instant now,
                                  Optional<Duration> freshness) {
        Duration ttl = freshness.orElse(minTtl);
        if (ttl.compareTo(minTtl) < 0) {
            ttl = minTtl;
        }
        if (ttl.compareTo(maxTtl) > 0) {
            ttl = maxTtl;
        }
        Entry e = new Entry(did, document, etag, now, now.plus(ttl));
        entries.put(did, e);
        return e;
    }

    /** Whether a stale entry may still be served at {@code now} because the origin failed. */
    public boolean usableOnError(Entry entry, Instant now) {
        return now.isBefore(entry.expires().plus(staleIfError));
    }

    /** A snapshot of every entry, for exporting into a {@link ResolutionBundle}. */
    public synchronized java.util.List<Entry> entries() {
        return java.util.List.copyOf(entries.values());
    }

    public synchronized void invalidate(Did did) {
        entries.remove(did);
    }

    public synchronized int size() {
        return entries.size();
    }

    public Stats stats() {
        return new Stats(hits.get(), misses.get(), revalidated.get(), staleServed.get(), errors.get());
    }
}
