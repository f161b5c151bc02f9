package dev.tabard.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.problem.Incident;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemJson;
import dev.tabard.problem.ProblemType;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.micrometer.core.instrument.FunctionCounter;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP transport both Tabard servers run on: Javalin over Jetty on 127.0.0.1, with the limits of
 * {@link TransportLimits}, bodies received whole before a handler runs ({@link BodyBuffering}), per-client rate
 * limits on named routes, one problem-details shape for every error (Jetty's parser errors, unknown routes with
 * 404, unknown methods with 405 and an {@code Allow} header, bodies that are not JSON with 415, timeouts with 408,
 * and a 500 with an incident id and no stack trace), every request timed in {@link ServiceMetrics}, and
 * {@code /metrics} served only as {@link MetricsAccess} allows.
 *
 * <pre>{@code
 * HttpService http = HttpService.builder("tabard-verifier-http").port(0).maxBodyBytes(1_000_000)
 *         .rateLimit("/challenges", RateLimit.perSecond(50, 100)).clock(clock).build();
 * http.app().get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
 * http.start();
 * }</pre>
 *
 * <p>The client identity for rate limits and connection caps is the TCP peer address; {@code X-Forwarded-For} is
 * never read.
 */
public final class HttpService implements AutoCloseable {

    /** Handler threads: handlers never wait on a client's body, so 200 serve far more clients than cores. */
    public static final int MAX_THREADS = 200;
    /** The only address the servers listen on; a public deployment puts a TLS proxy or load balancer in front. */
    public static final String HOST = "127.0.0.1";

    private static final Logger log = LoggerFactory.getLogger(HttpService.class);
    private static final String MAIN_CONNECTOR = "main";
    private static final String METRICS_CONNECTOR = "metrics";
    /** The {@code instance} of a 500: the occurrence is the incident, not the path. */
    static final String INCIDENT_URN = "urn:tabard:incident:";

    private final Javalin app;
    private final ScheduledExecutorScheduler deadlines;
    private final ConnectionGuard guard;
    private final BodyBuffering bodies;
    private final Consumer<ObjectNode> problemMembers;
    private final Optional<ServiceMetrics> metrics;

    private HttpService(HttpServiceBuilder b) {
        this.problemMembers = b.problemMembers;
        this.metrics = b.metrics;
        this.deadlines = new ScheduledExecutorScheduler(b.name + "-deadlines", true);
        this.guard = new ConnectionGuard(b.limits, deadlines);
        this.bodies = new BodyBuffering(b.maxBodyBytes, b.limits.bodyTimeout(), new BodyBudget(b.bodyBudgetBytes, b.maxBodyBytes));
        this.app = Javalin.create(config -> configure(config, b));
        Map<String, RateLimiter> limiters = b.rateLimiters();
        app.before(ctx -> {
            if (onMetricsConnector(ctx) && !ctx.path().equals("/metrics")) {
                throw new ProblemException(ProblemType.ROUTE_NOT_FOUND, "this address serves /metrics only");
            }
        });
        app.beforeMatched(ctx -> {
            RateLimiter limiter = limiters.get(normalized(ctx.path()));
            if (limiter != null) {
                limiter.take(ClientAddress.of(ctx)).ifPresent(wait -> {
                    long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
                    ctx.header("Retry-After", Long.toString(seconds));
                    throw new ProblemException(ProblemType.RATE_LIMITED, "too many requests to " + normalized(ctx.path())
                            + " from this address; retry after " + seconds + " s");
                });
            }
            if (!b.anyMediaType) {
                requireMediaType(ctx, b.formRoutes.contains(normalized(ctx.path())));
            }
        });
        b.metrics.ifPresent(m -> {
            transportMeters(m);
            app.get("/metrics", ctx -> {
                if (!onMetricsConnector(ctx)) {
                    b.metricsAccess.authorize(Optional.ofNullable(ctx.header("Authorization")));
                }
                ctx.contentType(ServiceMetrics.CONTENT_TYPE).result(m.scrape());
            });
        });
        app.exception(ProblemException.class, (e, ctx) -> respond(ctx, edgeStatus(e.problems()), e.problems()));
        app.exception(HttpResponseException.class, (e, ctx) -> {
            int status = e.getStatus() >= 500 ? 500 : e.getStatus();
            if (status == 405) {
                ctx.header("Allow", e.getDetails().getOrDefault("availableMethods", ""));
            }
            respond(ctx, status, List.of(ProblemResponses.forStatus(status)));
        });
        app.exception(Exception.class, (e, ctx) -> {
            Incident incident = Incident.report(log, "handling " + ctx.method() + " " + ctx.path(), e);
            ObjectNode o = ProblemResponses.json(List.of(incident.problem()), INCIDENT_URN + incident.id(), 500);
            problemMembers.accept(o);
            ctx.status(500).contentType(ProblemJson.MEDIA_TYPE).result(JsonCodec.writeString(o));
        });
    }

    public static HttpServiceBuilder builder(String name) {
        return new HttpServiceBuilder(name);
    }

    static HttpService create(HttpServiceBuilder b) {
        return new HttpService(b);
    }

    private void configure(JavalinConfig config, HttpServiceBuilder b) {
        config.showJavalinBanner = false;
        // no reserved threads: their spin-waiting costs a core on a small machine under load
        QueuedThreadPool pool = new QueuedThreadPool(MAX_THREADS, 8, 60_000);
        pool.setReservedThreads(0);
        pool.setName(b.name);
        config.jetty.threadPool = pool;
        config.http.maxRequestSize = b.maxBodyBytes;
        config.http.prefer405over404 = true;
        // RFC 9110 §9.3.2: HEAD is GET without the body. Javalin answers HEAD on a GET route with 200 without running
        // the handler, so a HEAD on an admin route "succeeded" without a token; each GET route now answers HEAD through
        // its own handler (Jetty drops the body), with the status its GET would have.
        config.events.handlerAdded(route -> {
            if (route.getHttpMethod() == HandlerType.GET) {
                app.head(route.getPath(), route.getHandler());
            }
        });
        config.jetty.modifyServer(server -> server.setErrorHandler(new ProblemErrorHandler()));
        config.jetty.modifyServletContextHandler(handler -> {
            handler.setErrorHandler(new ProblemErrorHandler());
            FilterHolder holder = new FilterHolder(bodies);
            holder.setAsyncSupported(true);
            handler.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
        });
        config.jetty.addConnector((server, httpConfig) -> connector(server, httpConfig, b, MAIN_CONNECTOR));
        b.metricsAccess.listener().ifPresent(address -> config.jetty.addConnector((server, httpConfig) -> {
            ServerConnector c = plain(server, httpConfig, b);
            c.setHost(address.getHostString());
            c.setPort(address.getPort());
            c.setName(METRICS_CONNECTOR);
            return c;
        }));
        b.javalinConfig.accept(config);
        // after the server's own settings: Javalin keeps one request logger, and this one must not be replaced
        config.requestLogger.http((ctx, ms) -> {
            b.metrics.ifPresent(m -> m.request(route(ctx), ctx.method().name(), ctx.statusCode(), Math.round(ms * 1_000_000.0)));
            if (b.requestLogger.isPresent()) {
                b.requestLogger.get().handle(ctx, ms);
            }
        });
    }

    /** The route template {@code ctx} matched, or {@link ServiceMetrics#UNMATCHED_ROUTE} when it was answered before one did. */
    public static String route(Context ctx) {
        try {
            String route = ctx.endpointHandlerPath();
            return route == null || route.isEmpty() ? ServiceMetrics.UNMATCHED_ROUTE : route;
        } catch (RuntimeException e) {
            return ServiceMetrics.UNMATCHED_ROUTE;
        }
    }

    private Connector connector(Server server, HttpConfiguration httpConfig, HttpServiceBuilder b, String name) {
        ServerConnector c;
        if (b.tls.isPresent()) {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setSslContext(b.tls.get());
            HttpConfiguration https = new HttpConfiguration(limited(httpConfig, b));
            https.addCustomizer(new SecureRequestCustomizer(false));
            c = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(https));
            c.setIdleTimeout(b.limits.idleTimeout().toMillis());
            c.addBean(guard);
        } else {
            c = plain(server, httpConfig, b);
        }
        c.setHost(HOST);
        c.setPort(b.port);
        c.setName(name);
        return c;
    }

    private ServerConnector plain(Server server, HttpConfiguration httpConfig, HttpServiceBuilder b) {
        ServerConnector c = new ServerConnector(server, new HttpConnectionFactory(limited(httpConfig, b)));
        c.setIdleTimeout(b.limits.idleTimeout().toMillis());
        c.addBean(guard);
        return c;
    }

    private static HttpConfiguration limited(HttpConfiguration httpConfig, HttpServiceBuilder b) {
        httpConfig.setIdleTimeout(b.limits.idleTimeout().toMillis());
        httpConfig.setSendServerVersion(false);
        httpConfig.setSendXPoweredBy(false);
        httpConfig.setRequestHeaderSize(b.maxHeaderBytes);
        return httpConfig;
    }

    /**
     * A body on a route that reads JSON must say it is JSON ({@code application/json} or {@code application/*+json},
     * parameters allowed); on a form route, {@code application/x-www-form-urlencoded}.
     */
    private static void requireMediaType(Context ctx, boolean formRoute) {
        boolean hasBody = ctx.req().getContentLengthLong() > 0 || ctx.header("Transfer-Encoding") != null;
        if (!hasBody) {
            return;
        }
        String type = Optional.ofNullable(ctx.header("Content-Type")).orElse("").split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (formRoute) {
            if (!type.equals("application/x-www-form-urlencoded")) {
                throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "this endpoint reads application/x-www-form-urlencoded; "
                        + "set Content-Type accordingly");
            }
            return;
        }
        if (!type.equals("application/json") && !(type.startsWith("application/") && type.endsWith("+json"))) {
            throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "this endpoint reads JSON; send Content-Type: "
                    + "application/json" + (type.isEmpty() ? "" : " (not " + type + ")"));
        }
    }

    private static final java.util.Set<ProblemType> SERVER_SIDE = java.util.EnumSet.of(ProblemType.SERVICE_UNAVAILABLE,
            ProblemType.INTERNAL_ERROR, ProblemType.AGENT_PAUSED, ProblemType.UPSTREAM_FAILED,
            ProblemType.REPLAY_STORE_UNAVAILABLE);

    /**
     * The status for a problem raised by a handler: its type's, except that a 5xx type other than
     * the server-side ones ({@code SERVICE_UNAVAILABLE}, {@code INTERNAL_ERROR}, {@code AGENT_PAUSED},
     * {@code UPSTREAM_FAILED}, {@code REPLAY_STORE_UNAVAILABLE}) describes bad input (an invalid DID document, an unsupported DID method) and is answered 400.
     */
    static int edgeStatus(List<Problem> problems) {
        ProblemType type = problems.get(0).type();
        if (type.status() >= 500 && !SERVER_SIDE.contains(type)) {
            return 400;
        }
        return type.status();
    }

    /** Bytes of request bodies being received now, across all clients (tests wait on it instead of sleeping). */
    long bodyBytesHeld() {
        return bodies.bytesHeld();
    }

    /** Answers with problem details: {@code status} is the HTTP status sent, plus the server's own members. */
    public void respond(Context ctx, int status, List<Problem> problems) {
        ObjectNode o = ProblemResponses.json(problems, ctx.path(), status);
        problemMembers.accept(o);
        ctx.status(status).contentType(ProblemJson.MEDIA_TYPE).result(JsonCodec.writeString(o));
    }

    private static String normalized(String path) {
        String p = path.replaceAll("/{2,}", "/");
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    /**
     * Whether {@code ctx} arrived on the separate metrics listener ({@link MetricsAccess#separateListener}), where
     * only {@code /metrics} is answered: a filter in front of every route (the agent gate) lets these through.
     */
    public static boolean onMetricsListener(Context ctx) {
        return onMetricsConnector(ctx);
    }

    private static boolean onMetricsConnector(Context ctx) {
        return METRICS_CONNECTOR.equals(Request.getBaseRequest(ctx.req()).getHttpChannel().getConnector().getName());
    }

    /** The transport's refusals, read from its own counters at each scrape. */
    private void transportMeters(ServiceMetrics m) {
        FunctionCounter.builder("tabard.http.connections.refused", guard, g -> g.refusedConnections())
                .description("Connections closed at once: the client address held too many").register(m.registry());
        FunctionCounter.builder("tabard.http.header.timeouts", guard, g -> g.headerTimeouts())
                .description("Connections closed because the request line and headers did not arrive in time").register(m.registry());
        FunctionCounter.builder("tabard.http.body.timeouts", bodies, x -> x.timeouts())
                .description("Requests refused because the body did not arrive in time").register(m.registry());
    }

    /** The Javalin app, to register routes on before {@link #start()}. */
    public Javalin app() {
        return app;
    }

    public HttpService start() {
        try {
            deadlines.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the deadline scheduler", e);
        }
        app.start();
        return this;
    }

    /** The port of the service's own connector. */
    public int port() {
        return connectorPort(MAIN_CONNECTOR).orElseThrow(() -> new IllegalStateException("not started"));
    }

    /** The port of the metrics listener, when one is configured. */
    public Optional<Integer> metricsPort() {
        return connectorPort(METRICS_CONNECTOR);
    }

    private Optional<Integer> connectorPort(String name) {
        for (Connector c : app.jettyServer().server().getConnectors()) {
            if (name.equals(c.getName())) {
                return Optional.of(((ServerConnector) c).getLocalPort());
            }
        }
        return Optional.empty();
    }

    /**
     * Stops accepting, lets requests in flight finish within the server's stop timeout, then closes every connection.
     * A request still running at the timeout is cut off, which is what the timeout is for: that is logged, not thrown.
     */
    @Override
    public void close() {
        try {
            app.stop();
        } catch (RuntimeException e) {
            log.atWarn().setMessage("requests still in flight at the stop timeout were cut off").setCause(e).log();
        }
        try {
            deadlines.stop();
        } catch (Exception e) {
            log.atDebug().setMessage("deadline scheduler did not stop cleanly").setCause(e).log();
        }
        metrics.ifPresent(ServiceMetrics::close);
    }
}
