package dev.tabard.issuer.audit;

import dev.tabard.audit.AuditCheckpoint;
import dev.tabard.audit.AuditTrail;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the {@link AuditAnchor} current while the issuer runs: writes it at start, then from its own thread at most
 * every {@link #INTERVAL} when a newer head was signed, and once more at {@link #close}. Issuance never waits for it:
 * heads are read on the store's reader connection, and the file is written outside any transaction.
 *
 * <p>The anchor only moves forward: a store whose newest head is older than the anchor is never written over it.
 */
public final class AuditAnchorWriter implements AutoCloseable {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(AuditAnchorWriter.class);

    /**
     * How often the anchor follows the signed head. Deleting entries signed within the last interval before an
     * attack stays unnoticed, so it is short; one small forced write a second is nothing beside SQLite's own
     * commits, and shorter would put more forced writes on the disk issuance commits to.
     */
    public static final Duration INTERVAL = Duration.ofSeconds(1);

    private final AuditTrail trail;
    private final Path dataDir;
    private final ScheduledExecutorService scheduler;
    private Optional<AuditCheckpoint> written;

    private AuditAnchorWriter(AuditTrail trail, Path dataDir, Optional<AuditCheckpoint> written) {
        this.trail = trail;
        this.dataDir = dataDir;
        this.written = written;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "audit-anchor");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Writes the anchor for {@code trail}'s newest signed head now, then keeps it current. Call after
     * {@link AuditAnchor#requireHeldBy} and after the store signs its heads.
     *
     * @throws IllegalStateException when the anchor cannot be written: the issuer does not run without it
     */
    public static AuditAnchorWriter start(AuditTrail trail, Path dataDir) {
        Objects.requireNonNull(trail, "trail");
        Objects.requireNonNull(dataDir, "dataDir");
        AuditAnchorWriter w = new AuditAnchorWriter(trail, dataDir, AuditAnchor.read(dataDir));
        try {
            w.writeNewer();
        } catch (IOException | RuntimeException e) {
            w.scheduler.shutdownNow();
            throw new IllegalStateException("cannot write " + AuditAnchor.file(dataDir) + ": " + e.getMessage()
                    + "; the issuer needs write access to its data directory", e);
        }
        long millis = INTERVAL.toMillis();
        w.scheduler.scheduleWithFixedDelay(w::writeNewerLogged, millis, millis, TimeUnit.MILLISECONDS);
        return w;
    }

    /** The anchor as last written, or empty before the first signed head. */
    public synchronized Optional<AuditCheckpoint> anchor() {
        return written;
    }

    private void writeNewerLogged() {
        try {
            writeNewer();
        } catch (IOException | RuntimeException e) {
            // the next run tries again; a scheduled task that throws would never run again
            log.atError().setMessage("cannot update the audit anchor").addKeyValue("event", "audit.anchor.failed")
                    .addKeyValue("error", e.toString()).log();
        }
    }

    private synchronized void writeNewer() throws IOException {
        long writtenSeq = written.map(a -> a.head().seq()).orElse(0L);
        // one indexed read a second while nothing is signed; the head is parsed and verified only when it moved
        if (trail.latestAuditHead().map(h -> h.seq() <= writtenSeq).orElse(true)) {
            return;
        }
        Optional<AuditCheckpoint> newest = AuditAnchor.newestHead(trail);
        if (newest.isEmpty() || newest.get().head().seq() <= writtenSeq) {
            return;
        }
        AuditAnchor.write(dataDir, newest.get());
        written = newest;
    }

    /** Stops the schedule and writes the newest head once more; call before the store closes. */
    @Override
    public void close() {
        scheduler.shutdown();
        try {
            scheduler.awaitTermination(INTERVAL.toMillis() * 5, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writeNewerLogged();
    }
}
