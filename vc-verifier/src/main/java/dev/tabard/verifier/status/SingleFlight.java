package dev.tabard.verifier.status;

import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One load per key at a time: the first caller for a key runs it, and the callers that arrive while it runs wait for
 * its result (or its problem) instead of loading again. A burst of verifications against a list nobody has yet
 * makes one request to its host, not one per verification. The waiting is bounded by the load's own bounds (the
 * fetcher's timeout, the wait for a host slot). Thread-safe.
 *
 * @param <K> what a load is for
 * @param <V> what it yields
 */
final class SingleFlight<K, V> {

    private record Flight<V>(CompletableFuture<V> result, AtomicInteger waiting) {
    }

    private final Map<K, Flight<V>> flights = new ConcurrentHashMap<>();

    /**
     * The result of {@code load} for {@code key}, run here unless another caller is running it for the same key.
     *
     * @throws ProblemException what {@code load} threw, in every caller that waited for it; {@code STATUS_RETRIEVAL_ERROR}
     *     when the wait is interrupted
     */
    V run(K key, Supplier<V> load) {
        Objects.requireNonNull(key, "key");
        Flight<V> mine = new Flight<>(new CompletableFuture<>(), new AtomicInteger());
        Flight<V> running = flights.putIfAbsent(key, mine);
        if (running != null) {
            return await(key, running);
        }
        try {
            V v = load.get();
            mine.result().complete(v);
            return v;
        } catch (RuntimeException e) {
            mine.result().completeExceptionally(e);
            throw e;
        } finally {
            flights.remove(key, mine);
        }
    }

    private V await(K key, Flight<V> running) {
        running.waiting().incrementAndGet();
        try {
            return running.result().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(ProblemType.STATUS_RETRIEVAL_ERROR, "interrupted while another verification fetched " + key);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ProblemException p) {
                throw new ProblemException(p.problems());
            }
            throw new IllegalStateException("loading " + key + " failed", e.getCause());
        } finally {
            running.waiting().decrementAndGet();
        }
    }

    /** How many callers are waiting now for the load of {@code key} another one runs. */
    int waiting(K key) {
        Flight<V> f = flights.get(key);
        return f == null ? 0 : f.waiting().get();
    }
}
