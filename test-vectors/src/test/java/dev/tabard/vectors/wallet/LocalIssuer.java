package dev.tabard.vectors.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.fetch.FetchPolicy;
import dev.tabard.fetch.SafeFetcher;
import dev.tabard.fetch.SelfSignedTls;
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

/**
 * A real issuer for the wallet tests: did:web on {@code localhost}, HTTPS with a certificate made for the test, a fetch
 * policy that reaches it and trusts that certificate, and its admin API.
 */
public final class LocalIssuer implements AutoCloseable {

    private final SelfSignedTls tls = SelfSignedTls.localhost();
    private final IssuerServer server;
    private final String adminToken;
    private final HttpClient admin;
    /** {@code https://localhost:PORT}. */
    public final String base;
    /** Reaches the issuer (and only non-public hosts the test allows). */
    public final SafeFetcher fetcher;

    public LocalIssuer(Path data, String adminToken) throws Exception {
        this.adminToken = adminToken;
        // the did:web names the port, so it is chosen before the issuer binds it
        server = IssuerServer.start(new IssuerConfig(data, URI.create("https://localhost:0"), "web", "ACME",
                "issuer secret".toCharArray(), Duration.ofHours(1), Optional.of(adminToken), 0), Optional.of(tls.serverContext()),
                Clock.systemUTC());
        base = "https://localhost:" + server.port();
        fetcher = new SafeFetcher(FetchPolicy.builder().allowHost("localhost").trustCertificate(tls.certificate()).build());
        admin = HttpClient.newBuilder().sslContext(tls.clientContext()).build();
    }

    /** Calls the admin API; fails the test on anything but 2xx. */
    public JsonNode admin(String method, String path, String body) throws Exception {
        HttpResponse<String> r = admin.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json").method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(2, r.statusCode() / 100, r.body());
        return r.body().isEmpty() ? null : JsonCodec.parse(r.body());
    }

    @Override
    public void close() {
        server.close();
    }
}
