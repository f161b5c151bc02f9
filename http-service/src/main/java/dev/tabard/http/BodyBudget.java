package dev.tabard.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes of request bodies being received, in all and per client address. Bodies are buffered in memory until they
 * are complete, so without a bound sixty-four connections per address, each sending a large body slowly, would fill
 * a small heap; with it, a client past its share is answered 503 {@code SERVICE_UNAVAILABLE} while other clients
 * keep theirs (shed the abuser, not the honest).
 */
final class BodyBudget {

    /** The whole budget: a quarter of the heap, between 16 MiB and 256 MiB. */
    static final long DEFAULT_TOTAL = Math.max(16L << 20, Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 4));
    /** One client address may hold this share of the whole (but always room for one largest body). */
    static final int SHARES = 8;

    private final long total;
    private final long perClient;
    private final AtomicLong used = new AtomicLong();
    private final Map<String, AtomicLong> byClient = new ConcurrentHashMap<>();

    BodyBudget(long total, int maxBodyBytes) {
        this.total = Math.max(total, maxBodyBytes);
        this.perClient = Math.max(this.total / SHARES, maxBodyBytes);
    }

    /** Takes {@code bytes} for {@code client}, or nothing and false when the client or the server is over budget. */
    boolean take(String client, int bytes) {
        AtomicLong mine = byClient.computeIfAbsent(client, c -> new AtomicLong());
        if (mine.addAndGet(bytes) > perClient) {
            release(client, bytes);
            return false;
        }
        if (used.addAndGet(bytes) > total) {
            used.addAndGet(-bytes);
            release(client, bytes);
            return false;
        }
        return true;
    }

    /** Gives back what a finished body held. */
    void give(String client, long bytes) {
        if (bytes > 0) {
            used.addAndGet(-bytes);
            release(client, bytes);
        }
    }

    private void release(String client, long bytes) {
        byClient.computeIfPresent(client, (c, n) -> n.addAndGet(-bytes) <= 0 ? null : n);
    }

    /** Bytes held now (for tests and metrics). */
    long used() {
        return used.get();
    }

    long perClient() {
        return perClient;
    }
}
