package dev.tabard.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SafeFetcherTest {

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

    private ProblemType fails(SafeFetcher f, String url) {
        return assertThrows(ProblemException.class, () -> f.get(URI.create(url), JSON)).type();
    }

    @Test
    void fetchesFromAnAllowListedHostWithATrustedCertificate() {
        SafeFetcher f = new SafeFetcher(server.policy().build());
        FetchedResource r = f.get(URI.create(server.origin() + "/ok"), JSON);
        assertEquals(200, r.status());
        assertEquals("{\"ok\":true}", new String(r.body().toByteArray()));
        assertEquals(1, f.connections());
    }

    @Test
    void loopbackAndIpLiteralsAreRefusedByDefault() {
        SafeFetcher f = new SafeFetcher(FetchPolicy.builder().trustCertificate(server.tls.certificate()).build());
        assertEquals(ProblemType.FETCH_REFUSED, fails(f, server.origin() + "/ok"));
        assertEquals(ProblemType.FETCH_REFUSED, fails(f, "https://127.0.0.1:" + server.port() + "/ok"));
        assertEquals(ProblemType.FETCH_REFUSED, fails(f, "https://[::1]:" + server.port() + "/ok"));
        assertEquals(ProblemType.FETCH_REFUSED, fails(f, "https://169.254.169.254/latest/meta-data"));
        assertEquals(ProblemType.FETCH_REFUSED, fails(f, "https://2130706433/ok"));
        assertEquals(0, server.requests.get());
        assertEquals(0, f.connections());
    }

    @Test
    void plainHttpOtherSchemesAndUserinfoAreRefused() {
        SafeFetcher f = new SafeFetcher(server.policy().build());
        assertEquals(ProblemType.FETCH_REFUSED, fails(f, "http://localhost:" + server.port() + "/ok"));
        assertEquals(ProblemType.FETCH_REFUSED, fails(f, "file:///etc/hostname"));
        assertEquals(ProblemType.FETCH_REFUSED, fails(f, "https://user:pw@localhost:" + server.port() + "/ok"));
    }

    @Test
    void untrustedCertificateFails() {
        SafeFetcher f = new SafeFetcher(FetchPolicy.builder().allowHost("localhost").build());
        assertEquals(ProblemType.FETCH_FAILED, fails(f, server.origin() + "/ok"));
    }

    @Test
    void oversizedBodiesAreRefusedWhetherDeclaredOrChunked() {
        String big = "{\"a\":\"" + "x".repeat(FetchPolicy.DEFAULT_MAX_BODY_BYTES) + "\"}";
        server.json("/big", big);
        server.handle("/chunked", ex -> {
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, 0); // chunked
            try (OutputStream out = ex.getResponseBody()) {
                for (int i = 0; i < 400; i++) {
                    out.write(new byte[1024]);
                }
            } catch (IOException ignored) {
                // the client hangs up once it has read enough
            }
        });
        SafeFetcher f = new SafeFetcher(server.policy().build());
        assertEquals(ProblemType.INPUT_TOO_LARGE, fails(f, server.origin() + "/big"));
        assertEquals(ProblemType.INPUT_TOO_LARGE, fails(f, server.origin() + "/chunked"));
    }

    @Test
    void aServerThatStopsMidBodyIsCutOffAtTheDeadline() {
        server.handle("/slow", ex -> {
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                out.write('{');
                out.flush();
                release.await(); // and nothing more until the test is over
            } catch (IOException | InterruptedException ignored) {
                // cut off
            }
        });
        SafeFetcher f = new SafeFetcher(server.policy().totalTimeout(Duration.ofMillis(800)).build());
        ProblemException e = assertThrows(ProblemException.class, () -> f.get(URI.create(server.origin() + "/slow"), JSON));
        assertEquals(ProblemType.FETCH_FAILED, e.type());
        assertTrue(e.problem().detail().contains("timed out") || e.problem().detail().contains("deadline"), e.getMessage());
    }

    @Test
    void redirectsAreFollowedWithinLimitsAndOnlyWithinTheOrigin() {
        server.handle("/r1", ex -> {
            ex.getResponseHeaders().set("Location", "/ok");
            TestHttpsServer.send(ex, 302, null, "");
        });
        server.handle("/loop", ex -> {
            ex.getResponseHeaders().set("Location", "/loop");
            TestHttpsServer.send(ex, 307, null, "");
        });
        server.handle("/away", ex -> {
            ex.getResponseHeaders().set("Location", "https://127.0.0.1:" + server.port() + "/ok");
            TestHttpsServer.send(ex, 301, null, "");
        });
        SafeFetcher f = new SafeFetcher(server.policy().build());
        assertEquals(200, f.get(URI.create(server.origin() + "/r1"), JSON).status());
        assertEquals(ProblemType.FETCH_REFUSED, fails(f, server.origin() + "/loop"));
        assertEquals(ProblemType.FETCH_REFUSED, fails(f, server.origin() + "/away"));
        SafeFetcher crossOrigin = new SafeFetcher(server.policy().crossOriginRedirects(true).build());
        // the new host is checked again: 127.0.0.1 is not allow-listed
        assertEquals(ProblemType.FETCH_REFUSED, fails(crossOrigin, server.origin() + "/away"));
    }

    @Test
    void mediaTypeIsChecked() {
        server.handle("/html", ex -> TestHttpsServer.send(ex, 200, "text/html", "<html></html>"));
        SafeFetcher f = new SafeFetcher(server.policy().build());
        assertEquals(ProblemType.REPRESENTATION_NOT_SUPPORTED, fails(f, server.origin() + "/html"));
    }

    @Test
    void postsJson() {
        server.handle("/echo", ex -> TestHttpsServer.send(ex, 201, "application/json",
                new String(ex.getRequestBody().readAllBytes())));
        SafeFetcher f = new SafeFetcher(server.policy().build());
        FetchedResource r = f.postJson(URI.create(server.origin() + "/echo"), "{\"x\":1}".getBytes(), JSON, java.util.Map.of());
        assertEquals(201, r.status());
        assertEquals("{\"x\":1}", new String(r.body().toByteArray()));
    }

    @Test
    void addressRules() throws Exception {
        for (String a : new String[] {"127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
            "0.0.0.0", "224.0.0.1", "255.255.255.255", "198.18.0.1", "::1", "::", "fe80::1", "fc00::1", "fd12::1",
            "::ffff:127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::7f00:1", "2002:7f00:1::", "ff02::1"}) {
            assertFalse(AddressRules.isPublic(InetAddress.getByName(a)), a);
        }
        for (String a : new String[] {"8.8.8.8", "1.1.1.1", "2001:4860:4860::8888", "::ffff:8.8.8.8"}) {
            assertTrue(AddressRules.isPublic(InetAddress.getByName(a)), a);
        }
    }
}
