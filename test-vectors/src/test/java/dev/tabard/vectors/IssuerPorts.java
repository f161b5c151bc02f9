package dev.tabard.vectors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.function.IntFunction;

/**
 * Starting an in-process issuer on a port it cannot choose itself. The issuer's public URL (and so its did:web, its
 * OpenID4VCI identifier and its status-list URLs) names the port, so the number must be known before the server
 * binds it, and binding port 0 is not possible. Between choosing a free number and binding it another process may
 * take it; {@link dev.tabard.issuer.http.IssuerServer#start} then fails before it creates anything ("cannot listen on port"), and this
 * starts again on another number instead of failing the test.
 *
 * <pre>{@code
 * IssuerServer server = IssuerPorts.start(port -> IssuerServer.start(config(port), Optional.empty(), clock));
 * }</pre>
 */
public final class IssuerPorts {

    private static final int ATTEMPTS = 5;

    private IssuerPorts() {
    }

    /** Calls {@code startOn} with a free loopback port, again with another when that port was taken meanwhile. */
    public static <T> T start(IntFunction<T> startOn) {
        IllegalStateException last = null;
        for (int i = 0; i < ATTEMPTS; i++) {
            try {
                return startOn.apply(unusedPort());
            } catch (IllegalStateException e) {
                if (e.getMessage() == null || !e.getMessage().startsWith("cannot listen on port")) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    /** A port no socket holds right now; only for servers that must name their port before they bind it. */
    public static int unusedPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
