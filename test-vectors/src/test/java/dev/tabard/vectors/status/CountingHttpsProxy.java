package dev.tabard.vectors.status;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.tabard.fetch.SelfSignedTls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An HTTPS reverse proxy on 127.0.0.1 in front of one server, recording every exchange that passes: the path, the
 * {@code If-None-Match} it carried, the status and the {@code ETag} that came back. It forwards {@code Accept} and
 * {@code If-None-Match} and answers with the server's status, body and caching headers, so a client behind it sees
 * the server as it is, and a test sees what went over the wire. An exchange is recorded before it is answered.
 */
final class CountingHttpsProxy implements AutoCloseable {

    /** One request and what the server answered. */
    record Exchange(String path, Optional<String> ifNoneMatch, int status, Optional<String> etag) {
    }

    private static final List<String> REQUEST_HEADERS = List.of("Accept", "If-None-Match");
    private static final List<String> RESPONSE_HEADERS = List.of("Content-Type", "ETag", "Cache-Control", "Vary", "Expires");
    private static final int MAX_PATH = 512;

    private final HttpsServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final HttpClient client;
    /** Set once the server behind it listens; until then every request is answered 503. */
    private volatile String target;
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

    /**
     * Listens on a free port of 127.0.0.1 with {@code tls}'s certificate; {@link #forwardTo} names the server behind it,
     * which can then be started on a port it binds itself, with this proxy's port in its URLs.
     */
    CountingHttpsProxy(SelfSignedTls tls) throws IOException {
        this.client = HttpClient.newBuilder().sslContext(tls.clientContext()).connectTimeout(Duration.ofSeconds(5)).build();
        this.server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
        server.setExecutor(executor);
        server.createContext("/", this::forward);
        server.start();
    }

    /** Forwards from now on to {@code https://localhost:targetPort}. */
    void forwardTo(int targetPort) {
        this.target = "https://localhost:" + targetPort;
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Every exchange so far, in the order they were answered. */
    List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    private void forward(HttpExchange ex) throws IOException {
        try {
            String path = ex.getRequestURI().getRawPath();
            String target = this.target;
            if (target == null) {
                ex.sendResponseHeaders(503, -1);
                return;
            }
            if (!"GET".equals(ex.getRequestMethod()) || path == null || path.length() > MAX_PATH || ex.getRequestURI().getRawQuery() != null) {
                ex.sendResponseHeaders(405, -1);
                return;
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + path)).timeout(Duration.ofSeconds(10)).GET();
            for (String h : REQUEST_HEADERS) {
                String v = ex.getRequestHeaders().getFirst(h);
                if (v != null) {
                    request.header(h, v);
                }
            }
            HttpResponse<byte[]> answer;
            try {
                answer = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ex.sendResponseHeaders(502, -1);
                return;
            }
            for (String h : RESPONSE_HEADERS) {
                answer.headers().firstValue(h).ifPresent(v -> ex.getResponseHeaders().set(h, v));
            }
            exchanges.add(new Exchange(path, Optional.ofNullable(ex.getRequestHeaders().getFirst("If-None-Match")), answer.statusCode(),
                    answer.headers().firstValue("ETag")));
            byte[] body = answer.body();
            ex.sendResponseHeaders(answer.statusCode(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                ex.getResponseBody().write(body);
            }
        } finally {
            ex.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
