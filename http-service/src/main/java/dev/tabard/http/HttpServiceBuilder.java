package dev.tabard.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.RequestLogger;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * Configures one {@link HttpService}. Single use. Defaults: any free port, plain HTTP, 1 MB bodies,
 * {@link TransportLimits#defaults()}, the system clock, no rate limits, no metrics and {@code /metrics} not served.
 */
public final class HttpServiceBuilder {

    /** Bodies up to 1 MB unless the server says otherwise (SECURITY-NOTES "request body"). */
    public static final int DEFAULT_MAX_BODY_BYTES = 1_000_000;
    /** The request line and header fields together, as Jetty's default: 8 KiB. */
    public static final int DEFAULT_MAX_HEADER_BYTES = 8 * 1024;
    /** The most {@link #maxHeaderBytes} may be set to. */
    public static final int MAX_HEADER_BYTES = 64 * 1024;

    final String name;
    int port;
    Optional<SSLContext> tls = Optional.empty();
    int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    TransportLimits limits = TransportLimits.defaults();
    long bodyBudgetBytes = BodyBudget.DEFAULT_TOTAL;
    Clock clock = Clock.systemUTC();
    final Map<String, RateLimit> rateLimits = new HashMap<>();
    final Set<String> formRoutes = new HashSet<>();
    MetricsAccess metricsAccess = MetricsAccess.notServed();
    Optional<ServiceMetrics> metrics = Optional.empty();
    Optional<RequestLogger> requestLogger = Optional.empty();
    Consumer<ObjectNode> problemMembers = o -> { };
    Consumer<JavalinConfig> javalinConfig = c -> { };
    boolean anyMediaType;
    int maxHeaderBytes = DEFAULT_MAX_HEADER_BYTES;

    HttpServiceBuilder(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** The port on 127.0.0.1; 0 for any free one. */
    public HttpServiceBuilder port(int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0 to 65535");
        }
        this.port = port;
        return this;
    }

    /** Serves HTTPS with {@code tls} when present, plain HTTP otherwise. */
    public HttpServiceBuilder tls(Optional<SSLContext> tls) {
        this.tls = Objects.requireNonNull(tls, "tls");
        return this;
    }

    /** The largest body any route accepts, counted as bytes received (chunked bodies included). */
    public HttpServiceBuilder maxBodyBytes(int maxBodyBytes) {
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be positive");
        }
        this.maxBodyBytes = maxBodyBytes;
        return this;
    }

    /** Bytes of request bodies being received at once, in all; one client address may hold an eighth. */
    public HttpServiceBuilder bodyBudgetBytes(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("the body budget must be positive");
        }
        this.bodyBudgetBytes = bytes;
        return this;
    }

    public HttpServiceBuilder limits(TransportLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        return this;
    }

    /** The clock rate limits refill by. */
    public HttpServiceBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** Limits requests to {@code route} (an exact path) per client address; over the limit: 429 {@code RATE_LIMITED}. */
    public HttpServiceBuilder rateLimit(String route, RateLimit limit) {
        rateLimits.put(Objects.requireNonNull(route, "route"), Objects.requireNonNull(limit, "limit"));
        return this;
    }

    /** {@code route} reads {@code application/x-www-form-urlencoded} (an OAuth token endpoint); every other route reads JSON. */
    public HttpServiceBuilder formRoute(String route) {
        formRoutes.add(Objects.requireNonNull(route, "route"));
        return this;
    }

    /**
     * Passes request bodies of any media type to the routes instead of requiring JSON: for a proxy whose routes forward
     * bodies they do not read themselves.
     */
    public HttpServiceBuilder passBodiesOfAnyMediaType() {
        this.anyMediaType = true;
        return this;
    }

    /** The largest request line and header fields accepted (431 past it), up to {@link #MAX_HEADER_BYTES}. */
    public HttpServiceBuilder maxHeaderBytes(int bytes) {
        if (bytes < 1024 || bytes > MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("maxHeaderBytes must be 1024.." + MAX_HEADER_BYTES);
        }
        this.maxHeaderBytes = bytes;
        return this;
    }

    /**
     * Records every request and the transport's refusals in {@code metrics}, and serves its exposition at
     * {@code GET /metrics} as {@code access} allows. The service closes {@code metrics} when it closes.
     */
    public HttpServiceBuilder metrics(MetricsAccess access, ServiceMetrics metrics) {
        this.metricsAccess = Objects.requireNonNull(access, "access");
        this.metrics = Optional.of(Objects.requireNonNull(metrics, "metrics"));
        return this;
    }

    /**
     * The server's own access log, called once per request after it was answered. Set here, not through
     * {@link #javalin}: Javalin keeps one request logger, and the service's request metrics use it too.
     */
    public HttpServiceBuilder requestLogger(RequestLogger logger) {
        this.requestLogger = Optional.of(Objects.requireNonNull(logger, "logger"));
        return this;
    }

    /** Adds the server's own members (such as {@code "verified": false}) to every problem-details answer. */
    public HttpServiceBuilder problemMembers(Consumer<ObjectNode> members) {
        this.problemMembers = Objects.requireNonNull(members, "members");
        return this;
    }

    /** Further Javalin settings that are the server's own (a request logger, a stop timeout). */
    public HttpServiceBuilder javalin(Consumer<JavalinConfig> config) {
        this.javalinConfig = Objects.requireNonNull(config, "config");
        return this;
    }

    /** The service, not yet started: register routes on {@link HttpService#app()}, then {@link HttpService#start()}. */
    public HttpService build() {
        return HttpService.create(this);
    }

    Map<String, RateLimiter> rateLimiters() {
        Map<String, RateLimiter> out = new HashMap<>();
        rateLimits.forEach((route, limit) -> out.put(route, new RateLimiter(limit, clock)));
        return Map.copyOf(out);
    }
}
