package dev.tabard.verifier.calls;

import dev.tabard.crypto.VerificationKey;
import dev.tabard.did.DidUrl;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.sdjwt.SdJwt;
import dev.tabard.vc.jose.CompactJws;
import dev.tabard.vc.jose.EnvelopedCredential;
import dev.tabard.verifier.AgentIdentity;
import dev.tabard.verifier.PresentationOptions;
import dev.tabard.verifier.VerificationResult;
import dev.tabard.verifier.Verifier;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Which agent holds which signing key, as proven by presentations: the state that lets a peer's later calls carry
 * only a message signature. A key is bound by a verified presentation (a vp+jwt, or an SD-JWT VC with its key-binding
 * JWT) whose holder is the key's DID and whose proof answers the caller's nonce; the binding ends when the first
 * credential on its path expires, or when a status check made every {@code statusRecheck} finds one revoked or
 * suspended. Thread-safe and bounded.
 *
 * <p><b>Security:</b> a binding is made only from a presentation this {@link Verifier} accepted under its trust policy,
 * for a key the holder's DID lists for authentication; a key that is not bound has no authority at all.
 */
public final class AgentKeys {

    /** Keys bound at once; past that, expired bindings go first, then the one that ends soonest. */
    public static final int DEFAULT_MAX_BINDINGS = 100_000;
    /** How often a binding's credentials are checked again (statuses, through the verifier's status list cache). */
    public static final Duration DEFAULT_STATUS_RECHECK = Duration.ofSeconds(60);
    /** The longest a binding lives when no credential on its path has an end. */
    public static final Duration MAX_UNBOUNDED_BINDING = Duration.ofHours(24);

    private final Verifier verifier;
    private final Clock clock;
    private final Duration statusRecheck;
    private final int maxBindings;
    private final Map<DidUrl, Entry> bindings = new ConcurrentHashMap<>();

    /** A binding and when its statuses were last checked. */
    private static final class Entry {
        final BoundAgent agent;
        volatile Instant checkedAt;
        final AtomicBoolean checking = new AtomicBoolean();

        Entry(BoundAgent agent, Instant checkedAt) {
            this.agent = agent;
            this.checkedAt = checkedAt;
        }
    }

    public AgentKeys(Verifier verifier, Clock clock, Duration statusRecheck, int maxBindings) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.statusRecheck = Objects.requireNonNull(statusRecheck, "statusRecheck");
        if (statusRecheck.isNegative() || statusRecheck.isZero() || maxBindings < 1) {
            throw new IllegalArgumentException("statusRecheck must be positive and maxBindings at least 1");
        }
        this.maxBindings = maxBindings;
    }

    /** Bindings checked again every {@link #DEFAULT_STATUS_RECHECK}, at most {@link #DEFAULT_MAX_BINDINGS}. */
    public static AgentKeys of(Verifier verifier, Clock clock) {
        return new AgentKeys(verifier, clock, DEFAULT_STATUS_RECHECK, DEFAULT_MAX_BINDINGS);
    }

    /**
     * Verifies {@code presentation} (a vp+jwt, or an SD-JWT VC with a key-binding JWT) for {@code challenge} and
     * {@code domain}, and binds {@code keyId} to the agent it proves, replacing an earlier binding of that key.
     *
     * @throws ProblemException with the verification's problems when the presentation does not verify; {@code
     *     HOLDER_MISMATCH} when the key is not the acting agent's; {@code INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD}
     *     when its DID does not list it for authentication; {@code CREDENTIAL_EXPIRED} when nothing is left of its life
     */
    public BoundAgent bind(DidUrl keyId, String presentation, String challenge, String domain) {
        Objects.requireNonNull(keyId, "keyId");
        VerificationResult result = verifier.verifyPresentation(presentation, new PresentationOptions(challenge, domain));
        if (!result.verified()) {
            throw new ProblemException(result.errors());
        }
        AgentIdentity identity = result.agent().orElseThrow(() -> new ProblemException(ProblemType.MISSING_CAPABILITY,
                "the presentation carries no AgentCredential or delegation chain for its holder"));
        if (!identity.agent().equals(keyId.did())) {
            throw new ProblemException(ProblemType.HOLDER_MISMATCH, "the call is signed by " + keyId + ", but the presentation proves "
                    + identity.agent() + "; sign with the key of the agent that presents");
        }
        VerificationKey key = verifier.authenticationKey(keyId);
        Instant now = clock.instant();
        Instant until = identity.validUntil().orElse(now.plus(MAX_UNBOUNDED_BINDING));
        if (!until.isAfter(now)) {
            throw new ProblemException(ProblemType.CREDENTIAL_EXPIRED, "the credential presented ends at " + until);
        }
        BoundAgent agent = new BoundAgent(keyId, key, identity, until, credentials(presentation));
        makeRoom(now);
        bindings.put(keyId, new Entry(agent, now));
        return agent;
    }

    /** The agent bound to {@code keyId}, when one is and its credentials have not ended. Check its signature, then {@link #recheck}. */
    public Optional<BoundAgent> lookup(DidUrl keyId) {
        Entry e = bindings.get(keyId);
        if (e == null) {
            return Optional.empty();
        }
        if (!e.agent.until().isAfter(clock.instant())) {
            bindings.remove(keyId, e);
            return Optional.empty();
        }
        return Optional.of(e.agent);
    }

    /**
     * Checks {@code agent}'s credentials again when their statuses are due for a check (one caller checks; the others
     * go on with the binding meanwhile). A credential found revoked, suspended or otherwise no longer valid ends the
     * binding.
     *
     * @throws ProblemException with the problems of the check that ended the binding ({@code CREDENTIAL_REVOKED}, …)
     */
    public void recheck(BoundAgent agent) {
        Entry e = bindings.get(agent.keyId());
        if (e == null || e.agent != agent) {
            return;
        }
        Instant now = clock.instant();
        if (!now.isBefore(e.checkedAt.plus(statusRecheck)) && e.checking.compareAndSet(false, true)) {
            try {
                List<Problem> problems = recheckNow(e.agent);
                if (!problems.isEmpty()) {
                    bindings.remove(agent.keyId(), e);
                    throw new ProblemException(problems);
                }
                e.checkedAt = now;
            } finally {
                e.checking.set(false);
            }
        }
    }

    /** Ends the binding of {@code keyId}, if any. */
    public void forget(DidUrl keyId) {
        bindings.remove(keyId);
    }

    /** Keys bound now, expired ones not yet dropped included. */
    public int size() {
        return bindings.size();
    }

    private List<Problem> recheckNow(BoundAgent agent) {
        VerificationResult r = agent.credentials().size() == 1
                ? verifier.verifyCredential(agent.credentials().get(0))
                : verifier.verifyDelegationChain(agent.identity().agent(), agent.credentials());
        return r.verified() ? List.of() : r.errors();
    }

    private void makeRoom(Instant now) {
        if (bindings.size() < maxBindings) {
            return;
        }
        bindings.entrySet().removeIf(x -> !x.getValue().agent.until().isAfter(now));
        while (bindings.size() >= maxBindings) {
            bindings.entrySet().stream().min((a, b) -> a.getValue().agent.until().compareTo(b.getValue().agent.until()))
                    .ifPresent(x -> bindings.remove(x.getKey(), x.getValue()));
        }
    }

    /**
     * The credential tokens a verified presentation carries, in order: those of a vp+jwt, or the SD-JWT VC of an SD-JWT
     * presentation as it was shown (the disclosures presented) without its key-binding JWT.
     */
    private static List<String> credentials(String presentation) {
        if (SdJwt.looksLikeSdJwt(presentation)) {
            return List.of(SdJwt.parse(presentation.trim()).withoutKeyBinding().serialize());
        }
        JsonNode vcs = CompactJws.parse(presentation).payloadJson().path("verifiableCredential");
        List<String> tokens = new ArrayList<>();
        for (JsonNode vc : vcs.isArray() ? vcs : List.of(vcs)) {
            if (vc.isTextual()) {
                tokens.add(vc.asText());
            } else if (vc.isObject()) {
                tokens.add(EnvelopedCredential.token(vc.path("id").asText()));
            }
        }
        if (tokens.isEmpty()) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "the presentation carries no credential");
        }
        return tokens;
    }
}
