package dev.tabard.gate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.did.Did;
import dev.tabard.httpsig.ContentDigest;
import dev.tabard.httpsig.HttpFields;
import dev.tabard.httpsig.HttpMessage;
import dev.tabard.httpsig.MessageSignatures;
import dev.tabard.httpsig.ReceivedSignature;
import dev.tabard.httpsig.SignatureFields;
import dev.tabard.httpsig.SignatureParameters;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.DelegationChain;
import dev.tabard.verifier.Action;
import dev.tabard.verifier.Verifier;
import dev.tabard.verifier.calls.AgentCalls;
import dev.tabard.verifier.calls.AgentKeys;
import dev.tabard.verifier.calls.BoundAgent;
import dev.tabard.verifier.calls.DecisionReceipt;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of agent-to-agent calls, as plain functions: {@link #admit} decides on a request — its signature
 * ({@link CallVerifier}), the caller's pause, the route's action, the caller's authority for it, the rate limits — and
 * records the decision; {@link #seal} signs the response with the gate's own agent key, covering the request's
 * signature and the decision's receipt, and presents the gate's credential when the caller asked. Thread-safe.
 *
 * <pre>{@code
 * Admission a = gate.admit(new GateRequest("POST", uri, fields, body));
 * if (!a.accepted()) { respond(a.status(), gate.seal(a, a.status(), problemFields, problemBody)); return; }
 * a.caller().get().identity();   // who, with which chain; a.action().get(): what it may do
 * }</pre>
 */
public final class Gate implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Gate.class);
    /** How long a response signature is valid: the caller checks it on arrival. */
    static final Duration RESPONSE_LIFETIME = Duration.ofMinutes(1);

    private final CallVerifier calls;
    private final GateIdentity identity;
    private final RouteActions routes;
    private final DecisionLog decisions;
    private final Throttle throttle;
    private final Breaker breaker;
    private final Clock clock;
    private final AtomicLong accepted = new AtomicLong();
    private final Map<ProblemType, AtomicLong> refused = new ConcurrentHashMap<>();

    private Gate(Builder b) {
        this.clock = b.clock;
        this.identity = b.identity;
        this.routes = b.routes;
        this.decisions = b.decisions;
        this.throttle = new Throttle(b.limits, b.clock);
        this.breaker = new Breaker(b.limits.breaker(), b.clock);
        this.calls = new CallVerifier(b.verifier, new AgentKeys(b.verifier, b.clock, b.statusRecheck, AgentKeys.DEFAULT_MAX_BINDINGS),
                NonceStore.sizedForHeap(b.clock), b.clock, b.audience);
    }

    /** A gate for {@code verifier}'s trust policy, answering as {@code identity}, for {@code routes}, recording to {@code decisions}. */
    public static Builder builder(Verifier verifier, GateIdentity identity, RouteActions routes, DecisionLog decisions) {
        return new Builder(verifier, identity, routes, decisions);
    }

    /** Configures one gate. */
    public static final class Builder {
        private final Verifier verifier;
        private final GateIdentity identity;
        private final RouteActions routes;
        private final DecisionLog decisions;
        private GateLimits limits = GateLimits.defaults();
        private Clock clock = Clock.systemUTC();
        private Optional<String> audience = Optional.empty();
        private Duration statusRecheck = AgentKeys.DEFAULT_STATUS_RECHECK;

        private Builder(Verifier verifier, GateIdentity identity, RouteActions routes, DecisionLog decisions) {
            this.verifier = Objects.requireNonNull(verifier, "verifier");
            this.identity = Objects.requireNonNull(identity, "identity");
            this.routes = Objects.requireNonNull(routes, "routes");
            this.decisions = Objects.requireNonNull(decisions, "decisions");
        }

        public Builder limits(GateLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The origin callers address their presentations to (the gate's public {@code https://host[:port]}); by default each request's own. */
        public Builder audience(String origin) {
            this.audience = Optional.of(origin);
            return this;
        }

        /**
         * How often a bound caller's credentials are checked again (statuses through the verifier's status list cache);
         * a revocation takes effect within this, plus the list's own cache time.
         */
        public Builder statusRecheck(Duration every) {
            this.statusRecheck = Objects.requireNonNull(every, "every");
            return this;
        }

        public Gate build() {
            return new Gate(this);
        }
    }

    /** Decides on {@code request}. Never throws for anything the request can hold. */
    public Admission admit(GateRequest request) {
        boolean presentBack = request.fields().first(AgentCalls.ASK_PRESENTATION).map("?1"::equals).orElse(false);
        CallVerifier.SignedCall signed;
        try {
            signed = calls.authenticate(request);
        } catch (ProblemException e) {
            // not logged: nothing shows who sent it; counted
            Optional<ReceivedSignature> sig = Optional.empty();
            try {
                sig = Optional.of(AgentCalls.agentSignature(request.message()));
            } catch (ProblemException unreadable) {
                // answered without covering the request's signature
            }
            count(e.problems());
            return new Admission(request.message(), sig, Optional.empty(), Optional.empty(), e.problems(), Optional.empty(),
                    Optional.empty(), presentBack && sig.flatMap(s -> s.parameters().nonce()).isPresent());
        }
        VerifiedCall call;
        try {
            call = calls.bind(signed, request);
        } catch (ProblemException e) {
            // the signer is known: its refused presentation is a decision like any other
            Optional<Duration> tripped = breaker.refused(signed.keyId().did());
            tripped.ifPresent(d -> log.warn("paused agent {} for {} after repeated refusals", signed.keyId().did(), d));
            count(e.problems());
            DecisionReceipt receipt = recordUnbound(request, signed, e.problems());
            return new Admission(request.message(), Optional.of(signed.signature()), Optional.empty(), Optional.empty(), e.problems(),
                    Optional.empty(), Optional.of(receipt), presentBack);
        }
        return decide(request, call, presentBack);
    }

    private Admission decide(GateRequest request, VerifiedCall call, boolean presentBack) {
        BoundAgent caller = call.caller();
        Did agent = caller.identity().agent();
        Optional<Action> action = Optional.empty();
        List<Problem> problems = List.of();
        Optional<Duration> retryAfter = Optional.empty();
        try {
            Optional<Duration> pause = breaker.paused(agent);
            if (pause.isPresent()) {
                retryAfter = pause;
                throw new ProblemException(ProblemType.AGENT_PAUSED, "this agent is paused for " + seconds(pause.get())
                        + " s after repeated refused or failed calls; fix what was refused, then retry after the pause");
            }
            RouteActions.Matched m = routes.match(request.method(), request.targetUri().getRawPath()).orElseThrow(() ->
                    new ProblemException(ProblemType.ROUTE_NOT_FOUND, "no route is declared for " + request.method() + " "
                            + request.targetUri().getRawPath() + " at this gate"));
            action = Optional.of(RouteActions.action(m, request));
            List<Problem> why = caller.identity().authority().authorize(action.get());
            if (!why.isEmpty()) {
                List<Problem> all = new ArrayList<>();
                all.add(Problem.of(ProblemType.ACTION_FORBIDDEN, "the caller's authority does not allow " + action.get().capability()
                        + ": " + why.get(0).detail()));
                all.addAll(why);
                throw new ProblemException(all);
            }
            Optional<Throttle.Refusal> limited = throttle.take(agent, caller.identity().organization(), action.get().capability());
            if (limited.isPresent()) {
                Throttle.Refusal r = limited.get();
                retryAfter = Optional.of(r.retryAfter());
                throw new ProblemException(ProblemType.RATE_LIMITED, r.who() + " may make " + r.rate().requests() + " calls per "
                        + r.rate().per() + "; retry after " + seconds(r.retryAfter()) + " s");
            }
        } catch (ProblemException e) {
            problems = e.problems();
            if (problems.get(0).type() != ProblemType.AGENT_PAUSED) {
                Optional<Duration> tripped = breaker.refused(agent);
                if (tripped.isPresent()) {
                    log.warn("paused agent {} for {} after repeated refusals", agent, tripped.get());
                }
            }
        }
        Optional<DecisionReceipt> receipt = Optional.of(record(request, call, action, problems));
        if (problems.isEmpty()) {
            accepted.incrementAndGet();
        } else {
            count(problems);
        }
        return new Admission(request.message(), Optional.of(call.signature()), Optional.of(caller), action, problems, retryAfter,
                receipt, presentBack);
    }

    /**
     * Counts a call the service behind failed (a 5xx, or no answer) against its caller's breaker: an agent whose calls
     * keep failing the service is paused like one whose calls keep being refused.
     */
    public void failed(Admission admission) {
        admission.caller().ifPresent(c -> breaker.refused(c.identity().agent()));
    }

    /**
     * The response's fields with the gate's signature added: {@code Content-Digest} of {@code body}, the decision's
     * receipt, the gate's presentation when the caller asked, and {@code Signature-Input}/{@code Signature} over
     * them, {@code @status} and the request's signature.
     */
    public HttpFields seal(Admission admission, int status, HttpFields fields, byte[] body) {
        HttpFields f = fields.without("signature").without("signature-input").without(AgentCalls.DECISION).without(AgentCalls.PRESENTATION)
                .with("content-digest", ContentDigest.sha256(body));
        if (admission.receipt().isPresent()) {
            f = f.with(AgentCalls.DECISION, admission.receipt().get().fieldValue());
        }
        Optional<String> nonce = admission.signature().flatMap(s -> s.parameters().nonce());
        if (admission.presentBack() && nonce.isPresent()) {
            String audience = admission.caller().map(c -> c.identity().agent().toString())
                    .orElseGet(() -> AgentCalls.keyId(admission.signature().get()).did().toString());
            try {
                f = f.with(AgentCalls.PRESENTATION, identity.presenter().present(nonce.get(), audience));
            } catch (RuntimeException e) {
                log.warn("the gate could not present its own credential: {}", e.toString());
            }
        }
        Instant now = clock.instant();
        SignatureParameters params = SignatureParameters.none().withCreated(now).withExpires(now.plus(RESPONSE_LIFETIME))
                .withKeyid(identity.keyId().toString()).withAlg(MessageSignatures.algorithm(identity.signer().keyType()));
        HttpMessage response = HttpMessage.response(status, f, admission.request());
        List<dev.tabard.httpsig.ComponentId> covered = admission.signature().isPresent()
                ? AgentCalls.responseComponents(f, admission.signature().get().label()) : AgentCalls.responseComponents(f);
        SignatureFields signed = MessageSignatures.sign(response, AgentCalls.LABEL, covered, params, identity.signer());
        return f.with("signature-input", signed.signatureInput()).with("signature", signed.signature());
    }

    /** Calls accepted so far. */
    public long acceptedCount() {
        return accepted.get();
    }

    /** Calls refused so far, by the first problem's type. */
    public Map<ProblemType, Long> refusedCounts() {
        Map<ProblemType, Long> m = new java.util.EnumMap<>(ProblemType.class);
        refused.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    private DecisionReceipt record(GateRequest request, VerifiedCall call, Optional<Action> action, List<Problem> problems) {
        BoundAgent caller = call.caller();
        ObjectNode d = JsonCodec.objectNode();
        requestJson(d, request, call.signature());
        ObjectNode who = d.putObject("caller");
        who.put("keyId", caller.keyId().toString()).put("agent", caller.identity().agent().toString())
                .put("organization", caller.identity().organization().toString()).put("firstContact", call.firstContact());
        caller.identity().credentialId().ifPresent(id -> who.put("credential", id.toString()));
        ArrayNode chain = who.putArray("chain");
        for (DelegationChain.Step s : caller.identity().authority().steps()) {
            chain.add(s.agent().toString());
        }
        action.ifPresent(a -> d.set("action", a.toJson()));
        outcome(d, problems);
        String subject = action.map(Action::capability).orElse(request.method() + " " + request.targetUri().getRawPath());
        return decisions.append(problems.isEmpty(), caller.identity().agent().toString(), subject, d);
    }

    private DecisionReceipt recordUnbound(GateRequest request, CallVerifier.SignedCall signed, List<Problem> problems) {
        ObjectNode d = JsonCodec.objectNode();
        requestJson(d, request, signed.signature());
        d.putObject("caller").put("keyId", signed.keyId().toString()).put("firstContact", signed.presents());
        outcome(d, problems);
        return decisions.append(false, signed.keyId().did().toString(), request.method() + " " + request.targetUri().getRawPath(), d);
    }

    private static void requestJson(ObjectNode d, GateRequest request, ReceivedSignature sig) {
        ObjectNode req = d.putObject("request");
        req.put("method", request.method()).put("targetUri", request.targetUri().toString())
                .put("signatureInput", sig.signatureInputMember()).put("signature", sig.signatureMember());
        request.fields().first("content-digest").ifPresent(v -> req.put("contentDigest", v));
    }

    private static void outcome(ObjectNode d, List<Problem> problems) {
        ObjectNode outcome = d.putObject("outcome");
        outcome.put("accepted", problems.isEmpty());
        if (!problems.isEmpty()) {
            outcome.put("status", problems.get(0).type().status());
            ArrayNode types = outcome.putArray("problems");
            problems.forEach(p -> types.add(p.type().code()));
            outcome.put("detail", problems.get(0).detail());
        }
    }

    private void count(List<Problem> problems) {
        refused.computeIfAbsent(problems.get(0).type(), t -> new AtomicLong()).incrementAndGet();
    }

    static long seconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }

    @Override
    public void close() {
        decisions.close();
    }
}
