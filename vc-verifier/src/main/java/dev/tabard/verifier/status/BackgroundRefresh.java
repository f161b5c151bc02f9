package dev.tabard.verifier.status;

import dev.tabard.problem.ProblemException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs status-list refreshes off the verification path: a small pool of daemon threads that exist only while there
 * is work (they stop after {@link #IDLE}, so a verifier dropped without {@code close} holds none), a bounded queue
 * (an offer over it is dropped: the list is then fetched when it expires, as without this class), at most one
 * refresh per URL in flight, and after a failure a wait that doubles from {@link #FIRST_RETRY} to
 * {@link #LAST_RETRY} before that URL is tried again. Offering never blocks. Thread-safe.
 */
final class BackgroundRefresh implements AutoCloseable {

    static final int THREADS = 2;
    static final int QUEUE = 64;
    static final Duration IDLE = Duration.ofSeconds(30);
    static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    static final Duration LAST_RETRY = Duration.ofMinutes(5);

    private static final Logger log = LoggerFactory.getLogger(BackgroundRefresh.class);
    private static final AtomicInteger POOLS = new AtomicInteger();

    private record Retry(int failures, Instant notBefore) {
    }

    private final Clock clock;
    private final ThreadPoolExecutor pool;
    private final Set<URI> inFlight = ConcurrentHashMap.newKeySet();
    private final Map<URI, Retry> retries = new ConcurrentHashMap<>();
    private volatile boolean closed;

    BackgroundRefresh(Clock clock) {
        this.clock = clock;
        this.pool = new ThreadPoolExecutor(THREADS, THREADS, IDLE.toMillis(), TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUE), daemons("tabard-status-refresh-" + POOLS.incrementAndGet() + "-"));
        pool.allowCoreThreadTimeOut(true);
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Starts {@code refresh} for {@code uri} unless one is in flight, the URL is waiting out a failure, the queue is
     * full or this was closed. {@code refresh} throws {@link ProblemException} when it could not refresh.
     */
    void offer(URI uri, Runnable refresh) {
        if (closed) {
            return;
        }
        Retry retry = retries.get(uri);
        if (retry != null && clock.instant().isBefore(retry.notBefore())) {
            return;
        }
        if (!inFlight.add(uri)) {
            return;
        }
        try {
            pool.execute(() -> run(uri, refresh));
        } catch (RejectedExecutionException e) {
            inFlight.remove(uri);
        }
    }

    private void run(URI uri, Runnable refresh) {
        try {
            refresh.run();
            retries.remove(uri);
        } catch (ProblemException e) {
            Retry r = failed(uri);
            log.debug("refreshing status list {} failed ({} in a row), next try after {}: {}", uri, r.failures(), r.notBefore(),
                    e.problem().detail());
        } catch (RuntimeException e) {
            failed(uri);
            log.warn("refreshing status list {} failed unexpectedly", uri, e);
        } finally {
            inFlight.remove(uri);
        }
    }

    private Retry failed(URI uri) {
        if (retries.size() >= StatusListCache.MAX_ENTRIES) {
            retries.clear();
        }
        return retries.compute(uri, (u, r) -> {
            int failures = r == null ? 1 : r.failures() + 1;
            Duration wait = FIRST_RETRY.multipliedBy(1L << Math.min(failures - 1, 16));
            return new Retry(failures, clock.instant().plus(wait.compareTo(LAST_RETRY) > 0 ? LAST_RETRY : wait));
        });
    }

    /** A verification fetched {@code uri} itself: earlier background failures no longer delay its next refresh. */
    void fetched(URI uri) {
        retries.remove(uri);
    }

    /** How many refreshes are queued or running. */
    int inFlight() {
        return inFlight.size();
    }

    /** Whether a refresh of {@code uri} is queued or running. */
    boolean inFlight(URI uri) {
        return inFlight.contains(uri);
    }

    /** Background refreshes of {@code uri} that failed since the last one that succeeded. */
    int failures(URI uri) {
        Retry r = retries.get(uri);
        return r == null ? 0 : r.failures();
    }

    /** Stops taking refreshes and interrupts those running; a fetch under way still ends by its own timeout. */
    @Override
    public void close() {
        closed = true;
        pool.shutdownNow();
    }
}
