package dev.tabard.verifier.status;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.did.Did;
import dev.tabard.did.DidResolver;
import dev.tabard.didweb.ResolutionBundle;
import dev.tabard.fetch.FetchedResource;
import dev.tabard.fetch.SafeFetcher;
import dev.tabard.jsonld.BundledContexts;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.Credential;
import dev.tabard.vc.di.DataIntegrity;
import dev.tabard.vc.jose.JoseOptions;
import dev.tabard.vc.jose.VcJose;
import dev.tabard.vc.status.StatusListCredentials;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Status list credentials, fetched through {@link SafeFetcher} (or read from a {@link ResolutionBundle}
 * offline), verified as vc+jwt or as a Data Integrity document by their own issuer, and kept until the earlier of their {@code validUntil}
 * and the server's {@code Cache-Control}. A list that cannot be fetched is an error unless a stale copy is
 * within the caller's staleness bound. Thread-safe.
 *
 * <p><b>Security:</b> at most {@link #MAX_FETCHES_PER_HOST} fetches run at once against one host; another waits up to
 * {@link #FETCH_SLOT_WAIT} and then fails with {@code STATUS_RETRIEVAL_ERROR}. A host that accepts connections and
 * never answers therefore holds a few verifications until the fetcher's timeout, never all of them, and never delays
 * lists on other hosts. The caller decides trust before asking for a list, so only credentials that could be accepted
 * make this cache reach the network.
 */
public final class StatusListCache {

    public static final int MAX_ENTRIES = 10_000;

    /**
     * Status-list fetches in flight to one host. A verifier checks many credentials against few lists, and a waiter
     * that gets a slot finds the list a concurrent fetch just cached, so four cover honest bursts while a hanging host
     * holds at most four verifications (the verifier endpoint runs two per core).
     */
    public static final int MAX_FETCHES_PER_HOST = 4;

    /** How long a fetch over {@link #MAX_FETCHES_PER_HOST} waits for a slot: an honest list arrives in far less. */
    public static final Duration FETCH_SLOT_WAIT = Duration.ofMillis(500);

    /** vc+jwt first; a JSON document with a Data Integrity proof is accepted too. */
    private static final Set<String> ACCEPTED = Set.of("application/vc+jwt", "application/jwt", "application/vc",
            "application/vc+ld+json", "application/ld+json", "application/json");

    private record Entry(Credential credential, Instant fetched, Instant expires) {
    }

    private final Optional<SafeFetcher> fetcher;
    private final Optional<ResolutionBundle> bundle;
    private final DidResolver resolver;
    private final Clock clock;
    private final Duration maxAge;
    private final Map<URI, Entry> entries = new ConcurrentHashMap<>();
    private final FetchSlots slots = new FetchSlots(MAX_FETCHES_PER_HOST, FETCH_SLOT_WAIT);

    /** The longest a list is kept by default, whatever its validity and cache headers allow. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(1);

    private StatusListCache(Builder b) {
        this.fetcher = Optional.ofNullable(b.fetcher);
        this.bundle = Optional.ofNullable(b.bundle);
        this.resolver = Objects.requireNonNull(b.resolver, "resolver");
        this.clock = Objects.requireNonNull(b.clock, "clock");
        this.maxAge = b.maxAge;
    }

    /**
     * A cache that verifies lists with {@code resolver} (the same resolver the verifier uses for DIDs) and reads them
     * from nowhere until {@link Builder#fetcher} or {@link Builder#bundle} says where: every list is then
     * {@code STATUS_RETRIEVAL_ERROR}. {@link dev.tabard.verifier.Verifier#builder()} builds one for you.
     */
    public static Builder builder(DidResolver resolver, Clock clock) {
        return new Builder(resolver, clock);
    }

    /** Where status lists come from and how long they are kept. Single-use. */
    public static final class Builder {
        private final DidResolver resolver;
        private final Clock clock;
        private SafeFetcher fetcher;
        private ResolutionBundle bundle;
        private Duration maxAge = DEFAULT_MAX_AGE;

        private Builder(DidResolver resolver, Clock clock) {
            this.resolver = Objects.requireNonNull(resolver, "resolver");
            this.clock = Objects.requireNonNull(clock, "clock");
        }

        /** Fetches lists over the network through {@code fetcher} (its policy bounds hosts, sizes and time). */
        public Builder fetcher(SafeFetcher fetcher) {
            this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
            return this;
        }

        /** Reads lists from {@code bundle} first, offline. */
        public Builder bundle(ResolutionBundle bundle) {
            this.bundle = Objects.requireNonNull(bundle, "bundle");
            return this;
        }

        /**
         * The longest a list is kept, whatever its validity and cache headers allow ({@link #DEFAULT_MAX_AGE}); a
         * verifier that must see revocations within seconds sets it low, {@link Duration#ZERO} fetches every time.
         */
        public Builder maxAge(Duration maxAge) {
            Objects.requireNonNull(maxAge, "maxAge");
            if (maxAge.isNegative()) {
                throw new IllegalArgumentException("maxAge must not be negative");
            }
            this.maxAge = maxAge;
            return this;
        }

        public StatusListCache build() {
            return new StatusListCache(this);
        }
    }

    /**
     * The verified status list credential at {@code uri}, issued by {@code issuer}.
     *
     * @param staleness how long past expiry a cached copy may serve when fetching fails; {@link Duration#ZERO} fails closed
     * @throws ProblemException {@code STATUS_RETRIEVAL_ERROR} when it cannot be had, including when
     *     {@link #MAX_FETCHES_PER_HOST} fetches to its host are in flight for longer than {@link #FETCH_SLOT_WAIT};
     *     {@code STATUS_VERIFICATION_ERROR} when it does not verify or another party issued it
     */
    public Credential get(URI uri, Did issuer, Duration staleness) {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(staleness, "staleness");
        Instant now = clock.instant();
        Entry cached = entries.get(uri);
        if (cached != null && now.isBefore(cached.expires())) {
            return cached.credential();
        }
        try {
            Entry fresh = fetchedOrCached(uri, issuer, now);
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
            entries.put(uri, fresh);
            return fresh.credential();
        } catch (ProblemException e) {
            if (e.type() == ProblemType.STATUS_RETRIEVAL_ERROR && cached != null && !staleness.isZero() && !staleness.isNegative()
                    && now.isBefore(cached.expires().plus(staleness))) {
                return cached.credential();
            }
            throw e;
        }
    }

    /**
     * Loads the list holding a slot for its host; a list in the bundle needs none. After waiting for a slot the cache
     * is read again, so concurrent verifications against one list fetch it once.
     */
    private Entry fetchedOrCached(URI uri, Did issuer, Instant now) {
        if (bundle.flatMap(b -> b.resource(uri)).isPresent() || fetcher.isEmpty() || uri.getHost() == null) {
            return load(uri, issuer, now);
        }
        try (FetchSlots.Slot slot = slots.acquire(uri.getHost())) {
            Entry cached = entries.get(uri);
            if (cached != null && now.isBefore(cached.expires())) {
                return cached;
            }
            return load(uri, issuer, now);
        }
    }

    private Entry load(URI uri, Did issuer, Instant now) {
        String token;
        Optional<Duration> freshness = Optional.empty();
        Optional<ResolutionBundle.Item> packed = bundle.flatMap(b -> b.resource(uri));
        if (packed.isPresent()) {
            token = new String(packed.get().content().toByteArray(), StandardCharsets.UTF_8).trim();
        } else if (fetcher.isPresent()) {
            FetchedResource r;
            try {
                r = fetcher.get().get(uri, ACCEPTED);
            } catch (ProblemException e) {
                throw new ProblemException(ProblemType.STATUS_RETRIEVAL_ERROR,
                        "status list " + uri + ": " + e.problem().detail());
            }
            if (r.status() != 200) {
                throw new ProblemException(ProblemType.STATUS_RETRIEVAL_ERROR, "status list " + uri + " answered HTTP " + r.status());
            }
            token = new String(r.body().toByteArray(), StandardCharsets.UTF_8).trim();
            freshness = r.freshness(now);
        } else {
            throw new ProblemException(ProblemType.STATUS_RETRIEVAL_ERROR,
                    "status list " + uri + " is not in the bundle and this verifier is offline");
        }
        Credential list;
        try {
            list = token.startsWith("{") ? dataIntegrity(token, issuer)
                    : VcJose.verifyCredential(token, resolver, new JoseOptions(clock, Duration.ofSeconds(60), false)).credential();
        } catch (ProblemException e) {
            throw new ProblemException(ProblemType.STATUS_VERIFICATION_ERROR,
                    "status list " + uri + " does not verify: " + e.problem().detail());
        }
        if (!list.issuer().id().toString().equals(issuer.toString())) {
            throw new ProblemException(ProblemType.STATUS_VERIFICATION_ERROR,
                    "status list " + uri + " was issued by " + list.issuer().id() + ", not by the credential's issuer " + issuer);
        }
        if (!list.types().contains(StatusListCredentials.CREDENTIAL_TYPE)) {
            throw new ProblemException(ProblemType.STATUS_VERIFICATION_ERROR,
                    "status list " + uri + " is not a " + StatusListCredentials.CREDENTIAL_TYPE);
        }
        Instant expires = list.validUntil().orElse(now.plus(Duration.ofMinutes(5)));
        if (freshness.isPresent() && now.plus(freshness.get()).isBefore(expires)) {
            expires = now.plus(freshness.get());
        }
        if (now.plus(maxAge).isBefore(expires)) {
            expires = now.plus(maxAge);
        }
        return new Entry(list, now, expires);
    }

    /** A status list secured with an embedded Data Integrity proof, as the W3C status list suite publishes them. */
    private Credential dataIntegrity(String json, Did issuer) {
        ObjectNode doc = JsonCodec.parseObject(json.getBytes(StandardCharsets.UTF_8));
        Credential list = Credential.of(doc);
        List<DataIntegrity.VerifiedProof> proofs = DataIntegrity.verify(doc, resolver, DataIntegrity.Expectations.assertion(clock),
                BundledContexts.standard());
        if (!proofs.get(0).method().id().did().toString().equals(list.issuer().id().toString())) {
            throw new ProblemException(ProblemType.INVALID_VERIFICATION_METHOD, "the list's proof is not by its issuer");
        }
        return list;
    }
}
