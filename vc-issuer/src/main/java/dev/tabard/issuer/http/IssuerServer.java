package dev.tabard.issuer.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.audit.AuditEntry;
import dev.tabard.audit.AuditLog;
import dev.tabard.audit.AuditVerdict;
import dev.tabard.codec.Base64Url;
import dev.tabard.codec.JsonCodec;
import dev.tabard.did.Did;
import dev.tabard.http.HttpService;
import dev.tabard.http.MetricsAccess;
import dev.tabard.http.RateLimit;
import dev.tabard.http.TransportLimits;
import dev.tabard.issuer.IssuanceFormat;
import dev.tabard.issuer.IssuerConfig;
import dev.tabard.issuer.IssuerService;
import dev.tabard.issuer.agents.Agent;
import dev.tabard.issuer.audit.AuditAnchor;
import dev.tabard.issuer.audit.AuditAnchorWriter;
import dev.tabard.issuer.store.IssuerStore;
import dev.tabard.issuer.store.OwnerOnlyFiles;
import dev.tabard.issuer.store.SqliteIssuerStore;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.AgentClaims;
import dev.tabard.vc.jose.EnvelopedCredential;
import dev.tabard.vc.status.StatusPurpose;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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


    private final IssuerService service;
    private final IssuerStore store;
    private final AdminAuth auth;
    private final HttpService http;
    private final Javalin app;
    private final dev.tabard.issuer.oid4vci.Oid4vciEndpoints oid4vci;
    private final AtomicLong requests = new AtomicLong();
    /** Set once at start; the HTTP glue only reads it. */
    private Optional<AuditAnchorWriter> anchor = Optional.empty();

    private IssuerServer(IssuerService service, Optional<SSLContext> tls, int port, java.net.URI publicUrl, Clock clock,
                         VcApiAccess vcApiAccess, Transport transport) {
        this.service = service;
        this.oid4vci = new dev.tabard.issuer.oid4vci.Oid4vciEndpoints(service, publicUrl, clock);
        this.store = service.store();
        this.auth = new AdminAuth(store);
        this.http = HttpService.builder("tabard-issuer-http").port(port).tls(tls).clock(clock).limits(transport.limits())
                .maxBodyBytes(MAX_BODY_BYTES).rateLimit("/oid4vci/nonce", NONCE_RATE).rateLimit("/oid4vci/token", TOKEN_RATE)
                .formRoute("/oid4vci/token")
                .metrics(transport.metrics(), () -> "# HELP tabard_issuer_requests_total HTTP requests received.\n"
                        + "# TYPE tabard_issuer_requests_total counter\ntabard_issuer_requests_total " + requests.get() + "\n"
                        + service.metrics().render())
                .javalin(config -> {
                    config.requestLogger.http(this::logRequest);
                    // on stop, Jetty closes the listener, lets requests in flight finish (Javalin's StatisticsHandler
                    // tracks them) for up to this long, then closes connections
                    config.jetty.modifyServer(server -> server.setStopTimeout(SHUTDOWN_GRACE.toMillis()));
                }).build();
        this.app = http.app();
        app.before(ctx -> {
            requests.incrementAndGet();
            String given = ctx.header("X-Request-Id");
            String id = given != null && REQUEST_ID.matcher(given).matches() ? given
                    : Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
            ctx.attribute("requestId", id);
            ctx.attribute("startNanos", System.nanoTime());
            ctx.header("X-Request-Id", id);
            org.slf4j.MDC.put("requestId", id);
        });
        app.get("/.well-known/did.json", this::didDocument);
        app.get("/healthz", ctx -> ctx.json(Map.of("status", "ok", "did", service.did().toString())));
        app.get("/status/{id}", this::statusList);
        app.post("/admin/agents", this::putAgent);
        app.get("/admin/agents", this::listAgents);
        app.get("/admin/agents/{did}", this::getAgent);
        app.post("/admin/agents/{did}/deactivate", this::deactivate);
        app.post("/admin/agents/{did}/credentials", this::issue);
        app.post("/admin/credentials/{id}/{action}", this::status);
        app.get("/admin/audit", this::audit);
        app.get("/admin/audit/verify", this::verifyAudit);
        app.post("/admin/tokens", this::createToken);
        app.get("/admin/keys", this::listKeys);
        app.post("/admin/keys", ctx -> {
            String actor = auth.require(ctx, "admin");
            String type = Optional.ofNullable(ctx.queryParam("type")).orElse("Ed25519");
            if (!type.equals("Ed25519") && !type.equals("P-256")) {
                throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "type is Ed25519 or P-256");
            }
            var k = service.addKey(type.equals("P-256") ? dev.tabard.crypto.KeyType.P256 : dev.tabard.crypto.KeyType.ED25519, actor);
            ctx.status(201).contentType("application/json").result(JsonCodec.writeString(Map.of("id", k.id(), "state", k.state().name())));
        });
        app.post("/admin/keys/{id}/activate", ctx -> {
            service.activateKey(ctx.pathParam("id"), auth.require(ctx, "admin"));
            ctx.status(204);
        });
        app.post("/admin/keys/retire-expired", ctx -> {
            var retired = service.retireExpiredKeys(auth.require(ctx, "admin"));
            ctx.contentType("application/json").result(JsonCodec.writeString(Map.of("retired", retired)));
        });
        new VcApiEndpoints(service, auth, vcApiAccess).register(app);
        new DelegationEndpoints(service, auth, clock).register(app);
        app.post("/admin/agents/{did}/offer", this::offer);
        oid4vci.register(app);
    }

    /**
     * Opens the store under {@code config.dataDir()} and serves on 127.0.0.1 (HTTPS when {@code tls} is given); the
     * VC-API endpoints need a token.
     */
    public static IssuerServer start(IssuerConfig config, Optional<SSLContext> tls, Clock clock) {
        return start(config, tls, clock, VcApiAccess.TOKEN);
    }

    /** As {@link #start(IssuerConfig, Optional, Clock)}, with the VC-API endpoints open as {@code vcApiAccess} says. */
    public static IssuerServer start(IssuerConfig config, Optional<SSLContext> tls, Clock clock, VcApiAccess vcApiAccess) {
        return start(config, tls, clock, vcApiAccess, Transport.defaults());
    }

    /** As {@link #start(IssuerConfig, Optional, Clock, VcApiAccess)}, with the transport limits and metrics access given. */
    public static IssuerServer start(IssuerConfig config, Optional<SSLContext> tls, Clock clock, VcApiAccess vcApiAccess,
                                     Transport transport) {
        java.util.Objects.requireNonNull(vcApiAccess, "vcApiAccess");
        java.util.Objects.requireNonNull(transport, "transport");
        try {
            OwnerOnlyFiles.createDirectories(config.dataDir());
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + config.dataDir(), e);
        }
        SqliteIssuerStore store = SqliteIssuerStore.open(config.dataDir().resolve("issuer.db"), clock, new SecureRandom());
        try {
            // before the service signs anything: never sign over a log that lost the anchored head
            AuditAnchor.requireHeldBy(config.dataDir(), store);
        } catch (IllegalStateException e) {
            store.close();
            throw e;
        }
        IssuerService service = new IssuerService(store, config, clock, new SecureRandom());
        IssuerServer s = new IssuerServer(service, tls, config.port(), config.publicUrl(), clock, vcApiAccess, transport);
        s.anchor = Optional.of(AuditAnchorWriter.start(store, config.dataDir()));
        s.http.start();
        log.atInfo().setMessage("issuer started").addKeyValue("event", "start").addKeyValue("did", service.did().toString())
                .addKeyValue("publicUrl", config.publicUrl().toString()).addKeyValue("port", s.port()).addKeyValue("tls", tls.isPresent())
                .addKeyValue("keys", service.keys().stream().filter(k -> k.published()).map(k -> k.id()).toList().toString()).log();
        return s;
    }

    /**
     * One access line per request: method, path, route, status, milliseconds and request id. Never headers, query
     * strings or bodies, so no token, code or credential reaches the log.
     */
    private void logRequest(Context ctx, Float ms) {
        service.metrics().response(ctx.statusCode());
        Long start = ctx.attribute("startNanos");
        double millis = start == null ? ms : (System.nanoTime() - start) / 1_000_000.0;
        log.atInfo().setMessage("request").addKeyValue("method", ctx.method().name()).addKeyValue("path", ctx.path())
                .addKeyValue("route", route(ctx)).addKeyValue("status", ctx.statusCode())
                .addKeyValue("durationMs", Math.round(millis * 100) / 100.0)
                .addKeyValue("requestId", Optional.ofNullable(ctx.<String>attribute("requestId")).orElse("")).log();
        org.slf4j.MDC.remove("requestId");
    }

    private static String route(Context ctx) {
        try {
            return ctx.endpointHandlerPath();
        } catch (RuntimeException e) {
            return ""; // no endpoint matched (404)
        }
    }

    public IssuerService service() {
        return service;
    }

    public int port() {
        return http.port();
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
        store.close();
        log.atInfo().setMessage("issuer stopped").addKeyValue("event", "stopped").addKeyValue("requests", requests.get())
                .log();
    }

    private void didDocument(Context ctx) {
        if (!service.did().method().equals("web")) {
            throw new ProblemException(ProblemType.ROUTE_NOT_FOUND, "this issuer's DID is " + service.did() + ", which is resolved "
                    + "from the DID itself; only a did:web issuer serves a DID document here");
        }
        ctx.contentType("application/did+json").header("Cache-Control", "max-age=300").result(service.didDocument());
    }

    private void statusList(Context ctx) {
        int id;
        try {
            id = Integer.parseInt(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new ProblemException(ProblemType.RESOURCE_NOT_FOUND, "no status list '" + ctx.pathParam("id")
                    + "': status list ids are numbers, as in the statusListCredential URLs of issued credentials");
        }
        String accept = Optional.ofNullable(ctx.header("Accept")).orElse("").toLowerCase(java.util.Locale.ROOT);
        if (!accept.contains("jwt") && (accept.contains("json") || accept.contains("application/vc"))) {
            // a client that asks only for JSON (as the W3C status list suite does) gets the Data Integrity form
            ObjectNode doc = service.statusListDocument(id).orElseThrow(() -> new ProblemException(ProblemType.RESOURCE_NOT_FOUND, "no status list " + id
                    + " on this issuer"));
            String type = accept.contains("application/vc+ld+json") ? "application/vc+ld+json"
                    : accept.contains("application/ld+json") ? "application/ld+json"
                    : accept.contains("application/json") ? "application/json" : "application/vc";
            ctx.contentType(type).header("Cache-Control", "max-age=60").header("Vary", "Accept").result(JsonCodec.writeString(doc));
            return;
        }
        String token = service.statusListCredential(id).orElseThrow(() -> new ProblemException(ProblemType.RESOURCE_NOT_FOUND, "no status list " + id
                    + " on this issuer"));
        ctx.contentType("application/vc+jwt").header("Cache-Control", "max-age=60").header("Vary", "Accept").result(token);
    }

    /** The request body as a JSON object, bounded by the bytes actually read. */
    static ObjectNode body(Context ctx) {
        byte[] bytes;
        try (InputStream in = ctx.bodyInputStream()) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        } catch (IOException e) {
            throw new ProblemException(ProblemType.PARSING_ERROR, "could not read the request body");
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw new ProblemException(ProblemType.INPUT_TOO_LARGE, "request body exceeds " + MAX_BODY_BYTES + " bytes");
        }
        return JsonCodec.parseObject(bytes);
    }

    private static Did did(String text, String pointer) {
        return Did.tryParse(text).orElseThrow(() -> new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, pointer,
                "'" + text + "' is not a DID")));
    }

    private void putAgent(Context ctx) {
        String actor = auth.require(ctx, "issue");
        ObjectNode b = body(ctx);
        Did d = did(b.path("did").asText(""), "/did");
        String name = text(b, "name", "/name");
        JsonNode op = b.path("operator");
        AgentClaims.Operator operator = new AgentClaims.Operator(text(op, "name", "/operator/name"),
                op.hasNonNull("email") ? Optional.of(text(op, "email", "/operator/email")) : Optional.empty());
        Set<String> caps = new LinkedHashSet<>();
        JsonNode c = b.path("capabilities");
        if (!c.isMissingNode() && !c.isArray()) {
            throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/capabilities", "capabilities must be an array"));
        }
        for (int i = 0; i < c.size(); i++) {
            if (!c.get(i).isTextual() || !c.get(i).asText().matches("[a-z0-9][a-z0-9:._-]{0,127}")) {
                throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/capabilities/" + i,
                        "a capability is lower-case letters, digits and : . _ -"));
            }
            caps.add(c.get(i).asText());
        }
        AgentClaims.Constraints constraints;
        AgentClaims.Delegation delegation;
        try {
            ObjectNode cons = b.has("constraints") && b.get("constraints").isObject() ? (ObjectNode) b.get("constraints").deepCopy()
                    : JsonCodec.mapper().createObjectNode();
            JsonNode max = cons.remove("maxTransactionValue");
            JsonNode regions = cons.remove("dataRegions");
            List<String> r = new ArrayList<>();
            if (regions != null) {
                regions.forEach(x -> r.add(x.asText()));
            }
            constraints = new AgentClaims.Constraints(max == null ? Optional.empty()
                    : Optional.of(new AgentClaims.Money(max.path("amount").asText(), max.path("currency").asText())), r, cons.toString());
            JsonNode del = b.path("delegation");
            delegation = new AgentClaims.Delegation(del.path("allowed").asBoolean(false), del.path("maxDepth").asInt(0));
        } catch (IllegalArgumentException e) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, e.getMessage());
        }
        java.time.Instant now = java.time.Instant.now();
        Agent stored = service.putAgent(new Agent(d, name, operator, caps, constraints, delegation, true, now, now), actor);
        ctx.status(201).contentType("application/json").result(JsonCodec.writeString(agentJson(stored)));
    }

    static String text(JsonNode o, String name, String pointer) {
        JsonNode v = o.get(name);
        if (v == null || !v.isTextual() || v.asText().isBlank() || v.asText().length() > 256) {
            throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, pointer, name + " must be a non-empty string up to 256 characters"));
        }
        return v.asText();
    }

    private static ObjectNode agentJson(Agent a) {
        ObjectNode o = a.claims(a.did(), "").subjectJson();
        o.remove("memberOf");
        o.put("active", a.active());
        o.put("created", a.created().toString());
        o.put("updated", a.updated().toString());
        return o;
    }

    private void listAgents(Context ctx) {
        auth.require(ctx, "issue");
        String q = Optional.ofNullable(ctx.queryParam("q")).orElse("");
        if (q.length() > 256) {
            throw new ProblemException(ProblemType.LIMIT_EXCEEDED, "query too long");
        }
        ArrayNode out = JsonCodec.mapper().createArrayNode();
        store.agents(q, "true".equals(ctx.queryParam("active")), 100).forEach(a -> out.add(agentJson(a)));
        ctx.contentType("application/json").result(JsonCodec.writeString(Map.of("agents", out)));
    }

    private void getAgent(Context ctx) {
        auth.require(ctx, "issue");
        Did d = did(ctx.pathParam("did"), "/did");
        Agent a = store.agent(d).orElseThrow(() -> new ProblemException(ProblemType.RESOURCE_NOT_FOUND, "no agent "
                + d + " is registered; register it with POST /admin/agents"));
        ctx.contentType("application/json").result(JsonCodec.writeString(agentJson(a)));
    }

    private void deactivate(Context ctx) {
        String actor = auth.require(ctx, "admin");
        Did d = did(ctx.pathParam("did"), "/did");
        Agent a = store.agent(d).orElseThrow(() -> new ProblemException(ProblemType.RESOURCE_NOT_FOUND, "no agent "
                + d + " is registered; register it with POST /admin/agents"));
        service.putAgent(new Agent(a.did(), a.name(), a.operator(), a.capabilities(), a.constraints(), a.delegation(), false,
                a.created(), a.updated()), actor);
        ctx.status(204);
    }

    private void issue(Context ctx) {
        String actor = auth.require(ctx, "issue");
        Did d = did(ctx.pathParam("did"), "/did");
        IssuanceFormat format = IssuanceFormat.select(Optional.ofNullable(ctx.queryParam("format")),
                Optional.ofNullable(ctx.queryParam("alg")));
        IssuerService.Issued result = service.issue(d, format, actor);
        ObjectNode out = JsonCodec.mapper().createObjectNode();
        out.put("id", result.record().id());
        if (result.dataIntegrity().isPresent()) {
            out.set("verifiableCredential", result.dataIntegrity().get());
        } else {
            out.set("verifiableCredential", EnvelopedCredential.of(result.vcJwt()));
            out.put("vcJwt", result.vcJwt());
        }
        ctx.status(201).contentType("application/json").result(JsonCodec.writeString(out));
    }

    /** An OpenID4VCI credential offer for a registered agent ({@code ?tx_code=true} adds a one-time code). */
    private void offer(Context ctx) {
        auth.require(ctx, "issue");
        Did d = did(ctx.pathParam("did"), "/did");
        Agent a = store.agent(d).orElseThrow(() -> new ProblemException(ProblemType.RESOURCE_NOT_FOUND, "no agent "
                + d + " is registered; register it with POST /admin/agents"));
        if (!a.active()) {
            throw new ProblemException(ProblemType.FORBIDDEN, "agent " + d + " is deactivated");
        }
        ctx.status(201).contentType("application/json").result(JsonCodec.writeString(oid4vci.offer(d, "true".equals(ctx.queryParam("tx_code")))));
    }

    private void status(Context ctx) {
        String action = ctx.pathParam("action");
        String actor = auth.require(ctx, "revoke");
        String id = ctx.pathParam("id");
        switch (action) {
            case "revoke" -> service.setStatus(id, StatusPurpose.REVOCATION, true, actor);
            case "suspend" -> service.setStatus(id, StatusPurpose.SUSPENSION, true, actor);
            case "reinstate" -> service.setStatus(id, StatusPurpose.SUSPENSION, false, actor);
            default -> throw new ProblemException(ProblemType.ROUTE_NOT_FOUND, "no endpoint /admin/credentials/{id}/" + action
                    + "; the actions are revoke, suspend and reinstate");
        }
        ctx.status(204);
    }

    private void audit(Context ctx) {
        auth.require(ctx, "admin");
        long after = parseLong(ctx.queryParam("after"), 0);
        ArrayNode out = JsonCodec.mapper().createArrayNode();
        for (AuditEntry e : store.audit(after, 1000)) {
            out.add(e.toJson());
        }
        ctx.contentType("application/json").result(JsonCodec.writeString(Map.of("entries", out)));
    }

    private void verifyAudit(Context ctx) {
        auth.require(ctx, "admin");
        AuditVerdict verdict = AuditLog.verify(store, Optional.empty(), anchor.flatMap(AuditAnchorWriter::anchor).map(AuditAnchor::named));
        ctx.contentType("application/json").result(JsonCodec.writeString(Map.of("intact", verdict.intact(), "entries", verdict.entries(),
                "signedHeadSeq", verdict.signedHeadSeq(), "problem", verdict.broken().map(Object::toString).orElse(""),
                "message", verdict.message())));
    }

    private void listKeys(Context ctx) {
        auth.require(ctx, "admin");
        ArrayNode out = JsonCodec.mapper().createArrayNode();
        for (var k : service.keys()) {
            ObjectNode o = out.addObject().put("id", k.id()).put("type", k.publicKey().type() == dev.tabard.crypto.KeyType.P256 ? "P-256" : "Ed25519")
                    .put("state", k.state().name()).put("publicKeyMultibase", k.publicKey().toMultibase())
                    .put("created", k.created().toString());
            k.retireAfter().ifPresent(r -> o.put("retireAfter", r.toString()));
        }
        ctx.contentType("application/json").result(JsonCodec.writeString(Map.of("keys", out)));
    }

    private void createToken(Context ctx) {
        String actor = auth.require(ctx, "admin");
        ObjectNode b = body(ctx);
        String name = text(b, "name", "/name");
        String role = text(b, "role", "/role");
        if (!AdminAuth.ROLES.contains(role)) {
            throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/role", "role is issue, revoke or admin"));
        }
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        String token = "tabard_" + Base64Url.encode(raw);
        store.putAdminToken(name, IssuerService.tokenHash(token), role, new IssuerStore.Audit(actor, "admin.token.create", name,
                JsonCodec.writeString(Map.of("role", role))));
        ctx.status(201).contentType("application/json").result(JsonCodec.writeString(Map.of("name", name, "role", role, "token", token)));
    }

    private static long parseLong(String s, long dflt) {
        if (s == null) {
            return dflt;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "'" + s + "' is not a number");
        }
    }
}
