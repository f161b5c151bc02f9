package dev.tabard.verifier.status;

import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the status-list fetches in flight to each host, so that a host that accepts connections and never answers
 * holds at most {@code perHost} verifications, each until the fetcher's own timeout, and never delays fetches from
 * other hosts. A fetch over the bound waits up to {@code wait} for a slot and then fails. Hosts are keyed by name
 * (case-insensitive, port ignored), and a host leaves the table when its last fetch ends, so the table holds only
 * hosts being fetched from. Thread-safe.
 *
 * <p>Waiting is measured with {@link System#nanoTime()}, not the verifier's clock: it is elapsed time on this
 * machine, and tests run the verifier on a fixed clock.
 */
final class FetchSlots {

    private final int perHost;
    private final long waitNanos;
    private final Map<String, Integer> inFlight = new HashMap<>();

    FetchSlots(int perHost, Duration wait) {
        if (perHost <= 0) {
            throw new IllegalArgumentException("perHost must be positive");
        }
        this.perHost = perHost;
        this.waitNanos = Objects.requireNonNull(wait, "wait").toNanos();
    }

    /** A slot for one fetch from a host; closing it frees the slot. */
    final class Slot implements AutoCloseable {
        private final String host;
        private boolean closed;

        private Slot(String host) {
            this.host = host;
        }

        @Override
        public void close() {
            synchronized (FetchSlots.this) {
                if (!closed) {
                    closed = true;
                    inFlight.computeIfPresent(host, (h, n) -> n == 1 ? null : n - 1);
                    FetchSlots.this.notifyAll();
                }
            }
        }
    }

    /**
     * Takes a slot for {@code host}, waiting briefly when all of its slots are taken.
     *
     * @throws ProblemException {@code STATUS_RETRIEVAL_ERROR} when no slot frees up in time
     */
    synchronized Slot acquire(String host) {
        String key = host.toLowerCase(Locale.ROOT);
        long deadline = System.nanoTime() + waitNanos;
        while (inFlight.getOrDefault(key, 0) >= perHost) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw busy(key);
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw busy(key);
            }
        }
        inFlight.merge(key, 1, Integer::sum);
        return new Slot(key);
    }

    private ProblemException busy(String host) {
        return new ProblemException(ProblemType.STATUS_RETRIEVAL_ERROR, perHost + " status list fetches from " + host
                + " are already in flight and none finished within " + TimeUnit.NANOSECONDS.toMillis(waitNanos)
                + " ms; the host is slow or not answering, try again later");
    }
}
