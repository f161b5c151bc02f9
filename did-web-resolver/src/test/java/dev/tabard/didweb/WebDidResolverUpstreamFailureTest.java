package dev.tabard.didweb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.did.Did;
import dev.tabard.fetch.SafeFetcher;
import dev.tabard.fetch.TestHttpsServer;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A did:web host that fails is a fetch failure naming the host and what happened, never a malformed value or a DID
 * that does not exist; a 404 is still "not found" and a 200 with a broken document still an invalid document. Real
 * HTTPS on 127.0.0.1, and raw sockets for what no server library does on purpose (a reset, silence).
 */
@Timeout(30)
class WebDidResolverUpstreamFailureTest {

    private TestHttpsServer server;
    private final List<ServerSocket> raw = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = new TestHttpsServer();
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        for (ServerSocket s : raw) {
            s.close();
        }
    }

    private Did did(int port, String path) {
        return Did.parse("did:web:localhost%3A" + port + ":" + path);
    }

    private WebDidResolver resolver(Duration total) {
        return WebDidResolver.builder().fetcher(new SafeFetcher(server.policy().connectTimeout(total).totalTimeout(total).build())).build();
    }

    private static ProblemException fails(WebDidResolver r, Did did) {
        return assertThrows(ProblemException.class, () -> r.resolve(did));
    }

    private static void assertFetchFailure(ProblemException e, String host, String what) {
        assertEquals(ProblemType.FETCH_FAILED, e.type(), e.getMessage());
        String detail = e.problem().detail();
        assertTrue(detail.contains(host), detail);
        assertTrue(detail.contains(what), detail);
        assertFalse(detail.contains("Exception"), detail);
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {500, 502, 503, 504, 429})
    void resolve_hostAnswersAnError_fetchFailedNamingHostAndStatus(int status) {
        server.handle("/failing/did.json", ex -> TestHttpsServer.send(ex, status, "text/html", "<html><h1>Bad Gateway</h1></html>"));
        ProblemException e = fails(resolver(Duration.ofSeconds(5)), did(server.port(), "failing"));
        assertFetchFailure(e, "localhost:" + server.port(), "HTTP " + status);
        assertTrue(e.problem().detail().contains("try again later"), e.problem().detail());
    }

    @Test
    void resolve_errorWithABodyPastTheLimitOrAJsonBody_stillTheStatusThatWasSent() {
        server.handle("/huge/did.json", ex -> TestHttpsServer.send(ex, 503, "text/html", "x".repeat(300 * 1024)));
        server.handle("/json/did.json", ex -> TestHttpsServer.send(ex, 500, "application/json", "{\"error\": "));
        WebDidResolver r = resolver(Duration.ofSeconds(5));
        assertFetchFailure(fails(r, did(server.port(), "huge")), "localhost:" + server.port(), "HTTP 503");
        assertFetchFailure(fails(r, did(server.port(), "json")), "localhost:" + server.port(), "HTTP 500");
    }

    @Test
    void resolve_closedPort_fetchFailedConnectionRefused() throws IOException {
        // a socket bound to a port and not listening holds the port, and the kernel refuses connections to it
        try (Socket holder = new Socket()) {
            holder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int closed = holder.getLocalPort();
            assertFetchFailure(fails(resolver(Duration.ofSeconds(5)), did(closed, "x")), "localhost:" + closed, "refused the connection");
        }
    }

    @Test
    void resolve_hostResetsTheConnection_fetchFailedNamingTheHost() throws IOException {
        ServerSocket resetting = listen();
        Thread acceptor = new Thread(() -> {
            while (!resetting.isClosed()) {
                try (Socket s = resetting.accept()) {
                    s.setSoLinger(true, 0); // close with RST
                } catch (IOException closed) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        ProblemException e = fails(resolver(Duration.ofSeconds(5)), did(resetting.getLocalPort(), "x"));
        assertFetchFailure(e, "localhost:" + resetting.getLocalPort(), "localhost:" + resetting.getLocalPort());
    }

    @Test
    void resolve_hostNeverAnswers_fetchFailedTimedOut() throws IOException {
        ServerSocket silent = listen(); // the kernel accepts; nobody ever reads or writes
        ProblemException e = fails(resolver(Duration.ofMillis(800)), did(silent.getLocalPort(), "x"));
        assertFetchFailure(e, "localhost:" + silent.getLocalPort(), "timed out: no complete answer within 800 ms");
    }

    @Test
    void resolve_notFoundAndBrokenDocument_keepTheirOwnTypes() {
        server.handle("/gone/did.json", ex -> TestHttpsServer.send(ex, 404, "text/html", "<h1>nope</h1>"));
        server.json("/broken/did.json", "{\"id\": ");
        WebDidResolver r = resolver(Duration.ofSeconds(5));
        assertEquals(ProblemType.NOT_FOUND, fails(r, did(server.port(), "gone")).type());
        assertEquals(ProblemType.INVALID_DID_DOCUMENT, fails(r, did(server.port(), "broken")).type());
    }

    private ServerSocket listen() throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        raw.add(s);
        return s;
    }
}
