package dev.tabard.verifier.status;

import dev.tabard.crypto.VerificationKey;
import dev.tabard.did.Did;
import dev.tabard.did.DidResolver;
import dev.tabard.did.DidUrl;
import dev.tabard.did.Relationship;
import dev.tabard.didweb.ResolutionBundle;
import dev.tabard.fetch.FetchedResource;
import dev.tabard.fetch.SafeFetcher;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.sdjwt.status.StatusListToken;
import dev.tabard.sdjwt.vc.IssuerMetadataKeys;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * IETF Token Status Lists ({@code statuslist+jwt}, draft-ietf-oauth-status-list) for SD-JWT VCs, read from a
 * {@link ResolutionBundle} first (offline) and otherwise fetched through the verifier's {@link SafeFetcher} (the
 * same policy, hosts and limits as the Bitstring lists), and kept until their {@code ttl}, their {@code exp} or the
 * maximum age, whichever comes first. Thread-safe.
 *
 * <p><b>Bounded:</b> at most {@link #MAX_ENTRIES} lists are kept; when full, expired lists go first and then the
 * least recently used, so lists in use stay. Concurrent verifications that miss the same list wait for one fetch of
 * it, and at most {@link StatusListCache#MAX_FETCHES_PER_HOST} fetches run against one host; another waits up to
 * {@link StatusListCache#FETCH_SLOT_WAIT} and then fails with {@code STATUS_RETRIEVAL_ERROR}, so a host that never
 * answers holds a few verifications, not all of them.
 *
 * <p><b>Security:</b> a token is used only when it verifies with a key the credential's issuer DID lists for
 * {@code assertionMethod}, its {@code sub} is the URI the credential names (§8.3), and it has not expired: a list
 * served for another credential's URI, signed by anyone else, or past its {@code exp} is refused, whether it came
 * from the network or from a bundle. A cached list is reused only for the issuer that signed it.
 */
public final class TokenStatusLists {

    public static final int MAX_ENTRIES = 1_000;
    private static final Set<String> ACCEPTED = Set.of(StatusListToken.MEDIA_TYPE, "application/jwt");

    private record Entry(StatusListToken token, String issuer, Instant expires) {
    }

    /** One load per list and issuer: a list signed by another issuer is a separate (and failing) load. */
    private record Key(URI uri, String issuer) {
    }

    private final Optional<SafeFetcher> fetcher;
    private final Optional<ResolutionBundle> bundle;
    private final DidResolver resolver;
    private final Clock clock;
    private final Duration maxAge;
    private final RecentEntries<URI, Entry> entries;
    private final SingleFlight<Key, Entry> flights = new SingleFlight<>();
    private final FetchSlots slots = new FetchSlots(StatusListCache.MAX_FETCHES_PER_HOST, StatusListCache.FETCH_SLOT_WAIT);

    /**
     * Lists fetched through {@code fetcher} (its policy bounds hosts, sizes and time).
     *
     * @param maxAge the longest a list is kept, whatever its {@code ttl} says
     */
    public static TokenStatusLists over(SafeFetcher fetcher, DidResolver resolver, Clock clock, Duration maxAge) {
        return builder(resolver, clock).fetcher(fetcher).maxAge(maxAge).build();
    }

    /** An offline verifier's: every SD-JWT VC with a status is refused with {@code STATUS_RETRIEVAL_ERROR}. */
    public static TokenStatusLists offline(DidResolver resolver, Clock clock) {
        return builder(resolver, clock).maxAge(Duration.ZERO).build();
    }

    /**
     * Lists verified with {@code resolver} (the verifier's own) and read from nowhere until {@link Builder#fetcher}
     * or {@link Builder#bundle} says where: every list is then {@code STATUS_RETRIEVAL_ERROR}.
     */
    public static Builder builder(DidResolver resolver, Clock clock) {
        return new Builder(resolver, clock);
    }

    /** Where Token Status Lists come from and how long they are kept. Single-use. */
    public static final class Builder {
        private final DidResolver resolver;
        private final Clock clock;
        private SafeFetcher fetcher;
        private ResolutionBundle bundle;
        private Duration maxAge = StatusListCache.DEFAULT_MAX_AGE;
        private int capacity = MAX_ENTRIES;

        private Builder(DidResolver resolver, Clock clock) {
            this.resolver = Objects.requireNonNull(resolver, "resolver");
            this.clock = Objects.requireNonNull(clock, "clock");
        }

        /** Fetches lists over the network through {@code fetcher} (its policy bounds hosts, sizes and time). */
        public Builder fetcher(SafeFetcher fetcher) {
            this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
            return this;
        }

        /** Reads lists from {@code bundle} first, with no network; they are verified exactly as fetched ones. */
        public Builder bundle(ResolutionBundle bundle) {
            this.bundle = Objects.requireNonNull(bundle, "bundle");
            return this;
        }

        /**
         * The longest a list is kept, whatever its {@code ttl} says ({@link StatusListCache#DEFAULT_MAX_AGE});
         * {@link Duration#ZERO} reads it every time.
         */
        public Builder maxAge(Duration maxAge) {
            Objects.requireNonNull(maxAge, "maxAge");
            if (maxAge.isNegative()) {
                throw new IllegalArgumentException("maxAge must not be negative");
            }
            this.maxAge = maxAge;
            return this;
        }

        /** How many lists are kept ({@link #MAX_ENTRIES}); smaller in tests, so that eviction can be watched. */
        Builder capacity(int capacity) {
            this.capacity = capacity;
            return this;
        }

        public TokenStatusLists build() {
            return new TokenStatusLists(this);
        }
    }

    private TokenStatusLists(Builder b) {
        this.fetcher = Optional.ofNullable(b.fetcher);
        this.bundle = Optional.ofNullable(b.bundle);
        this.resolver = b.resolver;
        this.clock = b.clock;
        this.maxAge = b.maxAge;
        this.entries = new RecentEntries<>(b.capacity, Entry::expires);
    }

    /**
     * The verified Status List Token at {@code uri}, signed by {@code issuer}.
     *
     * @throws ProblemException {@code STATUS_RETRIEVAL_ERROR} when it is not in the bundle and cannot be fetched,
     *     including when its host has {@link StatusListCache#MAX_FETCHES_PER_HOST} fetches in flight for longer than
     *     {@link StatusListCache#FETCH_SLOT_WAIT}; {@code STATUS_VERIFICATION_ERROR} when it does not verify as
     *     {@code issuer}'s list for {@code uri} or has expired; the {@code StatusList} decoding problems
     */
    public StatusListToken get(URI uri, Did issuer, Duration skew) {
        Objects.requireNonNull(issuer, "issuer");
        return get(uri, issuer.toString(), jwt -> key(jwt, issuer), skew);
    }

    /**
     * The verified Status List Token at {@code uri}, signed by the SD-JWT VC issuer named by the https URL
     * {@code issuer} with a key its JWT VC Issuer Metadata publishes ({@code keys}, selected by the token's {@code kid}).
     *
     * @throws ProblemException as {@link #get(URI, Did, Duration)}
     */
    public StatusListToken get(URI uri, URI issuer, IssuerMetadataKeys keys, Duration skew) {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(keys, "keys");
        return get(uri, issuer.toString(), jwt -> {
            try {
                return keys.key(issuer, StatusListToken.kid(jwt));
            } catch (ProblemException e) {
                throw new ProblemException(ProblemType.STATUS_VERIFICATION_ERROR, "the Status List Token's key: " + e.problem().detail());
            }
        }, skew);
    }

    private StatusListToken get(URI uri, String issuer, Function<String, VerificationKey> keyOf, Duration skew) {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(skew, "skew");
        Optional<Entry> cached = fresh(uri, issuer, clock.instant());
        if (cached.isPresent()) {
            return cached.get().token();
        }
        return flights.run(new Key(uri, issuer), () -> load(uri, issuer, keyOf, skew)).token();
    }

    /** How many lists are kept now. */
    int size() {
        return entries.size();
    }

    /** How many verifications wait now for a fetch of {@code uri} that another one runs: lets a test see them queue. */
    int waiting(URI uri, Did issuer) {
        return flights.waiting(new Key(uri, issuer.toString()));
    }

    /** The list kept for {@code uri}, if {@code issuer} signed it and it is still fresh. */
    private Optional<Entry> fresh(URI uri, String issuer, Instant now) {
        return entries.get(uri).filter(e -> e.issuer().equals(issuer) && now.isBefore(e.expires()));
    }

    /**
     * Reads the list from the bundle or fetches it, and keeps it. The cache is read again first: a load that ended
     * just before this one began has already kept the list.
     */
    private Entry load(URI uri, String issuer, Function<String, VerificationKey> keyOf, Duration skew) {
        Instant now = clock.instant();
        Optional<Entry> kept = fresh(uri, issuer, now);
        if (kept.isPresent()) {
            return kept.get();
        }
        String jwt = bundled(uri).orElseGet(() -> fetched(uri));
        StatusListToken token = StatusListToken.verify(jwt, keyOf.apply(jwt), uri, clock, skew);
        Entry entry = new Entry(token, issuer, expires(token, now));
        if (now.isBefore(entry.expires())) {
            entries.put(uri, entry, now);
        }
        return entry;
    }

    private Optional<String> bundled(URI uri) {
        return bundle.flatMap(b -> b.resource(uri))
                .map(item -> new String(item.content().toByteArray(), StandardCharsets.UTF_8).trim());
    }

    private String fetched(URI uri) {
        SafeFetcher f = fetcher.orElseThrow(() -> new ProblemException(ProblemType.STATUS_RETRIEVAL_ERROR,
                "status list " + uri + (bundle.isPresent() ? " is not in the bundle and" : ":") + " this verifier is offline"));
        if (uri.getHost() == null) {
            throw new ProblemException(ProblemType.STATUS_RETRIEVAL_ERROR, "status list " + uri + " names no host to fetch from");
        }
        FetchedResource r;
        try (FetchSlots.Slot slot = slots.acquire(uri.getHost())) {
            r = f.get(uri, ACCEPTED);
        } catch (ProblemException e) {
            if (e.type() == ProblemType.STATUS_RETRIEVAL_ERROR) {
                throw e;
            }
            throw new ProblemException(ProblemType.STATUS_RETRIEVAL_ERROR, "status list " + uri + ": " + e.problem().detail());
        }
        if (r.status() != 200) {
            throw new ProblemException(ProblemType.STATUS_RETRIEVAL_ERROR, "status list " + uri + " answered HTTP " + r.status());
        }
        return new String(r.body().toByteArray(), StandardCharsets.UTF_8).trim();
    }

    /** Its {@code ttl} within the maximum age, never past its {@code exp}. */
    private Instant expires(StatusListToken token, Instant now) {
        Instant expires = now.plus(token.ttl().filter(t -> t.compareTo(maxAge) < 0).orElse(maxAge));
        if (token.expiresAt().isPresent() && token.expiresAt().get().isBefore(expires)) {
            expires = token.expiresAt().get();
        }
        return expires;
    }

    private VerificationKey key(String jwt, Did issuer) {
        try {
            DidUrl kid = StatusListToken.kid(jwt).flatMap(DidUrl::tryParse).filter(u -> u.did().equals(issuer))
                    .orElseThrow(() -> new ProblemException(ProblemType.STATUS_VERIFICATION_ERROR,
                            "the Status List Token's kid is not a key of the credential's issuer " + issuer));
            return resolver.resolve(issuer).document().authorize(kid, Relationship.ASSERTION_METHOD).key();
        } catch (ProblemException e) {
            if (e.type() == ProblemType.STATUS_VERIFICATION_ERROR) {
                throw e;
            }
            throw new ProblemException(ProblemType.STATUS_VERIFICATION_ERROR, "the Status List Token's key: " + e.problem().detail());
        }
    }
}
