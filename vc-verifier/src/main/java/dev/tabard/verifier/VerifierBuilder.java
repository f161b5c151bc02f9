package dev.tabard.verifier;

import dev.tabard.did.DidResolver;
import dev.tabard.didweb.ResolutionBundle;
import dev.tabard.fetch.FetchPolicy;
import dev.tabard.jsonld.BundledContexts;
import dev.tabard.verifier.replay.ReplayGuard;
import dev.tabard.verifier.replay.ReplayStore;
import dev.tabard.verifier.status.StatusListCache;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Configures a {@link Verifier}; get one from {@link Verifier#builder()}. Single-use.
 *
 * <p>A trust policy is required; everything else has a safe default. The verifier builds its own network stack: with
 * {@link #fetchPolicy} it resolves did:web (and did:key, did:jwk locally) and fetches status lists through one
 * {@link dev.tabard.fetch.SafeFetcher} with that policy, the same resolver serving DIDs and status lists; with
 * {@link #resolutionBundle} it answers from the bundle first (alone, it never touches the network). With neither it
 * resolves only did:key and did:jwk, and a credential with a status entry fails with {@code STATUS_RETRIEVAL_ERROR}.
 * JSON-LD contexts come only from the jar.
 *
 * <pre>{@code
 * Verifier verifier = Verifier.builder()
 *         .trustPolicy(TrustPolicy.builder().trustWebDomain("acme.example").build())
 *         .fetchPolicy(FetchPolicy.defaults())
 *         .build();
 * }</pre>
 */
public final class VerifierBuilder {

    TrustPolicy policy;
    Clock clock = Clock.systemUTC();
    ReplayStore replayStore;
    BundledContexts contexts = BundledContexts.standard();
    int verifiedTokens = Verifier.DEFAULT_VERIFIED_TOKENS;
    private FetchPolicy fetchPolicy;
    private ResolutionBundle bundle;
    private DidResolver resolver;
    private Duration statusListMaxAge = StatusListCache.DEFAULT_MAX_AGE;
    private Duration statusListMinAge = StatusListCache.DEFAULT_MIN_AGE;
    private boolean openForConformance;
    private boolean built;

    VerifierBuilder() {
    }

    /** Whom to trust and what to require. Required. */
    public VerifierBuilder trustPolicy(TrustPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /** Reach the network for did:web documents and status lists, within {@code policy}'s hosts, sizes and times. */
    public VerifierBuilder fetchPolicy(FetchPolicy policy) {
        this.fetchPolicy = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /** Answer DID documents and status lists from {@code bundle} first: offline use, or fewer fetches. */
    public VerifierBuilder resolutionBundle(ResolutionBundle bundle) {
        this.bundle = Objects.requireNonNull(bundle, "bundle");
        return this;
    }

    public VerifierBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * The longest a status list is kept ({@link StatusListCache#DEFAULT_MAX_AGE} by default), whatever its validity and
     * cache headers allow: a verifier that must see a revocation within seconds sets it low; {@link Duration#ZERO}
     * fetches the list for every verification.
     */
    public VerifierBuilder statusListMaxAge(Duration maxAge) {
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxAge.isNegative()) {
            throw new IllegalArgumentException("maxAge must not be negative");
        }
        this.statusListMaxAge = maxAge;
        return this;
    }

    /**
     * The shortest a status list whose server sends {@code Cache-Control: max-age} is kept ({@link
     * StatusListCache#DEFAULT_MIN_AGE}, what the server says): a floor for a server that asks to be fetched on every
     * verification. It never outlasts the list's {@code validUntil} nor overrides {@code no-store} or {@code no-cache}.
     */
    public VerifierBuilder statusListMinAge(Duration minAge) {
        Objects.requireNonNull(minAge, "minAge");
        if (minAge.isNegative()) {
            throw new IllegalArgumentException("minAge must not be negative");
        }
        this.statusListMinAge = minAge;
        return this;
    }

    /**
     * How many credential tokens to keep once verified, so that one presented again in a new presentation is checked
     * only in what can change ({@link Verifier#DEFAULT_VERIFIED_TOKENS}); 0 checks every token in full.
     */
    public VerifierBuilder verifiedTokens(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative");
        }
        this.verifiedTokens = capacity;
        return this;
    }

    /**
     * Where presentations are remembered against replay; by default an in-memory {@link ReplayGuard} sized to the
     * heap. Verifier instances behind one load balancer share one store (a Redis store from the verifier endpoint's
     * module), so that a presentation one accepted is refused by all; a shared store that does not answer makes
     * presentations fail with {@code REPLAY_STORE_UNAVAILABLE}, never pass unchecked.
     */
    public VerifierBuilder replayStore(ReplayStore store) {
        this.replayStore = Objects.requireNonNull(store, "store");
        return this;
    }

    /** An in-memory guard with bounds of the caller's choosing: the same as {@link #replayStore} with it. */
    public VerifierBuilder replayGuard(ReplayGuard guard) {
        return replayStore(guard);
    }

    /**
     * Advanced: resolve DIDs with {@code resolver} instead of the one built from the fetch policy and bundle. It is
     * used for status lists' issuers too; the lists themselves are still fetched per {@link #fetchPolicy}.
     */
    public VerifierBuilder resolver(DidResolver resolver) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        return this;
    }

    /** Advanced: the JSON-LD contexts Data Integrity proofs may use, for a deployment with contexts of its own. */
    public VerifierBuilder contexts(BundledContexts contexts) {
        this.contexts = Objects.requireNonNull(contexts, "contexts");
        return this;
    }

    /**
     * For local W3C conformance runs only: accepts inline {@code @context} objects and the W3C examples context
     * ({@value BundledContexts#W3C_EXAMPLES_V2}), as the suites send. Gives up the rule that every term of a signed document is defined
     * by a context this verifier ships, so a document can define its own meanings. A proof must still be made by the
     * issuer's own key: that forgery check holds in every mode.
     */
    public VerifierBuilder acceptInlineContextsAndExamplesContextForConformance() {
        this.openForConformance = true;
        return this;
    }

    /**
     * @throws IllegalStateException without a trust policy, or when called twice
     * @throws IllegalArgumentException when the status lists' minimum age is above their maximum
     */
    public Verifier build() {
        if (built) {
            throw new IllegalStateException("a builder makes one verifier");
        }
        if (policy == null) {
            throw new IllegalStateException("a verifier needs a trust policy: TrustPolicy.builder().trustWebDomain(…) or trustIssuer(…)");
        }
        built = true;
        if (openForConformance) {
            contexts = contexts.withW3cExamplesContextForConformanceRuns().allowingInlineContexts();
        }
        NetworkStack stack = NetworkStack.of(Optional.ofNullable(fetchPolicy), Optional.ofNullable(bundle), Optional.ofNullable(resolver),
                clock, statusListMinAge, statusListMaxAge);
        return Verifier.of(this, stack);
    }
}
