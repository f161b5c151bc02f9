package dev.tabard.issuer.store;

import dev.tabard.did.Did;
import dev.tabard.issuer.delegations.RegisteredDelegation;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Group commit for issuance: one writer thread takes every waiting issuance (up to {@value #MAX_BATCH}) into one
 * transaction, so the cost of a commit (and of taking the audit chain's lock) is shared. Each caller is answered only
 * after its transaction committed; if the transaction fails, every issuance in it fails and none of it is stored. On
 * close the queue is drained before the thread ends, and later issuances are refused.
 */
final class IssueWriter {

    static final int MAX_BATCH = 256;

    /** An issuance waiting for the group commit. */
    record Pending(String credentialId, Did agent, Instant issued, Instant validUntil, String keyId, String format, IssuerStore.Audit audit,
                   Optional<RegisteredDelegation> delegation) {
    }

    private record Queued(Pending issue, CompletableFuture<IssuedCredential> result) {
    }

    private final BlockingQueue<Queued> queue = new LinkedBlockingQueue<>();
    /** Writes one batch in one transaction, answering in the batch's order. */
    private final Function<List<Pending>, List<IssuedCredential>> commit;
    private final Thread thread;
    private volatile boolean closed;

    IssueWriter(Function<List<Pending>, List<IssuedCredential>> commit) {
        this.commit = commit;
        this.thread = new Thread(this::run, "issuer-store-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Queues {@code issue} and waits for its commit.
     *
     * @throws ProblemException {@link ProblemType#SERVICE_UNAVAILABLE} once the store is closing
     */
    IssuedCredential submit(Pending issue) {
        CompletableFuture<IssuedCredential> result = new CompletableFuture<>();
        synchronized (queue) {
            // checked and queued under one lock with close(), so nothing is queued after the writer's last drain
            if (closed) {
                throw new ProblemException(ProblemType.SERVICE_UNAVAILABLE, "the issuer is shutting down");
            }
            queue.add(new Queued(issue, result));
        }
        try {
            return result.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException("issuance did not complete", e);
        }
    }

    private void run() {
        List<Queued> batch = new ArrayList<>();
        while (!closed || !queue.isEmpty()) {
            try {
                Queued first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.clear();
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
            } catch (InterruptedException e) {
                if (closed) {
                    continue; // drain what is left
                }
                return;
            }
            try {
                List<IssuedCredential> done = commit.apply(batch.stream().map(Queued::issue).toList());
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).result().complete(done.get(i));
                }
            } catch (RuntimeException e) {
                batch.forEach(q -> q.result().completeExceptionally(e));
            }
        }
    }

    /** Stops taking issuances and waits (up to 30 s) until every queued one is committed or failed. */
    void close() {
        synchronized (queue) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
