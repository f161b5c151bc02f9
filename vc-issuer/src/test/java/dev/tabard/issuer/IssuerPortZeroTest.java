package dev.tabard.issuer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.tabard.fetch.SelfSignedTls;
import dev.tabard.issuer.http.IssuerServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --port 0}: the issuer listens on any free port, and its default public URL, hence its did:web, names that port. */
class IssuerPortZeroTest {

    @TempDir
    Path dir;

    private IssuerConfig config(URI publicUrl, int port) {
        return new IssuerConfig(dir, publicUrl, "web", "ACME Corp", "correct horse".toCharArray(), Duration.ofHours(1), Optional.empty(), port);
    }

    @Test
    void portZero_didWebAndDocumentNameTheBoundPort() throws Exception {
        SelfSignedTls tls = SelfSignedTls.localhost();
        try (IssuerServer server = IssuerServer.start(config(URI.create("https://localhost:0"), 0), Optional.of(tls.serverContext()),
                Clock.systemUTC())) {
            String base = "https://localhost:" + server.port();
            assertEquals(URI.create(base), server.publicUrl());
            assertEquals("did:web:localhost%3A" + server.port(), server.service().did().toString());
            HttpResponse<String> doc = HttpClient.newBuilder().sslContext(tls.clientContext()).build()
                    .send(HttpRequest.newBuilder(URI.create(base + "/.well-known/did.json")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, doc.statusCode());
            assertEquals("did:web:localhost%3A" + server.port(), dev.tabard.codec.JsonCodec.parse(doc.body()).get("id").asText());
        }
    }

    @Test
    void aPublicUrlTheOperatorGave_isKeptWhateverThePort() {
        IssuerConfig given = config(URI.create("https://acme.example"), 0);
        assertSame(given, given.onBoundPort(41234));
        IssuerConfig fixed = config(URI.create("https://localhost:0"), 8443);
        assertSame(fixed, fixed.onBoundPort(8443));
        assertEquals(URI.create("https://localhost:41234/tenant"), config(URI.create("https://localhost:0/tenant"), 0).onBoundPort(41234).publicUrl());
    }
}
