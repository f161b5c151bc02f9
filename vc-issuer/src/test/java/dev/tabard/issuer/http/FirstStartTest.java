package dev.tabard.issuer.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.audit.AuditLog;
import dev.tabard.issuer.IssuerConfig;
import dev.tabard.issuer.Issuers;
import dev.tabard.issuer.store.SqliteIssuerStore;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator's first hour with the issuer: a start that cannot listen leaves nothing behind, a restart under another
 * address is refused with the way out, and a lost admin token is replaced from the data directory. Real servers on
 * 127.0.0.1 and real SQLite files.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FirstStartTest {

    private static final String SECRET = "first start secret";
    private final HttpClient client = HttpClient.newHttpClient();
    @TempDir
    Path dir;

    private IssuerConfig config(String publicUrl, int port, Optional<String> token) {
        return new IssuerConfig(dir, URI.create(publicUrl), publicUrl.startsWith("https") ? "web" : "key", "ACME", SECRET.toCharArray(),
                Duration.ofHours(1), token, port);
    }

    private int status(IssuerServer server, String path, String token) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void start_portTaken_createsNothing_andTheNextStartShowsTheFirstToken() throws Exception {
        int port;
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            port = taken.getLocalPort();
            IssuerConfig config = config("http://localhost:" + port, port, Optional.empty());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> IssuerServer.start(config, Optional.empty(),
                    Clock.systemUTC()));
            assertTrue(e.getMessage().contains("cannot listen on port " + port), e.getMessage());
            assertFalse(Files.exists(dir.resolve("issuer.db")), "no store, so no keys, DID or token");
        }
        // did:key: the next start may listen anywhere (port 0), not on the number just released, which another may take
        try (IssuerServer server = IssuerServer.start(config("http://localhost:" + port, 0, Optional.empty()), Optional.empty(),
                Clock.systemUTC())) {
            String token = server.service().firstAdminToken().orElseThrow(() -> new AssertionError("the first token is shown"));
            assertEquals(200, status(server, "/admin/keys", token));
        }
    }

    @Test
    void start_portTaken_thenAGivenToken_isTheOneThatWorks() throws Exception {
        String given = "tabard_" + dev.tabard.codec.Base64Url.encode(new SecureRandom().generateSeed(32));
        int port;
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            port = taken.getLocalPort();
            assertThrows(IllegalStateException.class, () -> IssuerServer.start(config("http://localhost:" + port, port, Optional.empty()),
                    Optional.empty(), Clock.systemUTC()));
        }
        try (IssuerServer server = IssuerServer.start(config("http://localhost:" + port, 0, Optional.of(given)), Optional.empty(),
                Clock.systemUTC())) {
            assertTrue(server.service().firstAdminToken().isEmpty());
            assertEquals(200, status(server, "/admin/keys", given));
        }
    }

    @Test
    void restart_anotherPublicUrlOrPort_isRefusedNamingTheStoredDidAndTheWayOut() throws Exception {
        // port 0: the did:web follows the port bound
        int first;
        try (IssuerServer server = IssuerServer.start(config("https://localhost:0", 0, Optional.empty()), Optional.empty(), Clock.systemUTC())) {
            first = server.port();
            assertEquals("did:web:localhost%3A" + first, server.service().did().toString());
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> IssuerServer.start(config("https://localhost:0",
                0, Optional.empty()), Optional.empty(), Clock.systemUTC()));
        assertTrue(e.getMessage().contains("did:web:localhost%3A" + first), e.getMessage());
        assertTrue(e.getMessage().contains("--public-url https://localhost:" + first), e.getMessage());
        assertTrue(e.getMessage().contains("fresh --data"), e.getMessage());
        // keeping the public URL and listening elsewhere is fine
        try (IssuerServer moved = IssuerServer.start(config("https://localhost:" + first, 0, Optional.empty()), Optional.empty(),
                Clock.systemUTC())) {
            assertEquals("did:web:localhost%3A" + first, moved.service().did().toString());
        }
    }

    @Test
    void mintAdminToken_fromTheDataDirectory_worksAuditedAndSigned() throws Exception {
        try (IssuerServer server = IssuerServer.start(config("http://localhost", 0, Optional.empty()), Optional.empty(),
                Clock.systemUTC())) {
            assertTrue(server.service().firstAdminToken().isPresent());
        }
        String token;
        try (SqliteIssuerStore store = SqliteIssuerStore.open(dir.resolve("issuer.db"), Clock.systemUTC(), new SecureRandom())) {
            token = Issuers.mintAdminToken(store, SECRET.toCharArray(), "ops-recovery", "admin", "cli:ops", Clock.systemUTC(),
                    new SecureRandom());
            assertTrue(store.audit(0, 1000).stream().anyMatch(e -> e.action().equals("admin.token.create")
                    && e.subject().equals("ops-recovery") && e.actor().equals("cli:ops")));
            assertTrue(AuditLog.verify(store, Optional.empty(), Optional.empty()).intact(), "the new entry is signed like any other");
        }
        try (IssuerServer server = IssuerServer.start(config("http://localhost", 0, Optional.empty()), Optional.empty(),
                Clock.systemUTC())) {
            assertEquals(200, status(server, "/admin/keys", token));
        }
    }

    @Test
    void mintAdminToken_wrongSecretOrNoOrganization_refused() throws Exception {
        try (SqliteIssuerStore empty = SqliteIssuerStore.open(dir.resolve("empty.db"), Clock.systemUTC(), new SecureRandom())) {
            assertThrows(IllegalStateException.class, () -> Issuers.mintAdminToken(empty, SECRET.toCharArray(), "x", "admin", "cli:ops",
                    Clock.systemUTC(), new SecureRandom()));
        }
        IssuerServer.start(config("http://localhost", 0, Optional.empty()), Optional.empty(), Clock.systemUTC()).close();
        try (SqliteIssuerStore store = SqliteIssuerStore.open(dir.resolve("issuer.db"), Clock.systemUTC(), new SecureRandom())) {
            ProblemException e = assertThrows(ProblemException.class, () -> Issuers.mintAdminToken(store, "wrong".toCharArray(), "x",
                    "admin", "cli:ops", Clock.systemUTC(), new SecureRandom()));
            assertEquals(ProblemType.UNAUTHORIZED, e.type());
            e = assertThrows(ProblemException.class, () -> Issuers.mintAdminToken(store, SECRET.toCharArray(), "x", "root", "cli:ops",
                    Clock.systemUTC(), new SecureRandom()));
            assertEquals(ProblemType.MALFORMED_VALUE_ERROR, e.type());
        }
    }
}
