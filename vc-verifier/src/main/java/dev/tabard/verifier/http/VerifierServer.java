package dev.tabard.verifier.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.Base64Url;
import dev.tabard.codec.JsonCodec;
import dev.tabard.did.Relationship;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemJson;
import dev.tabard.problem.ProblemType;
import dev.tabard.verifier.PresentationOptions;
import dev.tabard.verifier.VerificationResult;
import dev.tabard.verifier.Verifier;
import dev.tabard.verifier.VerifyOptions;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The W3C VC-API verification endpoints over a {@link Verifier}: {@code POST /credentials/verify},
 * {@code POST /presentations/verify}, {@code POST /presentations/verify-batch}, {@code POST /challenges},
 * {@code GET /healthz}, {@code GET /metrics}.
 *
 * <p>Success is 200 with the result; a failed verification and a malformed request are both 400 (413 when too
 * large), as RFC 9457 problem details carrying {@code "verified": false} and the problem {@code type}. Bodies are bounded by the bytes
 * actually read, chunked ones included. Nothing the client sends produces a 500.
 */
public final class VerifierServer implements AutoCloseable {

    public static final int MAX_BODY_BYTES = 1_000_000;
    public static final int MAX_BATCH = 100;
    public static final int MAX_OPEN_CHALLENGES = 100_000;
    public static final Duration CHALLENGE_LIFETIME = Duration.ofMinutes(5);

    private final Verifier verifier;
    private final String domain;
    private final Clock clock;
    private final boolean requireIssuedChallenges;
    private final Javalin app;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Instant> challenges = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    /** Verifications running at once: twice the cores, so that one waiting on a status list fetch leaves the others room. */
    private final Semaphore verifications = new Semaphore(2 * Runtime.getRuntime().availableProcessors(), true);
    private final AtomicLong verified = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Map<String, AtomicLong> problemCounts = new ConcurrentHashMap<>();

    private VerifierServer(Verifier verifier, String domain, Clock clock, boolean requireIssuedChallenges, Optional<SSLContext> tls,
                           int port) {
        this.verifier = verifier;
        this.domain = domain;
        this.clock = clock;
        this.requireIssuedChallenges = requireIssuedChallenges;
        this.app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            // no reserved threads: their spin-waiting costs a core on a small machine under load
            org.eclipse.jetty.util.thread.QueuedThreadPool pool = new org.eclipse.jetty.util.thread.QueuedThreadPool(200, 8, 60_000);
            pool.setReservedThreads(0);
            pool.setName("tabard-verifier-http");
            config.jetty.threadPool = pool;
            config.http.maxRequestSize = MAX_BODY_BYTES;
            tls.ifPresent(ctx -> config.jetty.addConnector((server, httpConfig) -> {
                SslContextFactory.Server ssl = new SslContextFactory.Server();
                ssl.setSslContext(ctx);
                httpConfig.addCustomizer(new SecureRequestCustomizer(false));
                ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                        new HttpConnectionFactory(httpConfig));
                connector.setHost("127.0.0.1");
                connector.setPort(port);
                return connector;
            }));
        });
        app.post("/credentials/verify", this::verifyCredential);
        app.post("/presentations/verify", this::verifyPresentation);
        app.post("/presentations/verify-batch", this::verifyBatch);
        app.post("/challenges", this::challenge);
        app.post("/agent-cards/verify", this::verifyAgentCard);
        app.get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
        app.get("/metrics", this::metrics);
        app.exception(ProblemException.class, (e, ctx) -> problem(ctx, e.problems(), false));
        app.exception(io.javalin.http.HttpResponseException.class, (e, ctx) -> {
            ProblemType type = e.getStatus() == 413 ? ProblemType.INPUT_TOO_LARGE
                    : e.getStatus() == 404 ? ProblemType.NOT_FOUND : ProblemType.MALFORMED_VALUE_ERROR;
            problem(ctx, List.of(Problem.of(type, e.getStatus() == 404 ? "no such endpoint: " + ctx.method() + " " + ctx.path()
                    : "request refused (HTTP " + e.getStatus() + ")")), false);
            ctx.status(e.getStatus() >= 500 ? 400 : e.getStatus());
        });
        app.exception(Exception.class, (e, ctx) -> problem(ctx, List.of(Problem.of(ProblemType.INTERNAL_ERROR,
                "the request could not be processed")), false));
        app.error(404, ctx -> {
            if (!ctx.res().isCommitted() && ctx.result() == null) {
                problem(ctx, List.of(Problem.of(ProblemType.NOT_FOUND, "no such endpoint: " + ctx.method() + " " + ctx.path())), false);
                ctx.status(404);
            }
        });
        app.error(405, ctx -> problem(ctx, List.of(Problem.of(ProblemType.MALFORMED_VALUE_ERROR, "method not allowed")), false));
    }

    /**
     * Starts a server on 127.0.0.1 on {@code port} (0 for any): plain HTTP, or HTTPS when {@code tls} is given.
     *
     * @param domain the domain presentations must be addressed to
     * @param requireIssuedChallenges whether presentation challenges must come from {@code POST /challenges}
     */
    public static VerifierServer start(Verifier verifier, String domain, int port, Optional<SSLContext> tls, Clock clock,
                                       boolean requireIssuedChallenges) {
        Objects.requireNonNull(verifier, "verifier");
        VerifierServer s = new VerifierServer(verifier, domain, clock, requireIssuedChallenges, tls, port);
        if (tls.isPresent()) {
            s.app.start();
        } else {
            s.app.start("127.0.0.1", port);
        }
        return s;
    }

    public int port() {
        return ((ServerConnector) app.jettyServer().server().getConnectors()[0]).getLocalPort();
    }

    @Override
    public void close() {
        app.stop();
    }

    private void challenge(Context ctx) {
        Instant now = clock.instant();
        if (challenges.size() >= MAX_OPEN_CHALLENGES) {
            challenges.values().removeIf(exp -> exp.isBefore(now));
            if (challenges.size() >= MAX_OPEN_CHALLENGES) {
                throw new ProblemException(ProblemType.SERVICE_UNAVAILABLE, "too many open challenges");
            }
        }
        byte[] b = new byte[24];
        random.nextBytes(b);
        String challenge = Base64Url.encode(b);
        Instant expires = now.plus(CHALLENGE_LIFETIME);
        challenges.put(challenge, expires);
        ctx.status(201).json(Map.of("challenge", challenge, "domain", domain, "expires", expires.toString()));
    }

    private void verifyCredential(Context ctx) {
        ObjectNode body = body(ctx);
        JsonNode vc = body.get("verifiableCredential");
        if (vc == null) {
            throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/verifiableCredential", "verifiableCredential is required"));
        }
        String secured = secured(vc, "data:application/vc+jwt,", "EnvelopedVerifiableCredential");
        VerifyOptions options = credentialOptions(body.path("options"));
        respond(ctx, gated(() -> verifier.verifyCredential(secured, options)));
    }

    /**
     * The VC-API options this endpoint acts on: {@code expectedProofPurpose}, {@code challenge}, {@code domain}.
     * Others, such as the suites' {@code checks}, are accepted and ignored: every check always runs.
     */
    private static VerifyOptions credentialOptions(JsonNode options) {
        if (options.isMissingNode() || options.isNull()) {
            return VerifyOptions.defaults();
        }
        if (!options.isObject()) {
            throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/options", "options must be an object"));
        }
        Relationship purpose = Relationship.ASSERTION_METHOD;
        if (options.has("expectedProofPurpose")) {
            String p = optionalText(options, "expectedProofPurpose").orElse("");
            purpose = Relationship.fromProperty(p).filter(r -> r == Relationship.ASSERTION_METHOD || r == Relationship.AUTHENTICATION)
                    .orElseThrow(() -> new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/options/expectedProofPurpose",
                            "expectedProofPurpose is assertionMethod or authentication")));
        }
        return new VerifyOptions(purpose, optionalText(options, "challenge"), optionalText(options, "domain"));
    }

    private static Optional<String> optionalText(JsonNode options, String name) {
        JsonNode v = options.get(name);
        if (v == null) {
            return Optional.empty();
        }
        if (!v.isTextual() || v.asText().isEmpty() || v.asText().length() > 1024) {
            throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/options/" + name,
                    name + " must be a non-empty string up to 1024 characters"));
        }
        return Optional.of(v.asText());
    }

    private void verifyAgentCard(Context ctx) {
        ObjectNode body = body(ctx);
        JsonNode card = body.get("agentCard");
        if (card == null || !card.isObject()) {
            throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/agentCard", "agentCard must be the signed card"));
        }
        String json = card.toString();
        respond(ctx, gated(() -> verifier.verifyAgentCard(json)));
    }

    private void verifyPresentation(Context ctx) {
        respond(ctx, presentation(body(ctx), ""));
    }

    /**
     * Runs one verification once a slot is free. Verifying is CPU work: with more at once than the machine has cores,
     * each takes longer and the slowest far longer, for no gain in throughput; waiting requests queue in arrival order.
     */
    private VerificationResult gated(Supplier<VerificationResult> verification) {
        verifications.acquireUninterruptibly();
        try {
            return verification.get();
        } finally {
            verifications.release();
        }
    }

    private VerificationResult presentation(ObjectNode body, String pointer) {
        JsonNode vp = body.get("verifiablePresentation");
        if (vp == null) {
            throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, pointer + "/verifiablePresentation",
                    "verifiablePresentation is required"));
        }
        JsonNode options = body.path("options");
        String challenge = options.path("challenge").asText("");
        String requestedDomain = options.path("domain").asText(domain);
        if (challenge.isEmpty()) {
            throw new ProblemException(Problem.at(ProblemType.INVALID_CHALLENGE_ERROR, pointer + "/options/challenge",
                    "a presentation is verified against a challenge"));
        }
        if (requireIssuedChallenges) {
            Instant expires = challenges.remove(challenge);
            if (expires == null || expires.isBefore(clock.instant())) {
                throw new ProblemException(Problem.at(ProblemType.INVALID_CHALLENGE_ERROR, pointer + "/options/challenge",
                        "the challenge was not issued by this verifier, was already used, or expired"));
            }
        }
        String secured = secured(vp, "data:application/vp+jwt,", "EnvelopedVerifiablePresentation");
        PresentationOptions expected = new PresentationOptions(challenge, requestedDomain);
        return gated(() -> verifier.verifyPresentation(secured, expected));
    }

    private void verifyBatch(Context ctx) {
        ObjectNode body = body(ctx);
        JsonNode items = body.get("items");
        if (items == null || !items.isArray() || items.isEmpty() || items.size() > MAX_BATCH) {
            throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/items",
                    "items must be an array of 1 to " + MAX_BATCH + " verification requests"));
        }
        ArrayNode results = JsonCodec.mapper().createArrayNode();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            try {
                if (!item.isObject()) {
                    throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/items/" + i, "each item is an object"));
                }
                VerificationResult r = presentation((ObjectNode) item, "/items/" + i);
                count(r);
                ObjectNode json = r.toJson();
                noteMissingPolicy(json);
                results.add(json);
            } catch (ProblemException e) {
                ObjectNode o = ProblemJson.of(e.problems(), null);
                o.put("verified", false);
                results.add(o);
            }
        }
        ctx.status(200).contentType("application/json").result(JsonCodec.writeString(Map.of("results", results)));
    }

    /** Text for a JWT (given bare or enveloped in a data: URL), JSON text for a Data Integrity document. */
    private static String secured(JsonNode v, String dataPrefix, String envelopeType) {
        if (v.isTextual()) {
            return v.asText();
        }
        if (v.isObject() && envelopeType.equals(v.path("type").asText())) {
            // VC DM 2.0 §4.13.2: an envelope carries the base context and a data: URL of the secured form
            JsonNode context = v.path("@context");
            String first = context.isArray() ? context.path(0).asText("") : context.asText("");
            if (!first.equals("https://www.w3.org/ns/credentials/v2")) {
                throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/@context",
                        "an envelope's @context begins with https://www.w3.org/ns/credentials/v2"));
            }
            if (!v.path("id").asText().startsWith(dataPrefix)) {
                throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/id", "an " + envelopeType + " id is a "
                        + dataPrefix + " URL"));
            }
            return v.path("id").asText().substring(dataPrefix.length());
        }
        if (v.isObject()) {
            return v.toString();
        }
        throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "expected a secured document or a JWT");
    }

    private ObjectNode body(Context ctx) {
        requests.incrementAndGet();
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

    private void respond(Context ctx, VerificationResult r) {
        count(r);
        if (r.verified()) {
            ObjectNode body = r.toJson();
            noteMissingPolicy(body);
            ctx.status(200).contentType("application/json").result(JsonCodec.writeString(body));
        } else {
            problem(ctx, r.errors(), true);
        }
    }

    /** Says so in every result when the verifier trusts any issuer, so no caller mistakes "verified" for "trusted". */
    private void noteMissingPolicy(ObjectNode body) {
        if (verifier.policy().trustAnyIssuer()) {
            body.put("trustPolicy", "none: proofs, holder binding, dates and status were checked, but any issuer is accepted");
        }
    }

    private void count(VerificationResult r) {
        (r.verified() ? verified : failed).incrementAndGet();
        for (Problem p : r.errors()) {
            problemCounts.computeIfAbsent(p.type().name(), k -> new AtomicLong()).incrementAndGet();
        }
    }

    private void problem(Context ctx, List<Problem> problems, boolean verification) {
        ObjectNode o = ProblemJson.of(problems, ctx.path());
        o.put("verified", false);
        noteMissingPolicy(o);
        int status = ProblemJson.status(problems);
        if (verification) {
            // VC-API: a credential or presentation that fails verification is "invalid input"; the W3C suites
            // accept 400 or 422, and some of their versions only 400
            status = 400;
        } else if (status >= 500 && problems.get(0).type() != ProblemType.SERVICE_UNAVAILABLE) {
            status = problems.get(0).type() == ProblemType.NOT_FOUND ? 404 : 400;
        }
        if (!verification && problems.get(0).type() == ProblemType.INTERNAL_ERROR) {
            status = 500;
        }
        ctx.status(status).contentType(ProblemJson.MEDIA_TYPE).result(JsonCodec.writeString(o));
    }

    private void metrics(Context ctx) {
        StringBuilder sb = new StringBuilder();
        sb.append("# TYPE tabard_verifier_requests_total counter\ntabard_verifier_requests_total ").append(requests.get()).append('\n');
        sb.append("# TYPE tabard_verifier_results_total counter\n");
        sb.append("tabard_verifier_results_total{verified=\"true\"} ").append(verified.get()).append('\n');
        sb.append("tabard_verifier_results_total{verified=\"false\"} ").append(failed.get()).append('\n');
        sb.append("# TYPE tabard_verifier_problems_total counter\n");
        problemCounts.forEach((k, v) -> sb.append("tabard_verifier_problems_total{type=\"").append(k).append("\"} ").append(v.get()).append('\n'));
        ctx.contentType("text/plain; version=0.0.4").result(sb.toString());
    }
}
