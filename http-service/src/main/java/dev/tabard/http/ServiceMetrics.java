package dev.tabard.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The meters of one Tabard server and their Prometheus exposition, kept in one Micrometer registry so that every
 * server names the same thing the same way. Every series carries {@code server} (issuer, verifier, gate); the
 * transport records each request its handlers answer in {@value #REQUESTS} ({@code tabard_http_requests_seconds} in
 * Prometheus) by {@code route}, {@code method} and {@code status} (requests Jetty refuses before any handler, such as
 * malformed or oversized ones, are not among them; slow ones are in the transport's timeout counters); JVM and process
 * meters come with it; the server adds its own domain meters to {@link #registry()}.
 *
 * <p>Label values are bounded: a route is the template a request matched ({@code /agents/{id}}), never the path
 * asked for, and {@value #UNMATCHED_ROUTE} when none matched; methods are Javalin's fixed set; statuses are three
 * digits. A server's own meters follow the same rule (enum names, never DIDs or credential ids).
 *
 * <p>Thread-safe: meters may be updated from any thread while {@code /metrics} is scraped.
 */
public final class ServiceMetrics implements AutoCloseable {

    /** The request timer: {@code tabard_http_requests_seconds_count}, {@code _sum}, {@code _max} and {@code _bucket}. */
    public static final String REQUESTS = "tabard.http.requests";
    /** The {@code route} of a request answered before any route matched (404, 405, a refusal in a before handler). */
    public static final String UNMATCHED_ROUTE = "unmatched";
    /** The content type of {@link #scrape()}: the Prometheus text format 0.0.4, which every scraper reads. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /**
     * Request latency buckets, 1 ms to 10 s: enough to read the latency the servers are measured at, few enough that a
     * route's series stay small (one per bucket, per route, method and status).
     */
    private static final Duration[] REQUEST_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};
    private static final Pattern SERVER = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private static final int MAX_ROUTE_LENGTH = 200;

    private final String server;
    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gc;
    /** The request timers by labels, so that recording one costs a map lookup and not a meter registration. */
    private final Map<RequestKey, Timer> timers = new ConcurrentHashMap<>();

    private ServiceMetrics(String server) {
        this.server = server;
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("server", server);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        this.gc = new JvmGcMetrics();
        gc.bindTo(registry);
    }

    /**
     * A registry whose series all carry {@code server="<server>"}, with the JVM and process meters bound.
     *
     * @param server a short lower-case name: {@code issuer}, {@code verifier}, {@code gate}
     * @throws IllegalArgumentException for a name that is not 1 to 32 of {@code [a-z0-9-]}, starting with a letter
     */
    public static ServiceMetrics create(String server) {
        Objects.requireNonNull(server, "server");
        if (!SERVER.matcher(server).matches()) {
            throw new IllegalArgumentException("a server name is 1 to 32 of [a-z0-9-], starting with a letter");
        }
        return new ServiceMetrics(server);
    }

    /** The {@code server} label of every series. */
    public String server() {
        return server;
    }

    /** The registry to add the server's own meters to. */
    public MeterRegistry registry() {
        return registry;
    }

    /**
     * Records one request.
     *
     * @param route the route template matched, or {@link #UNMATCHED_ROUTE}
     */
    void request(String route, String method, int status, long nanos) {
        String r = route.isEmpty() || route.length() > MAX_ROUTE_LENGTH ? UNMATCHED_ROUTE : route;
        timers.computeIfAbsent(new RequestKey(r, method, status), k -> Timer.builder(REQUESTS)
                .description("HTTP requests answered by the service, by route template, method and status")
                .tags("route", k.route(), "method", k.method(), "status", Integer.toString(k.status()))
                .serviceLevelObjectives(REQUEST_BUCKETS).register(registry)).record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    /** One request timer's labels: bounded (route templates, methods, statuses), so the cache of timers is too. */
    private record RequestKey(String route, String method, int status) {
    }

    /** The exposition in {@link #CONTENT_TYPE}. */
    public String scrape() {
        return registry.scrape(CONTENT_TYPE);
    }

    /** Unhooks the garbage collection listener and closes the registry. */
    @Override
    public void close() {
        gc.close();
        registry.close();
    }

    @Override
    public String toString() {
        return "ServiceMetrics[server=" + server + "]";
    }
}
