package dev.tabard.gate.http;

import dev.tabard.codec.JsonCodec;
import dev.tabard.gate.Admission;
import dev.tabard.gate.Gate;
import dev.tabard.http.HttpService;
import dev.tabard.http.HttpServiceBuilder;
import dev.tabard.http.MetricsAccess;
import dev.tabard.http.ServiceMetrics;
import dev.tabard.http.TransportLimits;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.DelegationChain;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/**
 * The gate as a reverse proxy in front of any HTTP service: every request is admitted by the {@link Gate} and only
 * accepted ones are forwarded, with the verified caller in {@value #AGENT}, {@value #ORGANIZATION}, {@value #CHAIN},
 * {@value #ACTION} and {@value #DECISION_FIELD} (fields of these names sent by the client are never forwarded); every
 * answer, the upstream's or the gate's own refusal, goes back signed by the gate's agent. With
 * {@link Builder#metrics}, {@code /metrics} is served on a separate listener, outside the gate.
 */
public final class GateServer implements AutoCloseable {

    /** The acting agent's DID. */
    public static final String AGENT = "Tabard-Agent";
    /** The DID of the organization whose AgentCredential the authority starts from. */
    public static final String ORGANIZATION = "Tabard-Organization";
    /** Every agent on the authority's path, organization's agent first, comma-separated. */
    public static final String CHAIN = "Tabard-Chain";
    /** The action authorized, as JSON ({@code {"capability": …, "amount": {…}, …}}). */
    public static final String ACTION = "Tabard-Action";
    /** Where the gate logged the decision: {@code seq=…, hash="…", log="…"}. */
    public static final String DECISION_FIELD = "Tabard-Decision";
    /** Request fields that presentations and signatures ride in: up to 32 KiB, for a chain of several credentials. */
    public static final int MAX_HEADER_BYTES = 32 * 1024;
    public static final int MAX_BODY_BYTES = 1_000_000;
    /** The largest upstream answer passed on; larger is 502. */
    public static final int MAX_UPSTREAM_BYTES = 10_000_000;
    public static final Duration UPSTREAM_TIMEOUT = Duration.ofSeconds(30);

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
            "trailer", "transfer-encoding", "upgrade", "host", "content-length", "expect");
    private static final List<HandlerType> METHODS = List.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT, HandlerType.PATCH,
            HandlerType.DELETE, HandlerType.OPTIONS);

    private final HttpService http;
    private final Gate gate;
    private final URI upstream;
    private final HttpClient client;
    private final java.util.concurrent.ExecutorService upstreamThreads;

    private GateServer(Builder b) {
        this.gate = b.gate;
        this.upstream = b.upstream;
        // the client's own work (connection events, body delivery) on a few threads, not a new one per burst of calls
        this.upstreamThreads = java.util.concurrent.Executors.newFixedThreadPool(2 * Runtime.getRuntime().availableProcessors(), r -> {
            Thread t = new Thread(r, "tabard-gate-upstream");
            t.setDaemon(true);
            return t;
        });
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER)
                .executor(upstreamThreads).build();
        HttpServiceBuilder transport = HttpService.builder("tabard-gate-http").port(b.port).tls(b.tls).limits(b.limits)
                .maxBodyBytes(MAX_BODY_BYTES).maxHeaderBytes(MAX_HEADER_BYTES).passBodiesOfAnyMediaType();
        b.metrics.ifPresent(access -> transport.metrics(access, ServiceMetrics.create("gate")));
        this.http = transport.build();
        GatePlugin.install(http.app(), gate);
        for (HandlerType m : METHODS) {
            http.app().addHttpHandler(m, "/<path>", this::forward);
            http.app().addHttpHandler(m, "/", this::forward);
        }
    }

    /** A gate proxy for {@code upstream} (an http(s) base URL; the request's path and query are appended). */
    public static Builder builder(Gate gate, URI upstream) {
        return new Builder(gate, upstream);
    }

    /** Configures one proxy. */
    public static final class Builder {
        private final Gate gate;
        private final URI upstream;
        private int port;
        private Optional<SSLContext> tls = Optional.empty();
        private TransportLimits limits = TransportLimits.defaults();
        private Optional<MetricsAccess> metrics = Optional.empty();

        private Builder(Gate gate, URI upstream) {
            this.gate = Objects.requireNonNull(gate, "gate");
            this.upstream = Objects.requireNonNull(upstream, "upstream");
            if (!Set.of("http", "https").contains(String.valueOf(upstream.getScheme())) || upstream.getRawAuthority() == null
                    || upstream.getRawQuery() != null) {
                throw new IllegalArgumentException("the upstream is an http(s) base URL without a query, such as http://127.0.0.1:9000");
            }
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder tls(SSLContext tls) {
            this.tls = Optional.of(tls);
            return this;
        }

        public Builder limits(TransportLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * Serves {@code /metrics} (the request timer every Tabard server shares, by route, method and status, with
         * {@code server="gate"}) on {@code access}'s separate listener. Not on the gate's own port: every request
         * there is a signed agent call, so a bearer token for the scraper has no place.
         *
         * @throws IllegalArgumentException when {@code access} has a token or no separate listener
         */
        public Builder metrics(MetricsAccess access) {
            Objects.requireNonNull(access, "access");
            if (access.token().isPresent() || access.listener().isEmpty()) {
                throw new IllegalArgumentException("the gate serves /metrics on a separate listener only: "
                        + "MetricsAccess.separateListener(address)");
            }
            this.metrics = Optional.of(access);
            return this;
        }

        public GateServer start() {
            GateServer s = new GateServer(this);
            s.http.start();
            return s;
        }
    }

    private void forward(Context ctx) {
        Admission a = GatePlugin.admission(ctx);
        String base = upstream.toString().replaceAll("/+$", "");
        String query = ctx.queryString();
        URI target = URI.create(base + ctx.req().getRequestURI() + (query == null ? "" : "?" + query));
        byte[] body = ctx.bodyAsBytes();
        HttpRequest.Builder out = HttpRequest.newBuilder(target).timeout(UPSTREAM_TIMEOUT)
                .method(ctx.method().name(), body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (String name : Collections.list(ctx.req().getHeaderNames())) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(lower) || lower.startsWith("tabard-")) {
                continue;
            }
            for (String v : Collections.list(ctx.req().getHeaders(name))) {
                out.header(name, v);
            }
        }
        var identity = a.caller().orElseThrow().identity();
        out.header(AGENT, identity.agent().toString());
        out.header(ORGANIZATION, identity.organization().toString());
        out.header(CHAIN, identity.authority().steps().stream().map(DelegationChain.Step::agent).map(Object::toString)
                .collect(Collectors.joining(",")));
        out.header(ACTION, JsonCodec.writeString(a.action().orElseThrow().toJson()));
        a.receipt().ifPresent(r -> out.header(DECISION_FIELD, r.fieldValue()));
        HttpResponse<InputStream> answer;
        try {
            answer = client.send(out.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            // counted against the caller's breaker by the plugin, as every 5xx answer is
            throw new ProblemException(ProblemType.UPSTREAM_FAILED, "the service behind the gate did not answer");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(ProblemType.UPSTREAM_FAILED, "interrupted while waiting for the service behind the gate");
        }
        byte[] bytes;
        try (InputStream in = answer.body()) {
            bytes = in.readNBytes(MAX_UPSTREAM_BYTES + 1);
        } catch (IOException e) {
            throw new ProblemException(ProblemType.UPSTREAM_FAILED, "the service behind the gate broke off its answer");
        }
        if (bytes.length > MAX_UPSTREAM_BYTES) {
            throw new ProblemException(ProblemType.UPSTREAM_FAILED, "the service behind the gate answered more than " + MAX_UPSTREAM_BYTES + " bytes");
        }
        ctx.status(answer.statusCode());
        for (Map.Entry<String, List<String>> e : answer.headers().map().entrySet()) {
            String lower = e.getKey().toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(lower) || lower.startsWith(":") || lower.equals("date") || lower.equals("server")) {
                continue;
            }
            if (lower.equals("content-type")) {
                ctx.contentType(e.getValue().get(0));
                continue;
            }
            e.getValue().forEach(v -> ctx.res().addHeader(e.getKey(), v));
        }
        ctx.result(bytes);
    }

    public int port() {
        return http.port();
    }

    /** The port of the separate metrics listener, when one is configured. */
    public Optional<Integer> metricsPort() {
        return http.metricsPort();
    }

    @Override
    public void close() {
        http.close();
        upstreamThreads.shutdown();
        gate.close();
    }
}
