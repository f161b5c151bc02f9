package dev.tabard.verifier.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.http.HttpService;
import dev.tabard.http.MetricsAccess;
import dev.tabard.http.RateLimit;
import dev.tabard.http.ServiceMetrics;
import dev.tabard.http.TransportLimits;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemJson;
import dev.tabard.problem.ProblemType;
import dev.tabard.verifier.Action;
import dev.tabard.verifier.PresentationOptions;
import dev.tabard.verifier.VerificationResult;
import dev.tabard.verifier.Verifier;
import dev.tabard.verifier.VerifyOptions;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * The W3C VC-API verification endpoints over a {@link Verifier}: {@code POST /credentials/verify},
 * {@code POST /presentations/verify}, {@code POST /presentations/verify-batch}, {@code POST /challenges},
 * {@code GET /healthz}, and {@code GET /metrics} when {@link MetricsAccess} allows.
 *
 * <p>Success is 200 with the result; a failed verification and a malformed request are both 400 (413 when too
 * large), as RFC 9457 problem details carrying {@code "verified": false} and the problem {@code type}. The transport
 * ({@link HttpService}) bounds time, connections and bodies; nothing the client sends produces a 500.
 *
 * <p><b>Security:</b> a presentation is verified against the domain its caller expects ({@code options.domain}),
 * which must be one of this verifier's when it was configured with some ({@link Builder#domain}); a challenge from
 * {@code POST /challenges} is bound to the domain it was issued for. Challenges are rate-limited and capped per client
 * address. With {@code options.action}, a presentation verifies only if the acting agent's authority allows the action.
 * With a shared {@link RedisStore} ({@link Builder#replayStore}) that does not answer, presentations and challenges are
 * refused with 503 {@code REPLAY_STORE_UNAVAILABLE} and {@code Retry-After}, never accepted unchecked.
 */
public final class VerifierServer implements AutoCloseable {

    public static final int MAX_BODY_BYTES = 1_000_000;
    public static final int MAX_BATCH = 100;
    /** Open challenges in all: 100,000 of about 200 bytes, 20 MB; when full, the largest holder loses its oldest. */
    public static final int MAX_OPEN_CHALLENGES = 100_000;
    /**
     * Open challenges one client address may hold: a relying party redeems each within seconds, so 1,000 unused at
     * once is a client that asks and never presents.
     */
    public static final int MAX_OPEN_CHALLENGES_PER_CLIENT = 1_000;
    /**
     * {@code POST /challenges} per client address: 20 a second, bursts of 100. One relying party verifying twenty
     * agents a second is a busy one; 100,000 requests from one address now take over an hour, not seconds.
     */
    public static final RateLimit CHALLENGE_RATE = RateLimit.perSecond(20, 100);
    public static final Duration CHALLENGE_LIFETIME = Duration.ofMinutes(5);

    private final Verifier verifier;
    private final List<String> domains;
    private final boolean requireIssuedChallenges;
    private final HttpService http;
    private final ChallengeStore challenges;
    private final EndpointMetrics counters;
    /** Verifications running at once: twice the cores, so that one waiting on a status list fetch leaves the others room. */
    private final Semaphore verifications = new Semaphore(2 * Runtime.getRuntime().availableProcessors(), true);

    private VerifierServer(Builder b) {
        this.verifier = b.verifier;
        this.domains = List.copyOf(b.domains);
        this.requireIssuedChallenges = b.requireIssuedChallenges;
        this.challenges = b.store != null ? b.store.challenges(MAX_OPEN_CHALLENGES_PER_CLIENT, CHALLENGE_LIFETIME, new SecureRandom())
                : new Challenges(MAX_OPEN_CHALLENGES, MAX_OPEN_CHALLENGES_PER_CLIENT, CHALLENGE_LIFETIME, b.clock, new SecureRandom());
        ServiceMetrics meters = ServiceMetrics.create("verifier");
        this.counters = new EndpointMetrics(meters.registry(), challenges::open);
        this.http = HttpService.builder("tabard-verifier-http").port(b.port).tls(Optional.ofNullable(b.tls)).clock(b.clock).limits(b.limits)
                .maxBodyBytes(MAX_BODY_BYTES).rateLimit("/challenges", CHALLENGE_RATE).metrics(b.metrics, meters)
                .problemMembers(o -> {
                    o.put("verified", false);
                    noteMissingPolicy(o);
                }).build();
        Javalin app = http.app();
        app.post("/credentials/verify", this::verifyCredential);
        app.post("/presentations/verify", this::verifyPresentation);
        app.post("/presentations/verify-batch", this::verifyBatch);
        app.post("/challenges", this::challenge);
        app.post("/agent-cards/verify", this::verifyAgentCard);
        app.get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
    }

    /**
     * The one way to start a server: {@code VerifierServer.builder(verifier).domain("https://rp.example").start()} listens
     * on 127.0.0.1, on any free port, over plain HTTP, with the default transport limits and no {@code /metrics}.
     */
    public static Builder builder(Verifier verifier) {
        return new Builder(verifier);
    }

    /** Configures one server. Single use. */
    public static final class Builder {
        private final Verifier verifier;
        private final List<String> domains = new ArrayList<>();
        private int port;
        private SSLContext tls;
        private Clock clock = Clock.systemUTC();
        private boolean requireIssuedChallenges = false;
        private TransportLimits limits = TransportLimits.defaults();
        private MetricsAccess metrics = MetricsAccess.notServed();
        private RedisStore store;

        private Builder(Verifier verifier) {
            this.verifier = Objects.requireNonNull(verifier, "verifier");
        }

        /**
         * Restricts the domains presentations may be addressed to; call once per domain. The first is the default for
         * {@code POST /challenges}. Without any, each caller names the domain it expects ({@code options.domain}, and
         * {@code {"domain": …}} for a challenge), as the VC-API has it: the verifier then checks the presentation is
         * bound to that domain.
         */
        public Builder domain(String domain) {
            Objects.requireNonNull(domain, "domain");
            if (domain.isBlank()) {
                throw new IllegalArgumentException("a domain must not be blank");
            }
            domains.add(domain);
            return this;
        }

        /** The port to listen on; 0 (the default) takes any free one, see {@link VerifierServer#port()}. */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0..65535");
            }
            this.port = port;
            return this;
        }

        /** Serves HTTPS with {@code tls}; without it the server speaks plain HTTP (for a TLS-terminating proxy). */
        public Builder tls(SSLContext tls) {
            this.tls = Objects.requireNonNull(tls, "tls");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Accepts only challenges from {@code POST /challenges}: each is single-use and lives
         * {@link #CHALLENGE_LIFETIME}. By default the caller's own challenge is accepted too (the VC-API, OpenID4VP and
         * agent handshakes make their own), and the replay guard refuses a presentation seen before.
         */
        public Builder requireIssuedChallenges() {
            this.requireIssuedChallenges = true;
            return this;
        }

        /**
         * Keeps the challenges {@code POST /challenges} issues in {@code store}, shared with the other instances behind
         * the same load balancer: one issued by any is redeemed once, by any. Give the verifier the same store
         * ({@code Verifier.builder().replayStore(store)}) so that presentations are remembered there too. When the
         * store does not answer, issuing and redeeming fail with {@code REPLAY_STORE_UNAVAILABLE} (503).
         */
        public Builder replayStore(RedisStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        public Builder limits(TransportLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        public Builder metrics(MetricsAccess metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /** Starts the server on 127.0.0.1. */
        public VerifierServer start() {
            VerifierServer s = new VerifierServer(this);
            s.http.start();
            return s;
        }
    }

    /** Challenges issued by {@code POST /challenges} and not yet answered or expired; -1 when they are kept in Redis. */
    public int openChallenges() {
        return challenges.open();
    }

    public int port() {
        return http.port();
    }

    /** The port of the separate metrics listener, when one is configured. */
    public Optional<Integer> metricsPort() {
        return http.metricsPort();
    }

    /** The domains presentations may be addressed to, the first the default; empty when each caller names its own. */
    public List<String> domains() {
        return domains;
    }

    @Override
    public void close() {
        http.close();
    }

    /**
     * Issues a challenge bound to the calling address and to a domain: the one named in an optional body
     * {@code {"domain": …}} when it is one of this verifier's, otherwise the default.
     */
    private void challenge(Context ctx) {
        Optional<String> requested = Optional.empty();
        if (ctx.req().getContentLengthLong() > 0 || ctx.header("Transfer-Encoding") != null) {
            requested = VcApiRequests.optionalText(VcApiRequests.body(ctx), "domain", "/domain");
        }
        String domain = expectedDomain(requested, "/domain");
        ChallengeStore.Issued issued = retryLater(ctx, () -> challenges.issue(dev.tabard.http.ClientAddress.of(ctx), domain));
        ctx.status(201).json(Map.of("challenge", issued.challenge(), "domain", issued.domain(), "expires", issued.expires().toString()));
    }

    /**
     * The domain a presentation must be bound to: the caller's, which must be one of this verifier's when it has some;
     * without one, this verifier's first.
     */
    private String expectedDomain(Optional<String> requested, String pointer) {
        if (requested.isEmpty()) {
            if (domains.isEmpty()) {
                throw new ProblemException(Problem.at(ProblemType.INVALID_DOMAIN_ERROR, pointer, "name the domain the presentation "
                        + "is addressed to: this verifier checks each presentation against the domain its caller expects"));
            }
            return domains.get(0);
        }
        return domains.isEmpty() ? requested.get() : configuredDomain(requested.get(), pointer);
    }

    private String configuredDomain(String requested, String pointer) {
        if (!domains.contains(requested)) {
            throw new ProblemException(Problem.at(ProblemType.INVALID_DOMAIN_ERROR, pointer, "this verifier accepts presentations "
                    + "addressed to " + String.join(", ", domains) + " only; request a challenge for one of them"));
        }
        return requested;
    }

    private void verifyCredential(Context ctx) {
        ObjectNode body = VcApiRequests.body(ctx);
        JsonNode vc = body.get("verifiableCredential");
        if (vc == null) {
            throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/verifiableCredential", "verifiableCredential is required"));
        }
        String secured = VcApiRequests.secured(vc, "data:application/vc+jwt,", "EnvelopedVerifiableCredential");
        VerifyOptions options = VcApiRequests.credentialOptions(body.path("options"));
        respond(ctx, gated(() -> verifier.verifyCredential(secured, options)));
    }

    private void verifyAgentCard(Context ctx) {
        ObjectNode body = VcApiRequests.body(ctx);
        JsonNode card = body.get("agentCard");
        if (card == null || !card.isObject()) {
            throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/agentCard", "agentCard must be the signed card"));
        }
        String json = card.toString();
        respond(ctx, gated(() -> verifier.verifyAgentCard(json)));
    }

    private void verifyPresentation(Context ctx) {
        ObjectNode body = VcApiRequests.body(ctx);
        respond(ctx, retryLater(ctx, () -> presentation(body, "")));
    }

    /** Seconds a client is asked to wait when the replay store does not answer. */
    static final int RETRY_AFTER_SECONDS = 2;

    /** Runs {@code work}; when the replay store did not answer, the problem's 503 goes out with {@code Retry-After}. */
    private static <T> T retryLater(Context ctx, Supplier<T> work) {
        try {
            return work.get();
        } catch (ProblemException e) {
            if (e.problems().get(0).type() == ProblemType.REPLAY_STORE_UNAVAILABLE) {
                ctx.header("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
            }
            throw e;
        }
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
        if (challenge.isEmpty()) {
            throw new ProblemException(Problem.at(ProblemType.INVALID_CHALLENGE_ERROR, pointer + "/options/challenge",
                    "a presentation is verified against a challenge"));
        }
        // the caller names the domain it expects: any, or one of this verifier's when it was given some
        Optional<String> requested = options.isObject() ? VcApiRequests.optionalText(options, "domain", pointer + "/options/domain") : Optional.empty();
        String domain = requested.isPresent() || !domains.isEmpty() ? expectedDomain(requested, pointer + "/options/domain") : "";
        // a challenge issued here is used up by the presentation that answers it, and binds it to the domain it was
        // issued for, whether or not this verifier also accepts challenges its callers made
        Optional<ChallengeStore.Issued> issued = challenges.redeem(challenge);
        if (issued.isEmpty() && requireIssuedChallenges) {
            throw new ProblemException(Problem.at(ProblemType.INVALID_CHALLENGE_ERROR, pointer + "/options/challenge",
                    "the challenge was not issued by this verifier, was already used, or expired; request one from POST /challenges"));
        }
        if (issued.isPresent()) {
            if (requested.isPresent() && !requested.get().equals(issued.get().domain())) {
                throw new ProblemException(Problem.at(ProblemType.INVALID_DOMAIN_ERROR, pointer + "/options/domain",
                        "the challenge was issued for " + issued.get().domain() + ", not " + requested.get()));
            }
            domain = issued.get().domain();
        } else if (domain.isEmpty()) {
            throw new ProblemException(Problem.at(ProblemType.INVALID_DOMAIN_ERROR, pointer + "/options/domain", "name the domain the "
                    + "presentation is addressed to: this verifier checks each presentation against the domain its caller expects"));
        }
        String secured = VcApiRequests.secured(vp, "data:application/vp+jwt,", "EnvelopedVerifiablePresentation");
        PresentationOptions bound = new PresentationOptions(challenge, domain);
        PresentationOptions expected = options.has("action")
                ? bound.withAction(Action.fromJson(options.get("action"), pointer + "/options/action")) : bound;
        VerificationResult result = gated(() -> verifier.verifyPresentation(secured, expected));
        if (issued.isPresent() && !result.verified() && VERIFIER_SIDE.contains(result.errors().get(0).type())) {
            challenges.restore(issued.get());
        }
        return result;
    }

    /** Failures that are this verifier's, not the presenter's: they do not use up the challenge. */
    private static final java.util.Set<ProblemType> VERIFIER_SIDE = java.util.EnumSet.of(ProblemType.STATUS_RETRIEVAL_ERROR,
            ProblemType.FETCH_FAILED, ProblemType.SERVICE_UNAVAILABLE, ProblemType.INTERNAL_ERROR, ProblemType.NOT_FOUND,
            ProblemType.REPLAY_STORE_UNAVAILABLE);

    private void verifyBatch(Context ctx) {
        ObjectNode body = VcApiRequests.body(ctx);
        JsonNode items = body.get("items");
        if (items == null || !items.isArray() || items.isEmpty() || items.size() > MAX_BATCH) {
            throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/items",
                    "items must be an array of 1 to " + MAX_BATCH + " verification requests"));
        }
        ArrayNode results = JsonCodec.arrayNode();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            try {
                if (!item.isObject()) {
                    throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/items/" + i, "each item is an object"));
                }
                VerificationResult r = presentation((ObjectNode) item, "/items/" + i);
                counters.count(r);
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

    private void respond(Context ctx, VerificationResult r) {
        counters.count(r);
        if (r.verified()) {
            ObjectNode body = r.toJson();
            noteMissingPolicy(body);
            ctx.status(200).contentType("application/json").result(JsonCodec.writeString(body));
        } else if (r.errors().get(0).type() == ProblemType.REPLAY_STORE_UNAVAILABLE) {
            // not a verdict on the presentation: it could not be checked for replay, and is refused until it can be
            ctx.header("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
            http.respond(ctx, 503, r.errors());
        } else {
            // VC-API: a credential or presentation that fails verification is "invalid input"; the W3C suites
            // accept 400 or 422, and some of their versions only 400
            http.respond(ctx, 400, r.errors());
        }
    }

    /** Says so in every result when the verifier trusts any issuer, so no caller mistakes "verified" for "trusted". */
    private void noteMissingPolicy(ObjectNode body) {
        if (verifier.policy().trustAnyIssuer()) {
            body.put("trustPolicy", "none: proofs, holder binding, dates and status were checked, but any issuer is accepted");
        }
    }
}
