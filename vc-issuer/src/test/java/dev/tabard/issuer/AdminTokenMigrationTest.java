package dev.tabard.issuer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.issuer.http.IssuerServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store written before admin-token hashes were keyed (bare SHA-256, no key file) is re-keyed when a real issuer opens
 * it, and its tokens keep working over HTTP; the audit names the token, never part of its hash.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AdminTokenMigrationTest {

    private static final String ADMIN = "tabard_Jm2dY7s0Qx4kV1pH8cR5wN3zL6tF9bG2aE0uK7oI4yU";
    /** A token too weak for today's check, as an operator could have set before it existed. */
    private static final String LEGACY = "old-ops";

    @TempDir
    Path dir;
    private final HttpClient client = HttpClient.newHttpClient();

    /** did:key: the public URL names no port, so each start listens on any free one. */
    private IssuerServer start(Optional<String> adminToken) {
        return IssuerServer.start(new IssuerConfig(dir, URI.create("http://localhost"), "key", "ACME", "migration".toCharArray(),
                Duration.ofHours(1), adminToken, 0), Optional.empty(), Clock.systemUTC());
    }

    private HttpResponse<String> get(IssuerServer server, String path, String token) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void restart_overAStoreWithBareHashes_keepsEveryTokenWorkingAndKeysTheHashes() throws Exception {
        try (IssuerServer first = start(Optional.of(ADMIN))) {
            assertEquals(200, get(first, "/admin/audit", ADMIN).statusCode());
        }
        // what versions before the key left behind: bare SHA-256 hashes and no key file
        Files.delete(dir.resolve("admin-token.key"));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("issuer.db")); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE admin_tokens SET token_hash = '" + IssuerService.tokenHash(ADMIN) + "' WHERE name = 'bootstrap'");
            s.executeUpdate("INSERT INTO admin_tokens VALUES ('ops', '" + IssuerService.tokenHash(LEGACY) + "', 'revoke')");
        }

        try (IssuerServer second = start(Optional.empty())) {
            HttpResponse<String> audit = get(second, "/admin/audit", ADMIN);
            assertEquals(200, audit.statusCode(), audit.body());
            assertEquals(403, get(second, "/admin/audit", LEGACY).statusCode(), "the legacy token keeps its role, no more");
            assertEquals(401, get(second, "/admin/audit", ADMIN + "x").statusCode());
            HttpResponse<String> agents = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + second.port() + "/admin/agents"))
                    .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"did\":\"did:key:"
                            + "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK\",\"name\":\"a\",\"operator\":{\"name\":\"o\"},"
                            + "\"capabilities\":[\"x:y\"]}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, agents.statusCode(), agents.body());
            JsonNode entries = JsonCodec.parse(get(second, "/admin/audit", ADMIN).body());
            String all = entries.toString();
            assertTrue(all.contains("token:bootstrap"), all);
            assertTrue(!all.contains(IssuerService.tokenHash(ADMIN).substring(0, 12)), "no part of the token's hash is audited");
        }
        assertTrue(Files.exists(dir.resolve("admin-token.key")));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("issuer.db")); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM admin_tokens WHERE token_hash NOT LIKE 'hmac-sha256:%'")) {
            assertEquals(0, rs.getInt(1), "no bare hash is left in the database");
        }
    }
}
