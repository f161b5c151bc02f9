package dev.tabard.issuer.http;

import dev.tabard.http.HttpService;
import dev.tabard.http.MetricsAccess;
import dev.tabard.http.RateLimit;
import dev.tabard.http.ServiceMetrics;
import dev.tabard.http.TransportLimits;
import dev.tabard.issuer.IssuerConfig;
import dev.tabard.issuer.IssuerService;
import dev.tabard.issuer.Issuers;
import dev.tabard.issuer.oid4vci.Oid4vci;
import dev.tabard.issuer.oid4vci.Oid4vciEndpoints;
import dev.tabard.issuer.audit.AuditAnchor;
import dev.tabard.issuer.audit.AuditAnchorWriter;
import dev.tabard.issuer.store.IssuerStore;
import dev.tabard.issuer.store.OwnerOnlyFiles;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/**
 * The issuer's HTTP service: the org's DID document, status lists, the admin API for agents, credentials,
 * status and audit, and the W3C VC-API issue endpoint. The transport ({@link HttpService}) bounds time,
 * connections per client and bodies, rate-limits the OpenID4VCI nonce and token endpoints per client, answers
 * every error as RFC 9457 problem details, and serves {@code /metrics} only as {@link Transport#metrics()} allows.
 */
public final class IssuerServer implements AutoCloseable {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(IssuerServer.class);
    /** Request ids a client may pass in {@code X-Request-Id}; anything else is replaced, so logs hold no client junk. */
    private static final java.util.regex.Pattern REQUEST_ID = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public static final int MAX_BODY_BYTES = 256 * 1024;
    /** How long a stop waits for requests in flight. */
    public static final java.time.Duration SHUTDOWN_GRACE = java.time.Duration.ofSeconds(10);

    /**
     * {@code POST /oid4vci/nonce} per client address: 10 a second, bursts of 50. A wallet asks once per issuance or
     * renewal; 100,000 requests from one address no longer crowd out every wallet.
     */
    public static final RateLimit NONCE_RATE = RateLimit.perSecond(10, 50);
    /**
     * {@code POST /oid4vci/token} per client address: 5 a second, bursts of 20. A wallet redeems one offer at a time;
     * guessing pre-authorized codes or transaction codes is slowed to that pace.
     */
    public static final RateLimit TOKEN_RATE = RateLimit.perSecond(5, 20);

    /**
     * The transport settings an operator chooses: time and connection limits, and who may read {@code /metrics}.
     *
     * @param limits time and per-address connection limits
     * @param metrics who may read {@code /metrics}; by default nobody
     */
    public record Transport(TransportLimits limits, MetricsAccess metrics) {
        public Transport {
            java.util.Objects.requireNonNull(limits, "limits");
            java.util.Objects.requireNonNull(metrics, "metrics");
        }

        /** The production limits, and {@code /metrics} not served. */
        public static Transport defaults() {
            return new Transport(TransportLimits.defaults(), MetricsAccess.notServed());
        }
    }

    /** Who may call the W3C VC-API endpoints {@code /credentials/issue} and {@code /credentials/status}. */
    public enum VcApiAccess {
        /** Holders of an admin token with the issue (or revoke) role, as for the admin API. */
        TOKEN,
        /**
         * Anyone who reaches the server, with inline JSON-LD contexts and the W3C examples context accepted in
         * credentials: what the W3C conformance suites need, since they post without credentials and with such
         * documents. For local conformance runs only; the server listens on 127.0.0.1.
         */
        OPEN_FOR_LOCAL_CONFORMANCE_RUNS
    }


    /** Set once the port is bound and the issuer opened; until then every request is answered 503. */
    private volatile IssuerService service;
    private volatile IssuerStore store;
    private final HttpService http;
    /** The server's registry: the shared request timer, and the issuer's own meters once it is opened. */
    private final ServiceMetrics meters;
    private final AtomicLong requests = new AtomicLong();
    /** Set once at start; the HTTP glue only reads it. */
    private volatile Optional<AuditAnchorWriter> anchor = Optional.empty();
    /** Set once the port is bound: the URL the did:web names. */
    private volatile URI publicUrl;

    private IssuerServer(Optional<SSLContext> tls, int port, Clock clock, Transport transport) {
        this.meters = ServiceMetrics.create("issuer");
        this.http = HttpService.builder("tabard-issuer-http").port(port).tls(tls).clock(clock).limits(transport.limits())
                .maxBodyBytes(MAX_BODY_BYTES).rateLimit("/oid4vci/nonce", NONCE_RATE).rateLimit("/oid4vci/token", TOKEN_RATE)
                .formRoute("/oid4vci/token")
                .metrics(transport.metrics(), meters).requestLogger(this::logRequest)
                .javalin(config -> {
                    // on stop, Jetty closes the listener, lets requests in flight finish (Javalin's StatisticsHandler
                    // tracks them) for up to this long, then closes connections
                    config.jetty.modifyServer(server -> server.setStopTimeout(SHUTDOWN_GRACE.toMillis()));
                }).build();
        http.app().before(ctx -> {
            requests.incrementAndGet();
            String given = ctx.header("X-Request-Id");
            String id = given != null && REQUEST_ID.matcher(given).matches() ? given
                    : Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
            ctx.attribute("requestId", id);
            ctx.attribute("startNanos", System.nanoTime());
            ctx.header("X-Request-Id", id);
            org.slf4j.MDC.put("requestId", id);
            if (service == null) {
                ctx.header("Retry-After", "1");
                throw new ProblemException(ProblemType.SERVICE_UNAVAILABLE, "the issuer is starting; try again in a moment");
            }
        });
    }

    /** Adds the route groups over {@code opened}, then lets requests through to them. */
    private void serve(IssuerService opened, java.net.URI publicUrl, Clock clock, VcApiAccess vcApiAccess) {
        this.store = opened.store();
        Javalin app = http.app();
        AdminAuth auth = new AdminAuth(opened.store());
        Oid4vci oid4vci = new Oid4vci(opened, publicUrl, clock, new SecureRandom());
        new DidStatusRoutes(opened, clock).register(app);
        new AgentRoutes(opened, auth, oid4vci, clock).register(app);
        new AdminRoutes(opened, auth, () -> anchor).register(app);
        new VcApiEndpoints(opened, auth, vcApiAccess).register(app);
        new DelegationEndpoints(opened, auth, clock).register(app);
        new Oid4vciEndpoints(oid4vci).register(app);
        new ConsoleRoutes().register(app);
        this.service = opened;
    }

    /**
     * Binds the port, then opens the store under {@code config.dataDir()} and serves on 127.0.0.1 (HTTPS when
     * {@code tls} is given); the VC-API endpoints need a token.
     */
    public static IssuerServer start(IssuerConfig config, Optional<SSLContext> tls, Clock clock) {
        return start(config, tls, clock, VcApiAccess.TOKEN);
    }

    /** As {@link #start(IssuerConfig, Optional, Clock)}, with the VC-API endpoints open as {@code vcApiAccess} says. */
    public static IssuerServer start(IssuerConfig config, Optional<SSLContext> tls, Clock clock, VcApiAccess vcApiAccess) {
        return start(config, tls, clock, vcApiAccess, Transport.defaults());
    }

    /**
     * As {@link #start(IssuerConfig, Optional, Clock, VcApiAccess)}, with the transport limits and metrics access given.
     * The port is bound first: a start that cannot listen (the port is taken) makes no keys, DID or admin token, so
     * the next start still shows the first token, or takes the one given.
     *
     * @throws IllegalStateException when the port cannot be bound, the data directory cannot be made, the audit log
     *     lost its anchored head, or the data holds an organization with another did:web
     */
    public static IssuerServer start(IssuerConfig requested, Optional<SSLContext> tls, Clock clock, VcApiAccess vcApiAccess,
                                     Transport transport) {
        java.util.Objects.requireNonNull(vcApiAccess, "vcApiAccess");
        java.util.Objects.requireNonNull(transport, "transport");
        IssuerServer s = new IssuerServer(tls, requested.port(), clock, transport);
        try {
            s.http.start();
        } catch (Exception e) { // Javalin rethrows Jetty's bind failure as it came, checked or not
            s.http.close();
            throw new IllegalStateException("cannot listen on port " + requested.port() + " (" + rootMessage(e) + "); nothing was "
                    + "created in " + requested.dataDir() + ". Free the port or choose another with --port", e);
        }
        IssuerConfig config = requested.onBoundPort(s.port());
        s.publicUrl = config.publicUrl();
        IssuerStore opened = null;
        try {
            OwnerOnlyFiles.createDirectories(config.dataDir());
            opened = openStore(config, clock);
            // before the service signs anything: never sign over a log that lost the anchored head
            AuditAnchor.requireHeldBy(config.dataDir(), opened);
            IssuerService service = Issuers.open(opened, config, clock, new SecureRandom(), s.meters.registry());
            s.anchor = Optional.of(AuditAnchorWriter.start(opened, config.dataDir()));
            s.serve(service, config.publicUrl(), clock, vcApiAccess);
        } catch (IOException | RuntimeException e) {
            s.http.close();
            if (opened != null) {
                opened.close();
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("cannot create " + config.dataDir(), e);
        }
        IssuerService service = s.service;
        log.atInfo().setMessage("issuer started").addKeyValue("event", "start").addKeyValue("did", service.did().toString())
                .addKeyValue("publicUrl", config.publicUrl().toString()).addKeyValue("port", s.port()).addKeyValue("tls", tls.isPresent())
                .addKeyValue("keys", service.orgKeys().all().stream().filter(k -> k.published()).map(k -> k.id()).toList().toString()).log();
        return s;
    }

    /** The PostgreSQL store when the config names a database (several instances may share it), else SQLite in the data directory. */
    public static IssuerStore openStore(IssuerConfig config, Clock clock) {
        return IssuerStore.open(config.dataDir(), config.database(), clock);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /**
     * One access line per request: method, path, route, status, milliseconds and request id. Never headers, query
     * strings or bodies, so no token, code or credential reaches the log.
     */
    private void logRequest(Context ctx, Float ms) {
        Long start = ctx.attribute("startNanos");
        double millis = start == null ? ms : (System.nanoTime() - start) / 1_000_000.0;
        log.atInfo().setMessage("request").addKeyValue("method", ctx.method().name()).addKeyValue("path", ctx.path())
                .addKeyValue("route", HttpService.route(ctx)).addKeyValue("status", ctx.statusCode())
                .addKeyValue("durationMs", Math.round(millis * 100) / 100.0)
                .addKeyValue("requestId", Optional.ofNullable(ctx.<String>attribute("requestId")).orElse("")).log();
        org.slf4j.MDC.remove("requestId");
    }

    public IssuerService service() {
        return service;
    }

    public int port() {
        return http.port();
    }

    /** The URL the organization's did:web names: the configured one, or with {@code --port 0} the one on the port bound. */
    public URI publicUrl() {
        return publicUrl;
    }

    /** The port of the separate metrics listener, when one is configured. */
    public Optional<Integer> metricsPort() {
        return http.metricsPort();
    }

    /**
     * Stops accepting, lets requests in flight finish (up to {@link #SHUTDOWN_GRACE}), then closes the store, which
     * commits every issuance already queued. Every request answered 2xx is therefore in the store.
     */
    @Override
    public void close() {
        log.atInfo().setMessage("issuer stopping").addKeyValue("event", "shutdown").log();
        http.close();
        anchor.ifPresent(AuditAnchorWriter::close);
        if (store != null) {
            store.close();
        }
        log.atInfo().setMessage("issuer stopped").addKeyValue("event", "stopped").addKeyValue("requests", requests.get())
                .log();
    }
}
