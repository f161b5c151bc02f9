package dev.tabard.issuer.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.fetch.SelfSignedTls;
import dev.tabard.http.MetricsAccess;
import dev.tabard.http.TransportLimits;
import dev.tabard.issuer.IssuerConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The issuer's transport under attack: real TLS, real SQLite, sockets from distinct 127.x addresses. */
class IssuerServerTransportTest {

    private static final String ADMIN = "transport-admin-token-0123456789";
    private final SelfSignedTls tls = SelfSignedTls.localhost();
    private final HttpClient client = HttpClient.newBuilder().sslContext(tls.clientContext()).build();
    @TempDir
    Path dir;
    private IssuerServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start(Clock clock, TransportLimits limits) throws IOException {
        server = IssuerServer.start(new IssuerConfig(dir, URI.create("https://localhost:0"), "key", "ACME",
                "correct horse".toCharArray(), Duration.ofHours(1), Optional.of(ADMIN), 0), Optional.of(tls.serverContext()), clock,
                IssuerServer.VcApiAccess.TOKEN, new IssuerServer.Transport(limits, MetricsAccess.notServed()));
    }

    private HttpResponse<String> send(String method, String path, String contentType, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + path))
                .header("Authorization", "Bearer " + ADMIN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private SSLSocket tlsSocket(String source) throws IOException {
        Socket plain = new Socket();
        plain.bind(new InetSocketAddress(source, 0));
        plain.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
        SSLSocket s = (SSLSocket) tls.clientContext().getSocketFactory().createSocket(plain, "localhost", server.port(), true);
        s.setSoTimeout(20_000);
        s.startHandshake();
        return s;
    }

    private static void assertProblem(HttpResponse<String> r, int status, String type) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""), r.body());
        JsonNode p = JsonCodec.parse(r.body());
        assertEquals(status, p.get("status").asInt(), r.body());
        assertTrue(p.get("type").asText().endsWith("#" + type), r.body());
    }

    @Test
    @Timeout(90)
    void slowBodyFloodOverTls_healthAndAdminRequestsAnsweredPromptly_thenSlowSendersGet408() throws Exception {
        start(Clock.systemUTC(), TransportLimits.defaults().withBodyTimeout(Duration.ofSeconds(5)));
        List<SSLSocket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                SSLSocket s = tlsSocket("127.0.2." + (i + 1));
                OutputStream out = s.getOutputStream();
                out.write(("POST /admin/agents HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer x\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 100000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                slow.add(s);
            }
            long t0 = System.nanoTime();
            HttpResponse<String> health = send("GET", "/healthz", null, null);
            HttpResponse<String> tokens = send("GET", "/admin/keys", null, null);
            long millis = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("[flood] 200 slow bodies; issuer (TLS): /healthz + GET /admin/keys answered in " + millis + " ms");
            assertEquals(200, health.statusCode(), health.body());
            assertEquals(200, tokens.statusCode(), tokens.body());
            assertTrue(millis < 2_000, "honest requests took " + millis + " ms during the flood");
            for (SSLSocket s : slow) {
                String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
                assertTrue(answer.contains("REQUEST_TIMEOUT"), answer);
            }
        } finally {
            for (SSLSocket s : slow) {
                s.close();
            }
        }
    }

    @Test
    @Timeout(60)
    void nonceFlood_fromOneAddress_rateLimited_otherWalletsStillGetNonces() throws Exception {
        start(Clock.fixed(Instant.now(), ZoneOffset.UTC), TransportLimits.defaults());
        int ok = 0;
        int limited = 0;
        for (int i = 0; i < 120; i++) {
            try (SSLSocket s = tlsSocket("127.0.3.1")) {
                s.getOutputStream().write("POST /oid4vci/nonce HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (answer.startsWith("HTTP/1.1 2")) {
                    ok++;
                } else {
                    assertTrue(answer.startsWith("HTTP/1.1 429") && answer.contains("RATE_LIMITED") && answer.contains("Retry-After"), answer);
                    limited++;
                }
            }
        }
        assertEquals(IssuerServer.NONCE_RATE.burst(), ok);
        assertEquals(120 - ok, limited);
        HttpResponse<String> honest = send("POST", "/oid4vci/nonce", null, null);
        assertEquals(2, honest.statusCode() / 100, honest.body());
    }

    @Test
    @Timeout(60)
    void tokenEndpoint_takesFormsOnly_andIsRateLimited() throws Exception {
        start(Clock.fixed(Instant.now(), ZoneOffset.UTC), TransportLimits.defaults());
        assertProblem(send("POST", "/oid4vci/token", "application/json", "{\"grant_type\":\"x\"}"), 415, "UNSUPPORTED_MEDIA_TYPE");
        HttpResponse<String> form = send("POST", "/oid4vci/token", "application/x-www-form-urlencoded",
                "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Apre-authorized_code&pre-authorized_code=guess");
        assertEquals(400, form.statusCode(), "a form reaches the endpoint, which refuses the guessed code: " + form.body());
        HttpResponse<String> last = form;
        for (int i = 0; i < IssuerServer.TOKEN_RATE.burst(); i++) {
            last = send("POST", "/oid4vci/token", "application/x-www-form-urlencoded", "grant_type=x&pre-authorized_code=guess" + i);
        }
        assertProblem(last, 429, "RATE_LIMITED");
    }

    @Test
    @Timeout(60)
    void malformedAdminRequests_problemJsonWithTheirStatus() throws Exception {
        start(Clock.systemUTC(), TransportLimits.defaults());
        assertProblem(send("POST", "/admin/agents", "text/plain", "{\"did\":\"did:example:1\"}"), 415, "UNSUPPORTED_MEDIA_TYPE");
        assertProblem(send("POST", "/admin/agents", null, "{\"did\":\"did:example:1\"}"), 415, "UNSUPPORTED_MEDIA_TYPE");
        HttpResponse<String> wrongMethod = send("DELETE", "/admin/agents", null, null);
        assertProblem(wrongMethod, 405, "METHOD_NOT_ALLOWED");
        assertTrue(wrongMethod.headers().firstValue("Allow").orElse("").contains("POST"), wrongMethod.headers().toString());
        assertProblem(send("GET", "/no-such-thing", null, null), 404, "ROUTE_NOT_FOUND");
        assertProblem(send("POST", "/admin/agents", "application/json", "x".repeat(IssuerServer.MAX_BODY_BYTES + 1)), 413, "INPUT_TOO_LARGE");
        assertProblem(send("GET", "/metrics", null, null), 404, "ROUTE_NOT_FOUND");
    }

    /**
     * Every way a request can miss: a path nothing serves, a method a path does not take (HEAD and OPTIONS included), a
     * path under /.well-known that is not did.json, a static-looking path, and ids that name nothing. Each has its own
     * type; none says "DID not found", since none of them resolved a DID.
     */
    @Test
    @Timeout(60)
    void missedRoutesMethodsAndIds_eachTheirOwnProblemType_neverDidNotFound() throws Exception {
        start(Clock.systemUTC(), TransportLimits.defaults());
        for (String path : List.of("/", "/nowhere", "/.well-known/", "/.well-known/security.txt", "/.well-known/did.json/x",
                "/.well-known/did.jsonx", "/favicon.ico", "/static/app.js", "/index.html", "/admin", "/status")) {
            assertProblem(send("GET", path, null, null), 404, "ROUTE_NOT_FOUND");
            assertProblem(send("PATCH", path, null, null), 404, "ROUTE_NOT_FOUND");
            HttpResponse<String> head = send("HEAD", path, null, null);
            assertEquals(404, head.statusCode(), path);
            assertEquals("application/problem+json", head.headers().firstValue("Content-Type").orElse(""), path);
        }
        // this issuer is a did:key issuer: no did.json to serve, and no DID was looked up to say so
        HttpResponse<String> noDocument = send("GET", "/.well-known/did.json", null, null);
        assertProblem(noDocument, 404, "ROUTE_NOT_FOUND");
        assertTrue(noDocument.body().contains("did:key:"), noDocument.body());
        for (String[] wrong : new String[][] {{"DELETE", "/admin/agents", "GET, POST, HEAD"}, {"PUT", "/.well-known/did.json", "GET, HEAD"},
                {"POST", "/healthz", "GET, HEAD"}, {"OPTIONS", "/admin/keys", "GET, POST, HEAD"}, {"OPTIONS", "/oid4vci/token", "POST"},
                {"HEAD", "/oid4vci/nonce", "POST"}, {"GET", "/oid4vci/credential", "POST"}, {"TRACE", "/healthz", "GET, HEAD"}}) {
            HttpResponse<String> r = send(wrong[0], wrong[1], null, null);
            assertEquals(405, r.statusCode(), wrong[0] + " " + wrong[1]);
            if (!wrong[0].equals("HEAD")) {
                assertProblem(r, 405, "METHOD_NOT_ALLOWED");
            }
            assertEquals(List.of(wrong[2].split(", ")), List.of(r.headers().firstValue("Allow").orElse("").split(", ")),
                    wrong[0] + " " + wrong[1]);
        }
        assertProblem(send("POST", "/admin/credentials/urn:uuid:x/obliterate", null, null), 404, "ROUTE_NOT_FOUND");
        // HEAD is GET without the body: an admin route refuses it without a token, as GET does
        HttpResponse<String> headWithoutToken = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + server.port()
                + "/admin/agents")).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, headWithoutToken.statusCode());
        assertEquals(200, send("HEAD", "/admin/agents", null, null).statusCode());
        assertProblem(send("GET", "/status/abc", null, null), 404, "RESOURCE_NOT_FOUND");
        assertProblem(send("GET", "/status/999", null, null), 404, "RESOURCE_NOT_FOUND");
        assertProblem(send("GET", "/admin/agents/did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", null, null), 404,
                "RESOURCE_NOT_FOUND");
        assertProblem(send("POST", "/admin/keys/no-such-key/activate", null, null), 404, "RESOURCE_NOT_FOUND");
        assertProblem(send("POST", "/admin/credentials/urn:uuid:none/revoke", null, null), 404, "RESOURCE_NOT_FOUND");
    }
}
