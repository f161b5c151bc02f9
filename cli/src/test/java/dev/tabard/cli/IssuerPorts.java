package dev.tabard.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.function.IntFunction;

/**
 * Starting an in-process issuer whose public URL (and so its did:web) must name its port before the server binds it,
 * so that binding port 0 is not possible. Another process may take the chosen number before the issuer binds it;
 * the issuer then fails before it creates anything ("cannot listen on port"), and this starts it again on another
 * number instead of failing the test. Processes that can bind port 0 and print it are started with {@code --port 0}.
 *
 * <pre>{@code
 * IssuerServer issuer = IssuerPorts.start(port -> IssuerServer.start(config("https://localhost:" + port, port), tls, clock));
 * }</pre>
 */
final class IssuerPorts {

    private static final int ATTEMPTS = 5;

    private IssuerPorts() {
    }

    /** Calls {@code startOn} with a free loopback port, again with another when that port was taken meanwhile. */
    static <T> T start(IntFunction<T> startOn) {
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

    /** A port no socket holds right now; only for servers that must be told their port before they bind it. */
    static int unusedPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
