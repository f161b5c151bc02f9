package dev.tabard.fetch;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTPS server on 127.0.0.1 with a certificate made for the test. */
public final class TestHttpsServer implements AutoCloseable {

    public final SelfSignedTls tls = SelfSignedTls.localhost();
    public final AtomicInteger requests = new AtomicInteger();
    private final HttpsServer server;

    public TestHttpsServer() throws IOException {
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String origin() {
        return "https://localhost:" + port();
    }

    public void handle(String path, HttpHandler handler) {
        server.createContext(path, exchange -> {
            requests.incrementAndGet();
            try {
                handler.handle(exchange);
            } finally {
                exchange.close();
            }
        });
    }

    public void json(String path, String body) {
        handle(path, ex -> send(ex, 200, "application/json", body));
    }

    public static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        if (type != null) {
            ex.getResponseHeaders().set("Content-Type", type);
        }
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        }
    }

    /** A fetch policy that reaches this server: localhost allowed, its certificate trusted. */
    public FetchPolicy.Builder policy() {
        return FetchPolicy.builder().allowHost("localhost").trustCertificate(tls.certificate());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
