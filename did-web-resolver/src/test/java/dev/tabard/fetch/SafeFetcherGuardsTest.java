package dev.tabard.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The guards the fetcher keeps around the HTTP client, against real servers on 127.0.0.1: only checked addresses are
 * connected to (a stand-in resolver plays the DNS answers no real name gives), every redirect hop is checked again, a
 * body is cut off mid-stream at the limit, and a server that never answers is cut off at the deadline.
 */
@Timeout(30)
class SafeFetcherGuardsTest {

    private static final Set<String> JSON = Set.of("application/json");
    private final CountDownLatch release = new CountDownLatch(1);
    private TestHttpsServer server;

    @BeforeEach
    void start() throws IOException {
        server = new TestHttpsServer();
        server.json("/ok", "{\"ok\":true}");
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.close();
    }

    /** Stands in for DNS: {@code name} has these addresses, every other name none. */
    private static CheckedDns.HostLookup dns(String name, String... addresses) {
        return host -> {
            if (!host.equals(name)) {
                throw new UnknownHostException(host);
            }
            InetAddress[] out = new InetAddress[addresses.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = InetAddress.getByName(addresses[i]);
            }
            return out;
        };
    }

    private static ProblemException fails(SafeFetcher f, String url) {
        return assertThrows(ProblemException.class, () -> f.get(URI.create(url), JSON));
    }

    @Test
    void get_nameWithAPublicAndAPrivateAddress_neverConnectsToThePrivateOne() throws IOException {
        HttpServer plain = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AtomicInteger reached = new AtomicInteger();
        plain.createContext("/", ex -> {
            reached.incrementAndGet();
            TestHttpsServer.send(ex, 200, "application/json", "{}");
        });
        plain.start();
        try {
            // 192.0.2.1 (TEST-NET-1) counts as public and answers nobody; 127.0.0.1 is where the server is
            FetchPolicy policy = FetchPolicy.builder().allowPlainHttp("mixed.test").connectTimeout(Duration.ofMillis(300))
                    .totalTimeout(Duration.ofSeconds(3)).build();
            SafeFetcher f = new SafeFetcher(policy, dns("mixed.test", "127.0.0.1", "192.0.2.1"));
            ProblemException e = fails(f, "http://mixed.test:" + plain.getAddress().getPort() + "/");
            assertEquals(ProblemType.FETCH_FAILED, e.type(), e.getMessage());
            assertEquals(0, reached.get(), "the private address was used");
        } finally {
            plain.stop(0);
        }
    }

    @Test
    void get_nameWithOnlyPrivateAddresses_refusedBeforeAnyConnection() {
        SafeFetcher f = new SafeFetcher(FetchPolicy.builder().trustCertificate(server.tls.certificate()).build(),
                dns("internal.test", "10.0.0.7", "127.0.0.1"));
        ProblemException e = fails(f, "https://internal.test:" + server.port() + "/ok");
        assertEquals(ProblemType.FETCH_REFUSED, e.type());
        assertEquals("internal.test resolves only to non-public addresses (10.0.0.7); allow-list the host to reach it",
                e.problem().detail());
        assertEquals(0, f.connections());
        assertEquals(0, server.requests.get());
    }

    @Test
    void get_redirectToANameOnAPrivateAddress_refusedAtThatHop() {
        server.handle("/hop", ex -> {
            ex.getResponseHeaders().set("Location", "https://localhost:" + server.port() + "/ok");
            TestHttpsServer.send(ex, 302, null, "");
        });
        // 127.0.0.1 is allowed by name; localhost, where the redirect goes, is not, and it resolves to loopback
        SafeFetcher f = new SafeFetcher(FetchPolicy.builder().allowHost("127.0.0.1").crossOriginRedirects(true)
                .trustCertificate(server.tls.certificate()).build());
        ProblemException e = fails(f, "https://127.0.0.1:" + server.port() + "/hop");
        assertEquals(ProblemType.FETCH_REFUSED, e.type());
        assertTrue(e.problem().detail().startsWith("localhost resolves only to non-public addresses"), e.getMessage());
        assertEquals(1, server.requests.get(), "only the first hop was fetched");
        assertEquals(1, f.connections());
    }

    @Test
    void get_chunkedBodyPastTheLimit_cutOffMidStream() throws Exception {
        long endless = 1L << 30;
        AtomicLong written = new AtomicLong();
        AtomicBoolean hungUp = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(1);
        server.handle("/endless", ex -> {
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, 0); // chunked, no length
            byte[] chunk = new byte[16 * 1024];
            try (OutputStream out = ex.getResponseBody()) {
                while (written.get() < endless) {
                    out.write(chunk);
                    written.addAndGet(chunk.length);
                }
            } catch (IOException e) {
                hungUp.set(true);
            } finally {
                done.countDown();
            }
        });
        SafeFetcher f = new SafeFetcher(server.policy().maxBodyBytes(64 * 1024).build());
        assertEquals(ProblemType.INPUT_TOO_LARGE, fails(f, server.origin() + "/endless").type());
        assertTrue(done.await(20, TimeUnit.SECONDS), "the server noticed the client leave");
        assertTrue(hungUp.get(), "the client hung up mid-stream");
        assertTrue(written.get() < 32L << 20, "the client read on after the limit: " + written.get() + " bytes sent");
    }

    @Test
    void get_serverNeverAnswers_cutOffAtTheCallDeadline() throws InterruptedException {
        CountDownLatch arrived = new CountDownLatch(1);
        server.handle("/silent", ex -> {
            arrived.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        SafeFetcher f = new SafeFetcher(server.policy().totalTimeout(Duration.ofSeconds(2)).build());
        ProblemException e = fails(f, server.origin() + "/silent");
        assertEquals(ProblemType.FETCH_FAILED, e.type());
        assertEquals("localhost:" + server.port() + " timed out: no complete answer within 2000 ms (fetching " + server.origin()
                + "/silent); try again later", e.problem().detail());
        assertTrue(arrived.await(10, TimeUnit.SECONDS), "the request reached the server");
    }

    @Test
    void get_stallAfterARedirect_cutOffAtTheDeadline() {
        server.handle("/first", ex -> {
            ex.getResponseHeaders().set("Location", "/stall");
            TestHttpsServer.send(ex, 307, null, "");
        });
        server.handle("/stall", ex -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        SafeFetcher f = new SafeFetcher(server.policy().totalTimeout(Duration.ofSeconds(2)).build());
        ProblemException e = fails(f, server.origin() + "/first");
        assertEquals(ProblemType.FETCH_FAILED, e.type());
        assertTrue(e.problem().detail().contains("timed out"), e.getMessage());
        assertEquals(2, server.requests.get(), "the redirect was followed, then the second hop stalled");
    }
}
