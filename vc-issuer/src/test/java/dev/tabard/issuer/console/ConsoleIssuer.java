package dev.tabard.issuer.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.issuer.IssuerConfig;
import dev.tabard.issuer.http.IssuerServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** A real issuer (did:key, SQLite in a temporary directory) on 127.0.0.1 over HTTP, with a known admin token. */
final class ConsoleIssuer implements AutoCloseable {

    static final String ADMIN = "tabard_Qm3xZk8vT1rYbN5cW2hL9pD4sF7gJ0aE6uI3oK8yR1t";

    final IssuerServer server;
    final String base;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ConsoleIssuer(Path dir) {
        IssuerConfig config = new IssuerConfig(dir, URI.create("http://localhost:1"), "key", "ACME Corp",
                "console test secret".toCharArray(), Duration.ofHours(1), Optional.of(ADMIN), 0);
        server = IssuerServer.start(config, Optional.empty(), Clock.systemUTC());
        base = "http://127.0.0.1:" + server.port();
    }

    HttpResponse<String> send(String method, String path, Optional<String> token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An admin API call with the admin token that must succeed; its JSON body, or null for 204. */
    JsonNode admin(String method, String path, String body) throws Exception {
        HttpResponse<String> r = send(method, path, Optional.of(ADMIN), body);
        if (r.statusCode() / 100 != 2) {
            throw new AssertionError(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.statusCode() == 204 ? null : JsonCodec.reader().readTree(r.body());
    }

    @Override
    public void close() {
        server.close();
    }
}
