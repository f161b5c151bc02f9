package dev.tabard.cli;

import static dev.tabard.cli.Run.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.issuer.IssuerConfig;
import dev.tabard.issuer.http.IssuerServer;
import dev.tabard.issuer.store.OwnerOnlyFiles;
import dev.tabard.issuer.store.SqliteIssuerStore;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tabard issuer token} and the refusals of {@code tabard issuer serve} an operator meets in the first hour, run
 * as commands against real data directories and real servers on 127.0.0.1.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IssuerTokenCommandTest {

    private static final String SECRET = "token command secret";

    @TempDir
    Path dir;

    private IssuerServer start(String publicUrl, int port) {
        return IssuerServer.start(new IssuerConfig(dir, URI.create(publicUrl), publicUrl.startsWith("https") ? "web" : "key", "ACME",
                SECRET.toCharArray(), Duration.ofHours(1), Optional.empty(), port), Optional.empty(), Clock.systemUTC());
    }

    private void writeSecret() throws Exception {
        OwnerOnlyFiles.createDirectories(dir);
        OwnerOnlyFiles.writeString(dir.resolve("secret"), SECRET);
    }

    @Test
    void token_mintedFromTheDataDirectory_opensTheAdminApi() throws Exception {
        start("http://localhost", 0).close(); // did:key: the public URL need not name the port
        writeSecret();
        Run r = run("issuer", "token", "--data", dir.toString(), "--name", "ops-recovery");
        assertEquals(0, r.code(), r.err());
        Matcher m = Pattern.compile("admin token 'ops-recovery' \\(role admin; shown once, keep it\\): (tabard_\\S+)").matcher(r.out());
        assertTrue(m.find(), r.out());
        try (IssuerServer server = start("http://localhost", 0)) {
            HttpResponse<String> keys = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.port() + "/admin/keys")).header("Authorization", "Bearer " + m.group(1)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, keys.statusCode(), keys.body());
            assertTrue(server.service().store().audit(0, 1000).stream().anyMatch(e -> e.action().equals("admin.token.create")
                    && e.subject().equals("ops-recovery") && e.actor().startsWith("cli:")), "the minting is audited");
        }
    }

    @Test
    void token_withoutAnIssuerOrWithTheWrongSecretOrRole_refusedAndNothingMinted() throws Exception {
        Run none = run("issuer", "token", "--data", dir.toString());
        assertEquals(2, none.code());
        assertTrue(none.err().contains("no issuer in"), none.err());
        start("http://localhost", 0).close();
        OwnerOnlyFiles.writeString(dir.resolve("secret"), "not the secret");
        Run wrong = run("issuer", "token", "--data", dir.toString(), "--name", "x");
        assertEquals(1, wrong.code(), wrong.out());
        assertTrue(wrong.err().contains("wrong secret"), wrong.err());
        assertFalse(wrong.out().contains("tabard_"), "no token printed");
        writeSecret();
        Run role = run("issuer", "token", "--data", dir.toString(), "--role", "root");
        assertEquals(2, role.code());
        assertTrue(role.err().contains("--role is issue, revoke or admin"), role.err());
        try (SqliteIssuerStore store = SqliteIssuerStore.open(dir.resolve("issuer.db"), Clock.systemUTC(), new SecureRandom())) {
            assertTrue(store.audit(0, 1000).stream().noneMatch(e -> e.subject().equals("x")));
        }
    }

    @Test
    void serve_onATakenPort_failsAndLeavesNoStore() throws Exception {
        writeSecret();
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Run r = run("issuer", "serve", "--data", dir.toString(), "--port", Integer.toString(taken.getLocalPort()));
            assertEquals(2, r.code(), r.out());
            assertTrue(r.err().contains("cannot listen on port " + taken.getLocalPort()), r.err());
            assertFalse(r.out().contains("admin token"), r.out());
        }
        assertFalse(Files.exists(dir.resolve("issuer.db")), "no keys, DID or token were made");
    }

    @Test
    void serve_onTheSameDataUnderAnotherPort_refusedWithTheStoredDidAndTheWayOut() throws Exception {
        // port 0: the did:web follows the port bound
        int first;
        try (var server = start("https://localhost:0", 0)) {
            first = server.port();
        }
        writeSecret();
        Run r = run("issuer", "serve", "--data", dir.toString(), "--port", "0");
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains("did:web:localhost%3A" + first), r.err());
        assertTrue(r.err().contains("--public-url https://localhost:" + first), r.err());
        assertTrue(r.err().contains("fresh --data"), r.err());
    }
}
