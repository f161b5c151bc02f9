package dev.tabard.verifier.status;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.did.Did;
import dev.tabard.did.DidResolver;
import dev.tabard.didweb.ResolutionBundle;
import dev.tabard.fetch.CacheControl;
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
 * offline), verified as vc+jwt or as a Data Integrity document by their own issuer, and kept as long as the server's
 * {@code Cache-Control} allows, within this cache's minimum and maximum and never past the list's {@code validUntil}
 * (see {@link Builder#minAge}). A list is re-fetched with {@code If-None-Match}, and a {@code 304} keeps it with a new
 * freshness; once the copy kept is past its {@code validUntil} it is fetched whole. A list that cannot be fetched is an error unless a stale copy is within the caller's staleness bound.
 * Thread-safe.
 *
 * <p><b>Refreshed ahead of expiry:</b> a fetched list in the last fifth of its freshness is re-fetched in the
 * background while verifications keep using it, so only a list never fetched, or one that expired, makes a
 * verification wait (at most the fetcher's timeout). A background refresh that fails leaves the list in use until it
 * expires and is retried after a wait that doubles; an expired list that cannot be fetched fails the verification.
 * The refresh threads are daemons that exist only while there is work; {@link #close()} stops them.
 *
 * <p><b>Security:</b> at most {@link #MAX_FETCHES_PER_HOST} fetches run at once against one host; another waits up to
 * {@link #FETCH_SLOT_WAIT} and then fails with {@code STATUS_RETRIEVAL_ERROR}. A host that accepts connections and
 * never answers therefore holds a few verifications until the fetcher's timeout, never all of them, and never delays
 * lists on other hosts. Background refreshes take the same slots. The caller decides trust before asking for a list,
 * so only credentials that could be accepted make this cache reach the network.
 */
public final class StatusListCache implements AutoCloseable {

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

    /**
     * A list as kept: who issued it, when it was last fetched or revalidated, until when it is fresh, and what a
     * revalidation needs (its entity-tag, and the directives a {@code 304} without its own inherits).
     */
    private record Entry(Credential credential, Did issuer, Instant fetched, Instant expires, Optional<String> etag,
                         Optional<CacheControl> cacheControl, boolean fromNetwork) {

        boolean fresh(Instant now) {
            return now.isBefore(expires);
        }

        /** In the last fifth of its freshness, and refreshable (a bundle is not re-read in the background). */
        boolean refreshDue(Instant now) {
            Duration life = Duration.between(fetched, expires);
            return fromNetwork && !life.isZero() && !life.isNegative() && !now.isBefore(expires.minus(life.dividedBy(5)));
        }

        boolean storable() {
            return cacheControl.map(c -> !c.noStore()).orElse(true);
        }
    }

    private final Optional<SafeFetcher> fetcher;
    private final Optional<ResolutionBundle> bundle;
    private final DidResolver resolver;
    private final Clock clock;
    private final Duration minAge;
    private final Duration maxAge;
    private final Map<URI, Entry> entries = new ConcurrentHashMap<>();
    private final FetchSlots slots = new FetchSlots(MAX_FETCHES_PER_HOST, FETCH_SLOT_WAIT);
    private final BackgroundRefresh refresher;

    /** The longest a list is kept by default, whatever its validity and cache headers allow. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(1);

    /** The shortest a list with a {@code max-age} is kept by default: what the server says. */
    public static final Duration DEFAULT_MIN_AGE = Duration.ZERO;

    private StatusListCache(Builder b) {
        this.fetcher = Optional.ofNullable(b.fetcher);
        this.bundle = Optional.ofNullable(b.bundle);
        this.resolver = Objects.requireNonNull(b.resolver, "resolver");
        this.clock = Objects.requireNonNull(b.clock, "clock");
        this.minAge = b.minAge;
        this.maxAge = b.maxAge;
        this.refresher = new BackgroundRefresh(clock);
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
        private Duration minAge = DEFAULT_MIN_AGE;

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

        /**
         * The shortest a list is kept when the server gives it a {@code max-age} ({@link #DEFAULT_MIN_AGE}): a verifier
         * that would rather see a revocation a little later than ask a server that says {@code max-age=0} on every
         * verification sets it. It never keeps a list past its {@code validUntil}, nor one sent with {@code no-store}
         * or {@code no-cache}.
         */
        public Builder minAge(Duration minAge) {
            Objects.requireNonNull(minAge, "minAge");
            if (minAge.isNegative()) {
                throw new IllegalArgumentException("minAge must not be negative");
            }
            this.minAge = minAge;
            return this;
        }

        /**
         * @throws IllegalArgumentException when the minimum age is above the maximum
         */
        public StatusListCache build() {
            if (minAge.compareTo(maxAge) > 0) {
                throw new IllegalArgumentException("minAge " + minAge + " is above maxAge " + maxAge);
            }
            return new StatusListCache(this);
        }
    }

    /**
     * The verified status list credential at {@code uri}, issued by {@code issuer}. A fresh list is answered at once
     * (and refreshed in the background when it nears expiry); an expired or unknown one is fetched now.
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
        if (cached != null && cached.fresh(now)) {
            requireIssuer(cached, uri, issuer);
            if (cached.refreshDue(now)) {
                refresher.offer(uri, () -> refresh(uri));
            }
            return cached.credential();
        }
        try {
            Entry fresh = fetchedOrCached(uri, issuer, now);
            keep(uri, cached, fresh);
            return fresh.credential();
        } catch (ProblemException e) {
            if (e.type() == ProblemType.STATUS_RETRIEVAL_ERROR && cached != null && !staleness.isZero() && !staleness.isNegative()
                    && now.isBefore(cached.expires().plus(staleness))) {
                requireIssuer(cached, uri, issuer);
                return cached.credential();
            }
            throw e;
        }
    }

    /** Background refreshes queued or running now: for monitoring, and for waiting until a refresh seen on the wire is applied. */
    public int refreshesInFlight() {
        return refresher.inFlight();
    }

    /** Stops refreshing in the background; lists are still answered, fetched when they expire. Idempotent. */
    @Override
    public void close() {
        refresher.close();
    }

    /** Whether a background refresh of {@code uri} is queued or running: lets a test wait for one to end. */
    boolean refreshing(URI uri) {
        return refresher.inFlight(uri);
    }

    /** Background refreshes of {@code uri} that failed since the last success. */
    int refreshFailures(URI uri) {
        return refresher.failures(uri);
    }

    /** A list kept under one URL was issued by that issuer only: another issuer's credential cannot borrow it. */
    private static void requireIssuer(Entry e, URI uri, Did issuer) {
        if (!e.issuer().equals(issuer)) {
            throw new ProblemException(ProblemType.STATUS_VERIFICATION_ERROR,
                    "status list " + uri + " was issued by " + e.issuer() + ", not by the credential's issuer " + issuer);
        }
    }

    /** Stores {@code fresh} in place of {@code previous} unless it said {@code no-store}, which also drops the old copy. */
    private void keep(URI uri, Entry previous, Entry fresh) {
        if (!fresh.storable()) {
            if (previous != null) {
                entries.remove(uri, previous);
            }
            return;
        }
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(uri, fresh);
        refresher.fetched(uri);
    }

    /**
     * The background refresh of a list in use: revalidated or replaced unless a verification replaced it meanwhile;
     * on failure it throws and the list stays as it is.
     */
    private void refresh(URI uri) {
        Entry current = entries.get(uri);
        if (current == null) {
            return;
        }
        Instant now = clock.instant();
        Entry next;
        try (FetchSlots.Slot slot = slots.acquire(uri.getHost())) {
            next = load(uri, current.issuer(), now, current);
        }
        if (next.storable()) {
            entries.computeIfPresent(uri, (u, e) -> e == current ? next : e);
        } else {
            entries.remove(uri, current);
        }
    }

    /**
     * Loads the list holding a slot for its host; a list in the bundle needs none. After waiting for a slot the cache
     * is read again, so concurrent verifications against one list fetch it once.
     */
    private Entry fetchedOrCached(URI uri, Did issuer, Instant now) {
        if (bundle.flatMap(b -> b.resource(uri)).isPresent() || fetcher.isEmpty() || uri.getHost() == null) {
            return load(uri, issuer, now, null);
        }
        try (FetchSlots.Slot slot = slots.acquire(uri.getHost())) {
            Entry cached = entries.get(uri);
            if (cached != null && cached.fresh(now)) {
                return cached;
            }
            return load(uri, issuer, now, cached);
        }
    }

    /**
     * Reads the list from the bundle, or fetches it, conditionally when {@code previous} (may be null) has an
     * entity-tag and the same issuer.
     */
    private Entry load(URI uri, Did issuer, Instant now, Entry previous) {
        Optional<ResolutionBundle.Item> packed = bundle.flatMap(b -> b.resource(uri));
        if (packed.isPresent()) {
            String token = new String(packed.get().content().toByteArray(), StandardCharsets.UTF_8).trim();
            Credential list = verified(uri, issuer, token);
            return new Entry(list, issuer, now, Freshness.expires(now, list.validUntil(), Optional.empty(), Optional.empty(),
                    minAge, maxAge), Optional.empty(), Optional.empty(), false);
        }
        if (fetcher.isEmpty()) {
            throw new ProblemException(ProblemType.STATUS_RETRIEVAL_ERROR,
                    "status list " + uri + " is not in the bundle and this verifier is offline");
        }
        // a copy past its own validUntil is not revalidated: a 304 would keep a list its issuer no longer stands behind,
        // while the issuer tags the bits and signs unchanged bits again, later, under the same tag
        Optional<Entry> revalidating = Optional.ofNullable(previous)
                .filter(p -> p.fromNetwork() && p.etag().isPresent() && p.issuer().equals(issuer)
                        && p.credential().validUntil().map(now::isBefore).orElse(true));
        FetchedResource r;
        try {
            r = fetcher.get().get(uri, ACCEPTED, revalidating.map(p -> Map.of("If-None-Match", p.etag().get())).orElse(Map.of()));
        } catch (ProblemException e) {
            throw new ProblemException(ProblemType.STATUS_RETRIEVAL_ERROR,
                    "status list " + uri + ": " + e.problem().detail());
        }
        if (r.status() == 304 && revalidating.isPresent()) {
            Entry p = revalidating.get();
            Optional<CacheControl> cc = r.cacheControl().or(p::cacheControl);
            return new Entry(p.credential(), p.issuer(), now, Freshness.expires(now, p.credential().validUntil(), cc,
                    r.freshness(now), minAge, maxAge), r.etag().or(p::etag), cc, true);
        }
        if (r.status() != 200) {
            throw new ProblemException(ProblemType.STATUS_RETRIEVAL_ERROR, "status list " + uri + " answered HTTP " + r.status()
                    + (r.status() == 304 ? " to a request that was not conditional" : ""));
        }
        Credential list = verified(uri, issuer, new String(r.body().toByteArray(), StandardCharsets.UTF_8).trim());
        Optional<CacheControl> cc = r.cacheControl();
        return new Entry(list, issuer, now, Freshness.expires(now, list.validUntil(), cc, r.freshness(now), minAge, maxAge),
                r.etag(), cc, true);
    }

    /** The list in {@code token}, verified, issued by {@code issuer} and of the status list type. */
    private Credential verified(URI uri, Did issuer, String token) {
        Credential list;
        try {
            list = token.startsWith("{") ? dataIntegrity(token, issuer)
                    : VcJose.verifyCredential(token, resolver, JoseOptions.strict(clock, Duration.ofSeconds(60))).credential();
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
        return list;
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
