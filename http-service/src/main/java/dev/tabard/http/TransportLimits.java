package dev.tabard.http;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a client may take to send a request, and how many connections one client address may hold. A server
 * built without limits gets {@link #defaults()}; tests shorten the times so that a flood finishes in seconds.
 *
 * <p><b>Security:</b> a request's body is read without holding a handler thread (see {@link HttpService}), so a
 * client that sends slowly costs a connection and a buffer, not a thread; these limits bound how long and how many.
 *
 * @param headersTimeout time from opening a connection until the first request's line and headers are complete
 *     (a later request on a kept-alive connection gets at most twice this); slower clients are disconnected
 * @param bodyTimeout time to receive the whole body once the headers are in; slower clients get 408
 *     {@code REQUEST_TIMEOUT}
 * @param idleTimeout time a connection may stay silent, between requests or in the middle of one
 * @param maxConnectionsPerAddress open connections one client address may hold; more are closed on accept
 */
public record TransportLimits(Duration headersTimeout, Duration bodyTimeout, Duration idleTimeout, int maxConnectionsPerAddress) {

    /** Ten seconds for the request line and headers: a few hundred bytes that any client sends at once. */
    public static final Duration HEADERS_TIMEOUT = Duration.ofSeconds(10);
    /** Thirty seconds for a body of at most 1 MB: 33 KB/s, slower than any network an agent runs on. */
    public static final Duration BODY_TIMEOUT = Duration.ofSeconds(30);
    /** Thirty seconds of silence, the usual keep-alive for HTTP clients that pool connections. */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    /**
     * Sixty-four connections per client address: a connection-pooling client opens a handful (the JDK client and
     * okhttp use at most 5 to 64 per host), while 200 slow connections from one address are refused.
     */
    public static final int MAX_CONNECTIONS_PER_ADDRESS = 64;

    public TransportLimits {
        Objects.requireNonNull(headersTimeout, "headersTimeout");
        Objects.requireNonNull(bodyTimeout, "bodyTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (headersTimeout.isNegative() || headersTimeout.isZero() || bodyTimeout.isNegative() || bodyTimeout.isZero()
                || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        if (maxConnectionsPerAddress < 1) {
            throw new IllegalArgumentException("maxConnectionsPerAddress must be at least 1");
        }
    }

    /** The production limits: the named constants of this class. */
    public static TransportLimits defaults() {
        return new TransportLimits(HEADERS_TIMEOUT, BODY_TIMEOUT, IDLE_TIMEOUT, MAX_CONNECTIONS_PER_ADDRESS);
    }

    public TransportLimits withHeadersTimeout(Duration timeout) {
        return new TransportLimits(timeout, bodyTimeout, idleTimeout, maxConnectionsPerAddress);
    }

    public TransportLimits withBodyTimeout(Duration timeout) {
        return new TransportLimits(headersTimeout, timeout, idleTimeout, maxConnectionsPerAddress);
    }

    public TransportLimits withIdleTimeout(Duration timeout) {
        return new TransportLimits(headersTimeout, bodyTimeout, timeout, maxConnectionsPerAddress);
    }

    public TransportLimits withMaxConnectionsPerAddress(int max) {
        return new TransportLimits(headersTimeout, bodyTimeout, idleTimeout, max);
    }
}
