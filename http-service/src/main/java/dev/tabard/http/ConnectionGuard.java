package dev.tabard.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.HttpConnection;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Watches every connection a connector opens. It closes a connection on accept when its client address already
 * holds {@link TransportLimits#maxConnectionsPerAddress()}, and closes one whose request line and headers are not
 * complete within {@link TransportLimits#headersTimeout()} (Jetty bounds only the silence between bytes, so a
 * client sending a header byte at a time would otherwise hold its connection for hours).
 *
 * <p>Jetty calls this for each layer of a connection (TLS, then HTTP); addresses are counted on the layer over the
 * socket, the header deadline on the HTTP layer. Thread-safe.
 */
final class ConnectionGuard implements Connection.Listener {

    private final TransportLimits limits;
    private final Scheduler scheduler;
    private final Map<InetAddress, AtomicInteger> open = new ConcurrentHashMap<>();
    private final Map<Connection, InetAddress> addresses = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong headerTimeouts = new AtomicLong();

    ConnectionGuard(TransportLimits limits, Scheduler scheduler) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    @Override
    public void onOpened(Connection connection) {
        EndPoint endPoint = connection.getEndPoint();
        if (endPoint instanceof SocketChannelEndPoint) {
            InetAddress address = address(endPoint);
            // a closed endpoint no longer knows its peer: remember whom to release
            addresses.put(connection, address);
            int count = open.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
            if (count > limits.maxConnectionsPerAddress()) {
                refused.incrementAndGet();
                endPoint.close();
                return;
            }
        }
        if (connection instanceof HttpConnection) {
            watchHeaders((HttpConnection) connection, -1, false);
        }
    }

    @Override
    public void onClosed(Connection connection) {
        InetAddress address = addresses.remove(connection);
        if (address != null) {
            open.computeIfPresent(address, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
        }
    }

    /**
     * Checks the connection every headers timeout. The first request's headers must be complete at the first check;
     * a later request may be between its first header byte and its last at one check, but not at two in a row.
     */
    private void watchHeaders(HttpConnection connection, long requestsBefore, boolean midHeadersBefore) {
        scheduler.schedule(() -> {
            if (!connection.getEndPoint().isOpen()) {
                return;
            }
            long requests = connection.getMessagesIn();
            boolean midHeaders = connection.getParser().inHeaderState() && !connection.getParser().isStart();
            boolean firstRequestLate = requests == 0;
            boolean laterRequestLate = requests == requestsBefore && midHeaders && midHeadersBefore;
            if (firstRequestLate || laterRequestLate) {
                headerTimeouts.incrementAndGet();
                connection.getEndPoint().close();
                return;
            }
            watchHeaders(connection, requests, midHeaders);
        }, limits.headersTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private static InetAddress address(EndPoint endPoint) {
        InetSocketAddress remote = endPoint.getRemoteAddress();
        return remote == null ? InetAddress.getLoopbackAddress() : remote.getAddress();
    }

    /** Connections closed on accept because their address was over the cap. */
    long refusedConnections() {
        return refused.get();
    }

    /** Connections closed because their headers took too long. */
    long headerTimeouts() {
        return headerTimeouts.get();
    }

    /** Open connections from {@code address} (for tests). */
    int openConnections(InetAddress address) {
        AtomicInteger n = open.get(address);
        return n == null ? 0 : n.get();
    }
}
