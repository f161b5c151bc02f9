package dev.tabard.wallet.call;

import dev.tabard.codec.Base64Url;
import dev.tabard.codec.JsonCodec;
import dev.tabard.did.DidUrl;
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
import dev.tabard.verifier.Verifier;
import dev.tabard.verifier.calls.AgentCalls;
import dev.tabard.verifier.calls.AgentKeys;
import dev.tabard.verifier.calls.BoundAgent;
import dev.tabard.verifier.calls.DecisionReceipt;
import dev.tabard.wallet.Wallet;
import dev.tabard.wallet.present.PresentationRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Calls other organizations' agents with every request signed by the wallet's key (RFC 9421, {@link AgentCalls}'s
 * profile), presenting the wallet's credential on first contact, and trusts an answer only once it verified the
 * answering agent: its response signature covers this request's signature, and its key is bound to a credential the
 * client's own {@link Verifier} accepted under its trust policy. Thread-safe; one per wallet.
 *
 * <pre>{@code
 * AgentHttpClient client = AgentHttpClient.of(wallet, verifier, HttpClient.newHttpClient(), Clock.systemUTC());
 * AgentResponse r = client.send(AgentRequest.post(uri, "application/json", body).exercising("payments:initiate"));
 * r.server().identity().organization();   // who answered, proven
 * }</pre>
 */
public final class AgentHttpClient {

    /** The largest response body read. */
    public static final int MAX_RESPONSE_BYTES = 2_000_000;
    public static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Set<String> NOT_SENT = Set.of("content-length", "host", "connection", "expect", "upgrade");

    private final Wallet wallet;
    private final HttpClient http;
    private final Clock clock;
    private final AgentKeys servers;
    private final Duration skew;
    private final SecureRandom random = new SecureRandom();
    /** Origins that accepted this wallet's presentation: later calls carry only the signature. */
    private final Set<String> presented = ConcurrentHashMap.newKeySet();
    /** The key each origin answered with, once its presentation bound it. */
    private final Map<String, DidUrl> serverKeys = new ConcurrentHashMap<>();

    private AgentHttpClient(Wallet wallet, Verifier verifier, HttpClient http, Clock clock) {
        this.wallet = Objects.requireNonNull(wallet, "wallet");
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.servers = AgentKeys.of(verifier, clock);
        this.skew = verifier.policy().maxClockSkew();
    }

    /** A client signing with {@code wallet}'s key, verifying answering agents with {@code verifier}. */
    public static AgentHttpClient of(Wallet wallet, Verifier verifier, HttpClient http, Clock clock) {
        return new AgentHttpClient(wallet, verifier, http, clock);
    }

    /**
     * Sends {@code request} and returns the verified answer, whatever its status. Presents again, once, when the gate
     * no longer holds this wallet's binding ({@code PRESENTATION_REQUIRED}), and asks the gate to present when its key
     * is not bound here.
     *
     * @throws ProblemException {@code SIGNATURE_MISSING}/{@code SIGNATURE_INVALID}/{@code SIGNATURE_EXPIRED} for an
     *     answer not signed as the profile requires; {@code UNAUTHORIZED} with the verification's problems when the
     *     answering agent's presentation does not verify under this client's policy; {@code PRESENTATION_REQUIRED} when
     *     it does not present; {@code MISSING_CAPABILITY} when the wallet holds nothing to present; {@code FETCH_FAILED}
     *     when the server cannot be reached
     */
    public AgentResponse send(AgentRequest request) {
        String origin = request.origin();
        boolean present = !presented.contains(origin);
        AgentResponse r = attempt(request, present);
        if (!present && r.status() == 401 && problemCode(r).equals(ProblemType.PRESENTATION_REQUIRED.code())) {
            presented.remove(origin);
            r = attempt(request, true);
        }
        if (r.status() != 401) {
            presented.add(origin);
        }
        return r;
    }

    /**
     * A vp+jwt of the held W3C credentials that match, or else a held SD-JWT VC key-bound to the same nonce and origin,
     * disclosing the agent's constraints: the gate authorizes no action from a credential whose constraints are withheld.
     */
    private String presentation(PresentationRequest request) {
        try {
            return wallet.present(request);
        } catch (ProblemException noW3c) {
            if (noW3c.type() != ProblemType.MISSING_CAPABILITY) {
                throw noW3c;
            }
            try {
                return wallet.presentSdJwt(request.disclose(List.<List<Object>>of(List.of("constraints"))));
            } catch (ProblemException noSdJwt) {
                throw noSdJwt.type() == ProblemType.MISSING_CAPABILITY ? noW3c : noSdJwt;
            }
        }
    }

    private AgentResponse attempt(AgentRequest request, boolean present) {
        String origin = request.origin();
        String nonce = Base64Url.encode(bytes(18));
        HttpFields fields = request.fields().with("content-digest", ContentDigest.sha256(request.body()));
        if (present) {
            fields = fields.with(AgentCalls.PRESENTATION, presentation(new PresentationRequest(nonce, origin, Set.of(), request.capabilities())));
        }
        boolean ask = !serverKeys.containsKey(origin);
        if (ask) {
            fields = fields.with(AgentCalls.ASK_PRESENTATION, "?1");
        }
        Instant now = clock.instant();
        SignatureParameters params = SignatureParameters.none().withCreated(now).withExpires(now.plus(AgentCalls.DEFAULT_LIFETIME))
                .withNonce(nonce).withKeyid(wallet.keyId().toString()).withAlg(MessageSignatures.algorithm(wallet.signer().keyType()));
        HttpMessage unsigned = HttpMessage.request(request.method(), request.uri(), fields);
        SignatureFields sig = MessageSignatures.sign(unsigned, AgentCalls.LABEL,
                AgentCalls.requestComponents(fields), params, wallet.signer());
        fields = fields.with("signature-input", sig.signatureInput()).with("signature", sig.signature());
        HttpMessage sent = HttpMessage.request(request.method(), request.uri(), fields);
        HttpResponse<InputStream> raw = exchange(request, fields);
        HttpFields answerFields = HttpFields.of(raw.headers().map());
        byte[] body = read(raw);
        HttpMessage answer = HttpMessage.response(raw.statusCode(), answerFields, sent);
        BoundAgent server = verifyAnswer(answer, body, origin, nonce);
        Optional<DecisionReceipt> receipt = answerFields.first(AgentCalls.DECISION).map(DecisionReceipt::parse);
        return new AgentResponse(raw.statusCode(), answerFields, body, server, receipt);
    }

    private BoundAgent verifyAnswer(HttpMessage answer, byte[] body, String origin, String nonce) {
        ReceivedSignature sig = AgentCalls.agentSignature(answer);
        HttpFields f = answer.fields();
        Optional<String> presentation = f.first(AgentCalls.PRESENTATION);
        AgentCalls.requireCovered(sig, AgentCalls.responseComponents(f, AgentCalls.LABEL));
        Instant now = clock.instant();
        Instant created = sig.parameters().createdAt().orElseThrow(() -> new ProblemException(ProblemType.SIGNATURE_INVALID,
                "the response signature has no 'created' parameter"));
        if (created.isAfter(now.plus(skew)) || created.isBefore(now.minus(AgentCalls.MAX_LIFETIME).minus(skew))
                || sig.parameters().expiresAt().map(e -> !e.isAfter(now.minus(skew))).orElse(false)) {
            throw new ProblemException(ProblemType.SIGNATURE_EXPIRED, "the response was signed at " + created + ", not now");
        }
        try {
            ContentDigest.verify(f.first("content-digest").orElseThrow(() -> new ProblemException(ProblemType.SIGNATURE_INVALID,
                    "the response has no Content-Digest")), body);
        } catch (ProblemException e) {
            throw new ProblemException(ProblemType.SIGNATURE_INVALID, "the response body is not the one signed: " + e.problems().get(0).detail());
        }
        DidUrl keyId = AgentCalls.keyId(sig);
        BoundAgent server;
        if (presentation.isPresent()) {
            try {
                server = servers.bind(keyId, presentation.get(), nonce, wallet.did().toString());
            } catch (ProblemException e) {
                List<Problem> all = new ArrayList<>();
                all.add(Problem.of(ProblemType.UNAUTHORIZED, "the answering agent's presentation does not verify: " + e.problems().get(0).detail()));
                all.addAll(e.problems());
                throw new ProblemException(all);
            }
        } else {
            server = servers.lookup(keyId).orElseThrow(() -> new ProblemException(ProblemType.PRESENTATION_REQUIRED,
                    "the answer is signed by " + keyId + ", which has not presented a credential to this client"));
            try {
                servers.recheck(server);
            } catch (ProblemException e) {
                List<Problem> all = new ArrayList<>();
                all.add(Problem.of(ProblemType.UNAUTHORIZED, "the answering agent's credential is no longer valid: " + e.problems().get(0).detail()));
                all.addAll(e.problems());
                throw new ProblemException(all);
            }
        }
        try {
            sig.verify(answer, server.key());
        } catch (ProblemException e) {
            throw new ProblemException(ProblemType.SIGNATURE_INVALID, "the response signature does not verify: " + e.problems().get(0).detail());
        }
        serverKeys.put(origin, keyId);
        return server;
    }

    private HttpResponse<InputStream> exchange(AgentRequest request, HttpFields fields) {
        HttpRequest.Builder b = HttpRequest.newBuilder(request.uri()).timeout(TIMEOUT)
                .method(request.method(), request.body().length == 0 && !request.method().equals("POST") && !request.method().equals("PUT")
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        fields.asMap().forEach((name, values) -> {
            if (!NOT_SENT.contains(name)) {
                values.forEach(v -> b.header(name, v));
            }
        });
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new ProblemException(ProblemType.FETCH_FAILED, "cannot reach " + request.origin() + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(ProblemType.FETCH_FAILED, "interrupted while calling " + request.origin());
        }
    }

    private static byte[] read(HttpResponse<InputStream> raw) {
        try (InputStream in = raw.body()) {
            byte[] body = in.readNBytes(MAX_RESPONSE_BYTES + 1);
            if (body.length > MAX_RESPONSE_BYTES) {
                throw new ProblemException(ProblemType.INPUT_TOO_LARGE, "the response body is larger than " + MAX_RESPONSE_BYTES + " bytes");
            }
            return body;
        } catch (IOException e) {
            throw new ProblemException(ProblemType.FETCH_FAILED, "the response body could not be read: " + e.getClass().getSimpleName());
        }
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static String problemCode(AgentResponse r) {
        try {
            return JsonCodec.parse(r.body()).path("code").asText("");
        } catch (ProblemException e) {
            return "";
        }
    }
}
