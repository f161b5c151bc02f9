package dev.tabard.gate;

import dev.tabard.crypto.VerificationKey;
import dev.tabard.did.DidUrl;
import dev.tabard.httpsig.ContentDigest;
import dev.tabard.httpsig.ReceivedSignature;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.verifier.Verifier;
import dev.tabard.verifier.calls.AgentCalls;
import dev.tabard.verifier.calls.AgentKeys;
import dev.tabard.verifier.calls.BoundAgent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies one signed agent request, as a plain function any HTTP stack can call: the signature covers what the
 * profile requires ({@link AgentCalls}), is fresh, its content digest is the body actually read, its nonce is new, and
 * its key is bound to a verified agent — by the presentation the request carries, or by an earlier one.
 *
 * <p>The checks run cheapest first; a request's presentation is verified only after its own signature, so a forged
 * request costs one signature check, never a credential chain's.
 */
public final class CallVerifier {

    private final Verifier verifier;
    private final AgentKeys keys;
    private final NonceStore nonces;
    private final Clock clock;
    private final Duration skew;
    private final Optional<String> audience;

    CallVerifier(Verifier verifier, AgentKeys keys, NonceStore nonces, Clock clock, Optional<String> audience) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.nonces = Objects.requireNonNull(nonces, "nonces");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.skew = verifier.policy().maxClockSkew();
        this.audience = Objects.requireNonNull(audience, "audience");
    }

    /**
     * A verifier of calls whose first presentations are addressed to {@code origin}, the gate's public
     * {@code https://host[:port]}, with its own key bindings and nonce store.
     */
    public static CallVerifier forAudience(Verifier verifier, String origin, Clock clock) {
        return new CallVerifier(verifier, AgentKeys.of(verifier, clock), NonceStore.sizedForHeap(clock), clock, Optional.of(origin));
    }

    /** As {@link #forAudience}, taking each request's own origin (the scheme and authority it was sent to) as the audience. */
    public static CallVerifier forEachRequestsOrigin(Verifier verifier, Clock clock) {
        return new CallVerifier(verifier, AgentKeys.of(verifier, clock), NonceStore.sizedForHeap(clock), clock, Optional.empty());
    }

    /**
     * The verified call, or the problems that refuse it: {@link #authenticate} then {@link #bind}.
     *
     * @throws ProblemException {@code SIGNATURE_MISSING}, {@code SIGNATURE_INVALID}, {@code SIGNATURE_EXPIRED},
     *     {@code NONCE_REPLAYED}, {@code PRESENTATION_REQUIRED} (no binding for the key: send the presentation), or
     *     {@code UNAUTHORIZED} followed by the verification's problems when the presentation or a status recheck fails
     */
    public VerifiedCall verify(GateRequest request) {
        return bind(authenticate(request), request);
    }

    /**
     * A request whose signature verified, by a key already bound or by the key its DID names (with a presentation to
     * bind it). Made only by {@link #authenticate}.
     */
    public static final class SignedCall {
        private final DidUrl keyId;
        private final ReceivedSignature signature;
        private final BoundAgent bound;
        private final String presentation;

        private SignedCall(DidUrl keyId, ReceivedSignature signature, BoundAgent bound, String presentation) {
            this.keyId = keyId;
            this.signature = signature;
            this.bound = bound;
            this.presentation = presentation;
        }

        public DidUrl keyId() {
            return keyId;
        }

        public ReceivedSignature signature() {
            return signature;
        }

        /** Whether the call carries the presentation that is to bind its key. */
        public boolean presents() {
            return presentation != null;
        }
    }

    /**
     * Checks the signature, its coverage, freshness, content digest and nonce: who signed, before anything is
     * believed about what they hold.
     *
     * @throws ProblemException as {@link #verify}, but never for the presentation itself
     */
    public SignedCall authenticate(GateRequest request) {
        ReceivedSignature sig = AgentCalls.agentSignature(request.message());
        DidUrl keyId = AgentCalls.keyId(sig);
        Optional<String> presentation = request.fields().first(AgentCalls.PRESENTATION);
        AgentCalls.requireCovered(sig, AgentCalls.requestComponents(request.fields()));
        Instant now = clock.instant();
        Instant rememberUntil = AgentCalls.requireFresh(sig.parameters(), now, skew);
        String digest = request.fields().first("content-digest").orElseThrow(() -> new ProblemException(ProblemType.SIGNATURE_INVALID,
                "send Content-Digest (RFC 9530, sha-256) of the body"));
        try {
            ContentDigest.verify(digest, request.body());
        } catch (ProblemException e) {
            throw new ProblemException(ProblemType.SIGNATURE_INVALID, "the body is not the one signed: " + e.problems().get(0).detail());
        }
        if (presentation.isEmpty()) {
            BoundAgent caller = bound(keyId);
            check(sig, request, caller.key());
            remember(keyId, sig, rememberUntil);
            return new SignedCall(keyId, sig, caller, null);
        }
        VerificationKey key;
        try {
            key = verifier.authenticationKey(keyId);
        } catch (ProblemException e) {
            throw refused("the key " + keyId + " cannot be used: " + e.problems().get(0).detail(), e.problems());
        }
        check(sig, request, key);
        remember(keyId, sig, rememberUntil);
        return new SignedCall(keyId, sig, null, presentation.get());
    }

    /**
     * The agent behind an authenticated call: its binding, or the one its presentation makes now (nonce = the
     * signature's nonce, audience = this gate's).
     *
     * @throws ProblemException {@code UNAUTHORIZED} followed by the verification's problems
     */
    public VerifiedCall bind(SignedCall call, GateRequest request) {
        if (call.bound != null) {
            try {
                keys.recheck(call.bound);
            } catch (ProblemException e) {
                throw refused("the credential bound to " + call.keyId + " is no longer valid: " + e.problems().get(0).detail(), e.problems());
            }
            return new VerifiedCall(call.bound, call.signature, false);
        }
        try {
            return new VerifiedCall(keys.bind(call.keyId, call.presentation, call.signature.parameters().nonce().orElseThrow(),
                    audience.orElse(request.origin())), call.signature, true);
        } catch (ProblemException e) {
            throw refused("the presentation did not verify: " + e.problems().get(0).detail(), e.problems());
        }
    }

    private BoundAgent bound(DidUrl keyId) {
        return keys.lookup(keyId).orElseThrow(() -> new ProblemException(ProblemType.PRESENTATION_REQUIRED, "no verified credential is "
                + "bound to " + keyId + " here: send your presentation (vp+jwt, nonce = this signature's nonce) in the "
                + AgentCalls.PRESENTATION + " field, covered by the signature"));
    }

    private static void check(ReceivedSignature sig, GateRequest request, VerificationKey key) {
        try {
            sig.verify(request.message(), key);
        } catch (ProblemException e) {
            throw new ProblemException(ProblemType.SIGNATURE_INVALID, "the signature does not verify with " + sig.parameters().keyid().orElse("")
                    + ": " + e.problems().get(0).detail());
        }
    }

    private void remember(DidUrl keyId, ReceivedSignature sig, Instant until) {
        nonces.remember(keyId.toString(), sig.parameters().nonce().orElseThrow(), until);
    }

    private static ProblemException refused(String detail, List<Problem> why) {
        List<Problem> all = new ArrayList<>();
        all.add(Problem.of(ProblemType.UNAUTHORIZED, detail));
        all.addAll(why);
        return new ProblemException(all);
    }
}
