package dev.tabard.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.http.testing.PrometheusText;
import dev.tabard.testing.LogCapture;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.servlet.FilterHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The transport's defences, each attack performed for real over sockets on 127.0.0.1. */
class HttpServiceTest {

    private static final String PROBLEM_TYPES = "https://w3id.org/tabard/problems#";
    private HttpService server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpService start(HttpServiceBuilder builder) {
        server = builder.build();
        server.app().get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
        server.app().post("/echo", ctx -> ctx.contentType("application/json").result(ctx.body()));
        server.app().post("/token", ctx -> ctx.contentType("application/json")
                .result(JsonCodec.writeString(Map.of("grant_type", String.valueOf(ctx.formParam("grant_type"))))));
        server.app().post("/limited", ctx -> ctx.status(201).result("{}"));
        return server.start();
    }

    private static TransportLimits shortLimits() {
        return TransportLimits.defaults().withHeadersTimeout(Duration.ofSeconds(2)).withBodyTimeout(Duration.ofSeconds(3))
                .withIdleTimeout(Duration.ofSeconds(10));
    }

    private static void assertProblem(RawHttp.Response r, int status, String type) {
        assertEquals(status, r.status(), r.body());
        assertEquals("application/problem+json", r.header("Content-Type"), r.body());
        JsonNode json = r.json();
        assertEquals(status, json.get("status").asInt(), r.body());
        assertTrue(json.get("type").asText().endsWith("#" + type), r.body());
        assertFalse(r.body().contains("<html") || r.body().contains("at org.") || r.body().contains("at io."), r.body());
    }

    @Test
    @Timeout(60)
    void slowBodyFlood_fromTwoHundredAddresses_healthAndHonestRequestsAnsweredPromptly_thenEachGets408() throws Exception {
        start(HttpService.builder("test-http").limits(shortLimits()));
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                Socket s = RawHttp.connect("127.0.0." + (2 + i), server.port(), 15_000);
                OutputStream out = s.getOutputStream();
                out.write(("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                slow.add(s);
            }
            long t0 = System.nanoTime();
            RawHttp.Response health = RawHttp.exchange(server.port(), RawHttp.get("/healthz"));
            RawHttp.Response honest = RawHttp.exchange(server.port(), RawHttp.post("/echo", "application/json", "{\"a\":1}"));
            long millis = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("[flood] 200 slow bodies; http-service: /healthz + POST /echo answered in " + millis + " ms");
            assertEquals(200, health.status());
            assertEquals(200, honest.status());
            assertEquals("{\"a\":1}", honest.body());
            assertTrue(millis < 2_000, "honest requests took " + millis + " ms during the flood");
            // every slow sender is cut off at the body deadline with a 408 it can read
            for (Socket s : slow) {
                assertProblem(RawHttp.read(s.getInputStream()), 408, "REQUEST_TIMEOUT");
            }
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    @Test
    @Timeout(30)
    void bodiesHeldOpen_pastOneAddressesShareOfTheBodyBudget_get503_whileAnotherAddressIsServed() throws Exception {
        // 8,000 bytes in all, so 1,000 per address: two half-sent 600-byte bodies from one address are one too many
        start(HttpService.builder("test-http").maxBodyBytes(1_000).bodyBudgetBytes(8_000));
        try (Socket first = RawHttp.connect("127.0.3.1", server.port(), 10_000);
             Socket second = RawHttp.connect("127.0.3.1", server.port(), 10_000)) {
            String head = "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 900\r\n\r\n";
            first.getOutputStream().write((head + "\"" + "a".repeat(599)).getBytes(StandardCharsets.US_ASCII));
            first.getOutputStream().flush();
            awaitBodyBytesHeld(600); // the first body's share is taken before the second asks for more than is left
            RawHttp.Response served = RawHttp.exchange("127.0.3.2", server.port(), RawHttp.post("/echo", "application/json", "[1]"));
            assertEquals(200, served.status(), served.body());
            second.getOutputStream().write((head + "\"" + "b".repeat(599)).getBytes(StandardCharsets.US_ASCII));
            second.getOutputStream().flush();
            RawHttp.Response shed = RawHttp.read(second.getInputStream());
            assertProblem(shed, 503, "SERVICE_UNAVAILABLE");
            assertEquals("1", shed.header("Retry-After"));
            // the first body completes and is answered: its share was never taken from it
            first.getOutputStream().write(("a".repeat(299) + "\"").getBytes(StandardCharsets.US_ASCII));
            first.getOutputStream().flush();
            assertEquals(200, RawHttp.read(first.getInputStream()).status());
        }
        RawHttp.Response after = RawHttp.exchange("127.0.3.1", server.port(), RawHttp.post("/echo", "application/json", "[2]"));
        assertEquals(200, after.status(), "the address's share is given back when its bodies are done: " + after.body());
    }

    /** Waits, up to a deadline, until the server holds {@code bytes} of bodies being received. */
    private void awaitBodyBytesHeld(long bytes) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (server.bodyBytesHeld() < bytes) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the server holds " + server.bodyBytesHeld() + " body bytes, not " + bytes);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    @Test
    @Timeout(30)
    void connectionsPerAddress_overTheCap_closedOnAccept_otherAddressesServed() throws Exception {
        start(HttpService.builder("test-http").limits(TransportLimits.defaults().withMaxConnectionsPerAddress(4)));
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                held.add(RawHttp.connect("127.0.1.7", server.port(), 5_000));
            }
            // the first four are kept: each answers a request, so each is counted before the fifth arrives
            for (Socket s : held) {
                s.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals(200, RawHttp.read(s.getInputStream()).status());
            }
            try (Socket fifth = RawHttp.connect("127.0.1.7", server.port(), 5_000)) {
                fifth.getOutputStream().write(RawHttp.get("/healthz").getBytes(StandardCharsets.US_ASCII));
                assertEquals(-1, readOrEof(fifth.getInputStream()), "the fifth connection from one address is closed");
            }
            assertEquals(200, RawHttp.exchange("127.0.1.8", server.port(), RawHttp.get("/healthz")).status());
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    @Timeout(30)
    void connectionsPerAddress_closedConnectionsAreReleased_sequentialClientNeverRefused() throws Exception {
        // a cap of 8 leaves room for the close of the previous connection being processed after the next opens
        start(HttpService.builder("test-http").limits(TransportLimits.defaults().withMaxConnectionsPerAddress(8)));
        for (int i = 0; i < 200; i++) {
            assertEquals(200, RawHttp.exchange("127.0.1.9", server.port(), RawHttp.get("/healthz")).status(), "request " + i);
        }
    }

    private static int readOrEof(InputStream in) {
        try {
            return in.read();
        } catch (IOException reset) {
            return -1;
        }
    }

    @Test
    @Timeout(30)
    void slowHeaders_byteByByte_connectionClosedAtTheHeadersDeadline() throws Exception {
        start(HttpService.builder("test-http").limits(shortLimits()));
        try (Socket s = RawHttp.connect("127.0.0.1", server.port(), 10_000)) {
            long t0 = System.nanoTime();
            s.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: a".getBytes(StandardCharsets.US_ASCII));
            assertEquals(-1, readOrEof(s.getInputStream()));
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(millis >= 1_500 && millis < 6_000, "closed after " + millis + " ms");
        }
    }

    @Test
    @Timeout(30)
    void malformedRequests_eachAnsweredWithProblemJsonAndItsStatus() throws Exception {
        start(HttpService.builder("test-http").maxBodyBytes(1_000).formRoute("/token"));
        int port = server.port();
        // an encoded '/' never reaches a route as a separator: no route matches it
        assertProblem(RawHttp.exchange(port, RawHttp.get("/healthz%2F")), 404, "ROUTE_NOT_FOUND");
        assertProblem(RawHttp.exchange(port, RawHttp.get("/a%2F..%2Fhealthz")), 404, "ROUTE_NOT_FOUND");
        assertProblem(RawHttp.exchange(port, RawHttp.get("/healthz%00")), 400, "MALFORMED_VALUE_ERROR");
        assertProblem(RawHttp.exchange(port, RawHttp.get("/a/%2E%2E/%2E%2E/healthz")), 400, "MALFORMED_VALUE_ERROR");
        assertProblem(RawHttp.exchange(port, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 4\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), 400, "MALFORMED_VALUE_ERROR");
        assertProblem(RawHttp.exchange(port, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n"), 431,
                "INPUT_TOO_LARGE");
        assertProblem(RawHttp.exchange(port, RawHttp.get("/" + "a".repeat(20_000))), 414, "INPUT_TOO_LARGE");
        assertProblem(RawHttp.exchange(port, RawHttp.get("/nowhere")), 404, "ROUTE_NOT_FOUND");
        RawHttp.Response wrongMethod = RawHttp.exchange(port, "DELETE /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertProblem(wrongMethod, 405, "METHOD_NOT_ALLOWED");
        assertEquals("GET, HEAD", wrongMethod.header("Allow"));
        assertProblem(RawHttp.exchange(port, "BREW /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 405, "METHOD_NOT_ALLOWED");
        assertProblem(RawHttp.exchange(port, RawHttp.post("/echo", "text/plain", "{\"a\":1}")), 415, "UNSUPPORTED_MEDIA_TYPE");
        assertProblem(RawHttp.exchange(port, RawHttp.post("/echo", null, "{\"a\":1}")), 415, "UNSUPPORTED_MEDIA_TYPE");
        assertProblem(RawHttp.exchange(port, RawHttp.post("/token", "application/json", "{}")), 415, "UNSUPPORTED_MEDIA_TYPE");
        assertProblem(RawHttp.exchange(port, RawHttp.post("/echo", "application/json", "x".repeat(1_001))), 413, "INPUT_TOO_LARGE");
        assertProblem(RawHttp.exchange(port, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked"
                + "\r\n\r\n3e9\r\n" + "x".repeat(1_001) + "\r\n0\r\n\r\n"), 413, "INPUT_TOO_LARGE");
        // what is well-formed still works: JSON with parameters, +json types, forms on the form route
        assertEquals(200, RawHttp.exchange(port, RawHttp.post("/echo", "application/json; charset=utf-8", "{}")).status());
        assertEquals(200, RawHttp.exchange(port, RawHttp.post("/echo", "application/vc+ld+json", "{}")).status());
        RawHttp.Response form = RawHttp.exchange(port, RawHttp.post("/token", "application/x-www-form-urlencoded", "grant_type=x%3Ay"));
        assertEquals(200, form.status(), form.body());
        assertEquals("x:y", form.json().get("grant_type").asText());
        assertEquals("{}", RawHttp.exchange(port, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n").body());
    }

    @Test
    @Timeout(30)
    void handlerFailure_fileTurnedIntoDirectory_answers500WithTheIncidentIdOfTheLoggedStackTrace(@TempDir Path dir) throws Exception {
        Path settings = dir.resolve("settings.json");
        Files.writeString(settings, "{}");
        server = HttpService.builder("test-http").build();
        server.app().get("/settings", ctx -> ctx.result(Files.readString(settings)));
        server.start();
        assertEquals(200, RawHttp.exchange(server.port(), RawHttp.get("/settings")).status());
        Files.delete(settings);
        Files.createDirectory(settings); // reading it now fails inside the handler, as a real operational fault would
        RawHttp.Response r;
        String log;
        Optional<String> logged;
        try (LogCapture capture = new LogCapture()) {
            r = RawHttp.exchange(server.port(), RawHttp.get("/settings"));
            log = capture.text();
            logged = capture.incident();
        }
        assertProblem(r, 500, "INTERNAL_ERROR");
        String incident = r.json().get("incident").asText();
        assertTrue(incident.matches("[0-9a-f]{16}"), r.body());
        assertEquals(Optional.of(incident), logged, log);
        assertEquals("urn:tabard:incident:" + incident, r.json().get("instance").asText(), r.body());
        assertTrue(log.contains("java.io.IOException") && log.contains("\tat "), "the log holds the stack trace: " + log);
        assertFalse(r.body().contains(settings.toString()) || r.body().contains("IOException"), r.body());
        // each failure is its own incident
        RawHttp.Response again = RawHttp.exchange(server.port(), RawHttp.get("/settings"));
        assertProblem(again, 500, "INTERNAL_ERROR");
        assertNotEquals(incident, again.json().get("incident").asText());
    }

    @Test
    @Timeout(30)
    void failureBelowTheRoutes_inAServletFilter_answers500WithTheIncidentIdOfTheLoggedStackTrace() throws Exception {
        server = HttpService.builder("test-http").javalin(config -> config.jetty.modifyServletContextHandler(handler ->
                handler.addFilter(new FilterHolder((Filter) (req, res, chain) -> {
                    throw new IllegalStateException("secret internals of a filter");
                }), "/filtered/*", EnumSet.of(DispatcherType.REQUEST)))).build();
        server.app().get("/filtered/x", ctx -> ctx.result("unreachable"));
        server.start();
        RawHttp.Response r;
        Optional<String> logged;
        try (LogCapture capture = new LogCapture()) {
            r = RawHttp.exchange(server.port(), RawHttp.get("/filtered/x"));
            logged = capture.incident();
        }
        assertProblem(r, 500, "INTERNAL_ERROR");
        assertEquals(Optional.of(r.json().get("incident").asText()), logged, r.body());
        assertFalse(r.body().contains("secret internals"), r.body());
    }

    @Test
    @Timeout(30)
    void rateLimit_perClientAddress_429WithRetryAfter_forwardedForIgnored_othersServed() throws Exception {
        Clock fixed = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        start(HttpService.builder("test-http").clock(fixed).rateLimit("/limited", new RateLimit(3, Duration.ofSeconds(20))));
        int port = server.port();
        for (int i = 0; i < 3; i++) {
            assertEquals(201, RawHttp.exchange("127.0.2.1", port, RawHttp.post("/limited", null, "")).status());
        }
        RawHttp.Response limited = RawHttp.exchange("127.0.2.1", port, RawHttp.post("/limited", null, ""));
        assertProblem(limited, 429, "RATE_LIMITED");
        assertEquals("20", limited.header("Retry-After"));
        assertProblem(RawHttp.exchange("127.0.2.1", port, RawHttp.post("/limited/", null, "")), 429, "RATE_LIMITED");
        assertProblem(RawHttp.exchange("127.0.2.1", port, "POST /limited HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113.9\r\n"
                + "Content-Length: 0\r\nConnection: close\r\n\r\n"), 429, "RATE_LIMITED");
        assertEquals(201, RawHttp.exchange("127.0.2.2", port, RawHttp.post("/limited", null, "")).status());
        assertEquals(200, RawHttp.exchange("127.0.2.1", port, RawHttp.get("/healthz")).status(), "other routes are not limited");
    }

    @Test
    @Timeout(30)
    void metrics_notServedByDefault_tokenRequiredWhenSet_separateListenerServesOnlyMetrics() throws Exception {
        start(HttpService.builder("test-http").metrics(MetricsAccess.notServed(), ServiceMetrics.create("test")));
        assertProblem(RawHttp.exchange(server.port(), RawHttp.get("/metrics")), 404, "ROUTE_NOT_FOUND");
        server.close();

        String token = "0123456789abcdef-metrics";
        start(HttpService.builder("test-http").metrics(MetricsAccess.bearerToken(token), ServiceMetrics.create("test")));
        assertProblem(RawHttp.exchange(server.port(), RawHttp.get("/metrics")), 401, "UNAUTHORIZED");
        assertProblem(RawHttp.exchange(server.port(), "GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token + "x\r\n"
                + "Connection: close\r\n\r\n"), 401, "UNAUTHORIZED");
        RawHttp.Response ok = RawHttp.exchange(server.port(), "GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                + "\r\nConnection: close\r\n\r\n");
        assertEquals(200, ok.status());
        assertEquals(ServiceMetrics.CONTENT_TYPE, ok.header("Content-Type"));
        PrometheusText m = PrometheusText.parse(ok.body());
        assertEquals(0.0, m.value("tabard_http_connections_refused_total", Map.of("server", "test")), ok.body());
        assertEquals(2.0, m.value("tabard_http_requests_seconds_count", Map.of("route", "/metrics", "method", "GET", "status", "401")),
                "both refusals were counted");
        server.close();

        start(HttpService.builder("test-http").metrics(MetricsAccess.separateListener(new InetSocketAddress("127.0.0.1", 0)),
                ServiceMetrics.create("test")));
        int metricsPort = server.metricsPort().orElseThrow();
        assertEquals(200, RawHttp.exchange(metricsPort, RawHttp.get("/metrics")).status());
        assertProblem(RawHttp.exchange(metricsPort, RawHttp.get("/healthz")), 404, "ROUTE_NOT_FOUND");
        assertProblem(RawHttp.exchange(server.port(), RawHttp.get("/metrics")), 404, "ROUTE_NOT_FOUND");
        assertEquals(200, RawHttp.exchange(server.port(), RawHttp.get("/healthz")).status());
    }

    /**
     * Every request that reached the routes is timed under its route template, method and status; a path that matched
     * no route is counted as unmatched, so no label value comes from the client.
     */
    @Test
    @Timeout(30)
    void metrics_requests_countedByRouteTemplate_neverByPath() throws Exception {
        String token = "0123456789abcdef-metrics";
        start(HttpService.builder("test-http").metrics(MetricsAccess.bearerToken(token), ServiceMetrics.create("test")));
        server.app().get("/items/{id}", ctx -> ctx.json(Map.of("id", ctx.pathParam("id"))));
        int port = server.port();
        for (String id : List.of("1", "2", "did:web:secret.example")) {
            assertEquals(200, RawHttp.exchange(port, RawHttp.get("/items/" + id)).status());
        }
        assertProblem(RawHttp.exchange(port, RawHttp.get("/nowhere/did:web:x.example")), 404, "ROUTE_NOT_FOUND");
        assertProblem(RawHttp.exchange(port, RawHttp.post("/echo", "text/plain", "x")), 415, "UNSUPPORTED_MEDIA_TYPE");
        RawHttp.Response scrape = RawHttp.exchange(port, "GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                + "\r\nConnection: close\r\n\r\n");
        assertEquals(200, scrape.status(), scrape.body());
        PrometheusText m = PrometheusText.parse(scrape.body());
        assertEquals("histogram", m.types().get("tabard_http_requests_seconds"));
        assertEquals(3.0, m.value("tabard_http_requests_seconds_count",
                Map.of("server", "test", "route", "/items/{id}", "method", "GET", "status", "200")));
        assertEquals(3.0, m.value("tabard_http_requests_seconds_bucket",
                Map.of("route", "/items/{id}", "method", "GET", "status", "200", "le", "+Inf")));
        assertEquals(1.0, m.value("tabard_http_requests_seconds_count",
                Map.of("route", ServiceMetrics.UNMATCHED_ROUTE, "method", "GET", "status", "404")));
        assertEquals(1.0, m.value("tabard_http_requests_seconds_count", Map.of("route", "/echo", "method", "POST", "status", "415")));
        for (PrometheusText.Sample s : m.samples()) {
            assertFalse(s.labels().values().stream().anyMatch(v -> v.contains("did:") || v.contains("/items/1")), s.toString());
        }
        assertFalse(m.find("jvm_memory_used_bytes", Map.of("server", "test")).isEmpty(), "JVM meters are bound");
    }

    /**
     * The verifier's routes on the transport alone (VerifierServer registers exactly these and adds no routing of its
     * own): every miss is ROUTE_NOT_FOUND or METHOD_NOT_ALLOWED with Allow, HEAD and OPTIONS included, never a DID problem.
     */
    @Test
    @Timeout(30)
    void verifierRoutes_everyMiss_routeOrMethodProblem_headAndOptionsIncluded() throws Exception {
        server = HttpService.builder("test-http").build();
        for (String route : List.of("/credentials/verify", "/presentations/verify", "/presentations/verify-batch", "/challenges",
                "/agent-cards/verify")) {
            server.app().post(route, ctx -> ctx.result("{}"));
        }
        server.app().get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
        server.start();
        int port = server.port();
        for (String path : List.of("/", "/nowhere", "/.well-known/did.json", "/.well-known/openid-credential-issuer",
                "/favicon.ico", "/static/app.js", "/credentials", "/credentials/verify/x", "/status/1")) {
            for (String method : List.of("GET", "POST", "PUT", "DELETE", "OPTIONS", "BREW")) {
                assertProblem(RawHttp.exchange(port, method + " " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
                        + "Connection: close\r\n\r\n"), 404, "ROUTE_NOT_FOUND");
            }
            RawHttp.Response head = RawHttp.exchangeHead(port, path);
            assertEquals(404, head.status(), path);
            assertEquals("application/problem+json", head.header("Content-Type"), path);
        }
        assertProblem(RawHttp.exchange(port, "OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 404, "ROUTE_NOT_FOUND");
        for (String method : List.of("GET", "PUT", "DELETE", "OPTIONS", "TRACE", "PATCH", "BREW")) {
            RawHttp.Response r = RawHttp.exchange(port, method + " /presentations/verify HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
                    + "Connection: close\r\n\r\n");
            assertProblem(r, 405, "METHOD_NOT_ALLOWED");
            assertEquals("POST", r.header("Allow"), method);
        }
        RawHttp.Response headOnPost = RawHttp.exchangeHead(port, "/challenges");
        assertEquals(405, headOnPost.status());
        assertEquals("POST", headOnPost.header("Allow"));
        assertProblem(RawHttp.exchange(port, RawHttp.post("/healthz", "application/json", "{}")), 405, "METHOD_NOT_ALLOWED");
    }

    /** HEAD runs the GET route's handler: the status is the one GET gives, a refusal included, and no body is sent. */
    @Test
    @Timeout(30)
    void head_onAGetRoute_answersWithTheStatusGetWouldHave_refusalsIncluded() throws Exception {
        String token = "0123456789abcdef-metrics";
        start(HttpService.builder("test-http").metrics(MetricsAccess.bearerToken(token), ServiceMetrics.create("test")));
        server.app().get("/items/{id}", ctx -> {
            if (!ctx.pathParam("id").equals("1")) {
                throw new dev.tabard.problem.ProblemException(dev.tabard.problem.ProblemType.RESOURCE_NOT_FOUND, "no item");
            }
            ctx.json(Map.of("id", 1));
        });
        int port = server.port();
        RawHttp.Response health = RawHttp.exchangeHead(port, "/healthz");
        assertEquals(200, health.status());
        assertEquals("application/json", health.header("Content-Type"));
        assertEquals(401, RawHttp.exchangeHead(port, "/metrics").status(), "no token, no 200");
        assertEquals(200, RawHttp.exchange(port, "HEAD /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                + "\r\nConnection: close\r\n\r\n", true).status());
        assertEquals(200, RawHttp.exchangeHead(port, "/items/1").status());
        assertEquals(404, RawHttp.exchangeHead(port, "/items/2").status());
        assertEquals(404, RawHttp.exchangeHead(port, "/nowhere").status());
        assertEquals("GET, HEAD", RawHttp.exchange(port, RawHttp.post("/items/1", "application/json", "{}")).header("Allow"));
    }

    @Test
    @Timeout(60)
    void everyProblemType_thrownByARoute_isSentWithTheStatusItsBodySays() throws Exception {
        // the issuer and the verifier answer every ProblemException through this mapping
        server = HttpService.builder("test-http").build();
        server.app().get("/problem/{type}", ctx -> {
            throw new dev.tabard.problem.ProblemException(dev.tabard.problem.ProblemType.valueOf(ctx.pathParam("type")), "as asked");
        });
        server.start();
        for (dev.tabard.problem.ProblemType type : dev.tabard.problem.ProblemType.values()) {
            RawHttp.Response r = RawHttp.exchange(server.port(), RawHttp.get("/problem/" + type.name()));
            // a 5xx type other than the server-side ones describes bad input reaching a handler (an invalid DID document): 400
            boolean serverSide = java.util.Set.of(dev.tabard.problem.ProblemType.SERVICE_UNAVAILABLE, dev.tabard.problem.ProblemType.INTERNAL_ERROR,
                    dev.tabard.problem.ProblemType.AGENT_PAUSED, dev.tabard.problem.ProblemType.UPSTREAM_FAILED,
                    dev.tabard.problem.ProblemType.REPLAY_STORE_UNAVAILABLE).contains(type);
            int expected = type.status() >= 500 && !serverSide ? 400 : type.status();
            assertEquals(expected, r.status(), type.name());
            assertEquals(r.status(), r.json().get("status").asInt(), type.name() + ": " + r.body());
            assertEquals(type.type().toString(), r.json().get("type").asText(), type.name());
        }
    }
}
