package dev.tabard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.did.Did;
import dev.tabard.fetch.SelfSignedTls;
import dev.tabard.issuer.IssuerConfig;
import dev.tabard.issuer.http.IssuerServer;
import dev.tabard.wallet.Wallet;
import dev.tabard.wallet.store.StoredCredential;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * One organization of a demo: its issuer on 127.0.0.1 over HTTPS (did:web:localhost%3APORT), with an admin token made
 * per run, and the admin calls the demos make: register an agent, offer its credential, revoke.
 */
final class DemoOrg implements AutoCloseable {

    private final IssuerServer issuer;
    private final String base;
    private final String admin;
    private final HttpClient http;

    private DemoOrg(IssuerServer issuer, String admin, HttpClient http) {
        this.issuer = issuer;
        this.base = "https://localhost:" + issuer.port();
        this.admin = admin;
        this.http = http;
    }

    /** Starts {@code name}'s issuer with its data under {@code dir}, serving TLS with {@code tls}. */
    static DemoOrg start(Path dir, String name, SelfSignedTls tls) throws Exception {
        String admin = token();
        // port 0: the did:web follows the port the issuer binds
        IssuerServer issuer = IssuerServer.start(new IssuerConfig(dir, URI.create("https://localhost:0"), "web", name,
                "demo secret: use TABARD_SECRET in production".toCharArray(), Duration.ofHours(1), Optional.of(admin), 0),
                Optional.of(tls.serverContext()), Clock.systemUTC());
        return new DemoOrg(issuer, admin, HttpClient.newBuilder().sslContext(tls.clientContext()).build());
    }

    Did did() {
        return issuer.service().did();
    }

    String base() {
        return base;
    }

    /** Registers {@code wallet}'s agent as {@code registration} (the admin API's JSON, without the DID) and hands it its credential. */
    StoredCredential enroll(Wallet wallet, String registration) throws Exception {
        admin("POST", "/admin/agents", "{\"did\":\"" + wallet.did() + "\"," + registration.substring(registration.indexOf('{') + 1));
        JsonNode offer = admin("POST", "/admin/agents/" + wallet.did() + "/offer?tx_code=true", null);
        return wallet.receive(offer.get("offer_url").asText(), offer.get("tx_code").asText());
    }

    /** Calls the issuer's admin API with this run's token; a non-2xx answer is an error. */
    JsonNode admin(String method, String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + admin)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body().isEmpty() ? JsonCodec.objectNode() : JsonCodec.parse(r.body());
    }

    /** A demo's story, run in a temporary directory that is removed afterwards. */
    @FunctionalInterface
    interface Story {
        int run(Path dir) throws Exception;
    }

    /**
     * Runs {@code story} in a new temporary directory, removed at the end, with the servers' logs quieted to warnings
     * (the story is on standard output) unless {@code TABARD_LOG_LEVEL} is set.
     */
    static int inTemporaryDirectory(String prefix, Story story) throws Exception {
        if (System.getenv("TABARD_LOG_LEVEL") == null) {
            for (String logger : new String[] {"dev.tabard", "org.eclipse.jetty", "io.javalin"}) {
                ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(logger)).setLevel(ch.qos.logback.classic.Level.WARN);
            }
        }
        Path dir = java.nio.file.Files.createTempDirectory(prefix);
        try {
            return story.run(dir);
        } finally {
            try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Made per run, as an operator would with `openssl rand -base64 32`: a fixed token in the source would be public. */
    private static String token() {
        byte[] b = new byte[32];
        new java.security.SecureRandom().nextBytes(b);
        return "tabard_" + dev.tabard.codec.Base64Url.encode(b);
    }

    @Override
    public void close() {
        issuer.close();
    }
}
