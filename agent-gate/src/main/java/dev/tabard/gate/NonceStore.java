package dev.tabard.gate;

import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The nonces of signed calls, each remembered until its signature can no longer be accepted, and never forgotten
 * before: when full, new calls are refused ({@code SERVICE_UNAVAILABLE}) rather than an unexpired nonce dropped, which
 * would let its request be replayed. Compact so that it rarely fills: an entry is 64 bits of a salted SHA-256 of the key
 * id and nonce, in open-addressing tables per 10-second slot of expiry (about 16 bytes an entry); a collision could only
 * refuse a call, and needs 2^64 work without the salt. Thread-safe.
 */
final class NonceStore {

    /** Entries expire in slots of this many seconds; a slot is dropped whole once its last second has passed. */
    static final long SLOT_SECONDS = 10;

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private final Clock clock;
    private final int maxEntries;
    private final byte[] salt = new byte[16];
    private final TreeMap<Long, LongSet> slots = new TreeMap<>();
    private int size;

    NonceStore(Clock clock, int maxEntries) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        this.maxEntries = maxEntries;
        new SecureRandom().nextBytes(salt);
    }

    /** A store that may take an eighth of the heap, at about 24 bytes an entry while tables grow. */
    static NonceStore sizedForHeap(Clock clock) {
        return new NonceStore(clock, (int) Math.max(100_000, Math.min(50_000_000, Runtime.getRuntime().maxMemory() / 8 / 24)));
    }

    /**
     * Records {@code nonce} of {@code keyId} until {@code until}, or refuses it.
     *
     * @throws ProblemException {@code NONCE_REPLAYED} when it is remembered; {@code SERVICE_UNAVAILABLE} when the store is
     *     full of unexpired nonces
     */
    void remember(String keyId, String nonce, Instant until) {
        long h = hash(keyId, nonce);
        long slot = Math.floorDiv(until.getEpochSecond(), SLOT_SECONDS) + 1;
        synchronized (this) {
            purge(clock.instant());
            for (LongSet s : slots.values()) {
                if (s.contains(h)) {
                    throw new ProblemException(ProblemType.NONCE_REPLAYED, "this nonce was already used by " + keyId
                            + "; sign each request with a new nonce");
                }
            }
            if (size >= maxEntries) {
                throw new ProblemException(ProblemType.SERVICE_UNAVAILABLE, "the gate remembers as many nonces as it can hold until some "
                        + "expire; retry in " + SLOT_SECONDS + " s");
            }
            slots.computeIfAbsent(slot, k -> new LongSet()).add(h);
            size++;
        }
    }

    synchronized int size() {
        purge(clock.instant());
        return size;
    }

    private void purge(Instant now) {
        long current = Math.floorDiv(now.getEpochSecond(), SLOT_SECONDS);
        for (Iterator<Map.Entry<Long, LongSet>> it = slots.headMap(current, true).entrySet().iterator(); it.hasNext(); ) {
            size -= it.next().getValue().size();
            it.remove();
        }
    }

    private long hash(String keyId, String nonce) {
        MessageDigest d = SHA256.get();
        d.update(salt);
        d.update(keyId.getBytes(StandardCharsets.UTF_8));
        d.update((byte) 0);
        byte[] b = d.digest(nonce.getBytes(StandardCharsets.UTF_8));
        long h = 0;
        for (int i = 0; i < 8; i++) {
            h = (h << 8) | (b[i] & 0xff);
        }
        return h == 0 ? 1 : h;
    }

    /** An open-addressing set of non-zero longs, linear probing, at most half full. */
    private static final class LongSet {
        private long[] table = new long[64];
        private int count;

        boolean contains(long v) {
            int mask = table.length - 1;
            for (int i = mix(v) & mask; ; i = (i + 1) & mask) {
                if (table[i] == v) {
                    return true;
                }
                if (table[i] == 0) {
                    return false;
                }
            }
        }

        void add(long v) {
            if (2 * (count + 1) > table.length) {
                long[] old = table;
                table = new long[old.length * 2];
                count = 0;
                for (long x : old) {
                    if (x != 0) {
                        insert(x);
                    }
                }
            }
            insert(v);
        }

        private void insert(long v) {
            int mask = table.length - 1;
            for (int i = mix(v) & mask; ; i = (i + 1) & mask) {
                if (table[i] == v) {
                    return;
                }
                if (table[i] == 0) {
                    table[i] = v;
                    count++;
                    return;
                }
            }
        }

        int size() {
            return count;
        }

        private static int mix(long v) {
            return (int) (v ^ (v >>> 32));
        }
    }
}
