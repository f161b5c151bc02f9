package dev.tabard.fetch;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.Protocol;

/**
 * What happened on the way to one response: whether a TCP connection was made at all, which tells "could not
 * connect" from "connected, then no answer" when a timeout ends the call. Each TCP connection made also counts on
 * the fetcher's counter, TLS or not, whether or not the handshake then succeeds.
 */
final class CallEvents extends EventListener {

    private final AtomicLong connections;
    private volatile boolean connected;
    private volatile boolean counted;

    CallEvents(AtomicLong connections) {
        this.connections = connections;
    }

    /** Whether any TCP connection of this call was established. */
    boolean connected() {
        return connected;
    }

    @Override
    public void connectStart(Call call, InetSocketAddress address, Proxy proxy) {
        counted = false;
    }

    /** TCP is up once TLS starts. */
    @Override
    public void secureConnectStart(Call call) {
        tcpConnected();
    }

    /** For plain HTTP this is the first sign that TCP is up; after TLS it repeats one already counted. */
    @Override
    public void connectEnd(Call call, InetSocketAddress address, Proxy proxy, Protocol protocol) {
        tcpConnected();
    }

    private void tcpConnected() {
        if (!counted) {
            counted = true;
            connected = true;
            connections.incrementAndGet();
        }
    }
}
