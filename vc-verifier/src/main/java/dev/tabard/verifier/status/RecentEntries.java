package dev.tabard.verifier.status;

import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A bounded map of cached values that, when full, drops the expired ones first and then the least recently used, so
 * that a flood of new keys costs the cache its oldest entries and never the lists every verification is using.
 * Thread-safe; every operation holds one lock, which is cheap next to the fetch or signature check it saves.
 *
 * @param <K> the key (a list's URI)
 * @param <V> the value kept
 */
final class RecentEntries<K, V> {

    private final int capacity;
    private final Function<V, Instant> expires;
    /** Access-ordered: iteration starts at the least recently used entry. */
    private final LinkedHashMap<K, V> map = new LinkedHashMap<>(16, 0.75f, true);

    /**
     * @param expires when a value stops being fresh; one past that is dropped first when room is needed
     */
    RecentEntries(int capacity, Function<V, Instant> expires) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
        this.expires = Objects.requireNonNull(expires, "expires");
    }

    /** The value kept for {@code key}, fresh or not; reading it makes it the most recently used. */
    synchronized Optional<V> get(K key) {
        return Optional.ofNullable(map.get(key));
    }

    /**
     * Keeps {@code value} under {@code key}. When that would exceed the capacity, the entries expired at {@code now}
     * go first, then the least recently used until there is room.
     */
    synchronized void put(K key, V value, Instant now) {
        Objects.requireNonNull(value, "value");
        map.put(key, value);
        if (map.size() <= capacity) {
            return;
        }
        for (Iterator<V> it = map.values().iterator(); it.hasNext(); ) {
            V v = it.next();
            if (v != value && !now.isBefore(expires.apply(v))) {
                it.remove();
            }
        }
        for (Iterator<K> it = map.keySet().iterator(); map.size() > capacity && it.hasNext(); ) {
            K k = it.next();
            if (!k.equals(key)) {
                it.remove();
            }
        }
    }

    /** Drops {@code key} if it still holds {@code value}. */
    synchronized void remove(K key, V value) {
        map.remove(key, value);
    }

    synchronized int size() {
        return map.size();
    }
}
