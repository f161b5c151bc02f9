package dev.tabard.verifier.issuers;

import dev.tabard.crypto.VerificationKey;
import dev.tabard.didweb.ResolutionBundle;
import dev.tabard.fetch.FetchedResource;
import dev.tabard.fetch.SafeFetcher;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.sdjwt.vc.IssuerJwks;
import dev.tabard.sdjwt.vc.IssuerMetadataKeys;
import dev.tabard.sdjwt.vc.JwtVcIssuerMetadata;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * JWT VC Issuer Metadata and the JWK Sets it links to, read from a resolution bundle first and else fetched through
 * the verifier's {@link SafeFetcher} (its policy bounds hosts, addresses, sizes and time), then kept for
 * {@code maxAge}. Bounded to {@link #MAX_ENTRIES} issuers, least recently used out first. Concurrent misses for one
 * issuer make one fetch. Thread-safe.
 *
 * <p><b>Security:</b> {@link #keysFor} fetches only for issuers its predicate (the trust policy) accepts, so a
 * credential naming an unknown https issuer makes the verifier fetch nothing. A {@code kid} the cached keys do not
 * hold (the issuer rotated) makes one new fetch, at most every {@link #MIN_REFETCH} per issuer, so forged
 * {@code kid}s cannot turn the verifier into a stream of requests.
 */
public final class IssuerMetadataCache {

    public static final int MAX_ENTRIES = 256;
    public static final Duration MIN_REFETCH = Duration.ofMinutes(1);
    /** How long a document is kept unless {@link Builder#maxAge} says otherwise. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(15);
    private static final Set<String> METADATA_TYPES = Set.of("application/json");
    private static final Set<String> JWKS_TYPES = Set.of("application/json", "application/jwk-set+json");

    private record Entry(IssuerJwks keys, Instant fetched, Instant expires) {
    }

    private final Optional<SafeFetcher> fetcher;
    private final Optional<ResolutionBundle> bundle;
    private final Clock clock;
    private final Duration maxAge;
    private final Map<URI, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<URI, Object> loading = new ConcurrentHashMap<>();

    private IssuerMetadataCache(Builder b) {
        this.fetcher = b.fetcher;
        this.bundle = b.bundle;
        this.clock = b.clock;
        this.maxAge = b.maxAge;
    }

    /**
     * A cache that reads from nowhere until {@link Builder#fetcher} or {@link Builder#bundle} says where: every
     * issuer is then {@code FETCH_REFUSED}.
     */
    public static Builder builder(Clock clock) {
        return new Builder(clock);
    }

    /** Where documents come from and how long they are kept. */
    public static final class Builder {
        private final Clock clock;
        private Optional<SafeFetcher> fetcher = Optional.empty();
        private Optional<ResolutionBundle> bundle = Optional.empty();
        private Duration maxAge = DEFAULT_MAX_AGE;

        private Builder(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
        }

        /** Fetches documents the bundle does not hold, within the fetcher's policy. */
        public Builder fetcher(SafeFetcher fetcher) {
            this.fetcher = Optional.of(Objects.requireNonNull(fetcher, "fetcher"));
            return this;
        }

        /** Documents held offline, by URL; read before the network. */
        public Builder bundle(ResolutionBundle bundle) {
            this.bundle = Optional.of(Objects.requireNonNull(bundle, "bundle"));
            return this;
        }

        /** How long a document is kept; {@link #DEFAULT_MAX_AGE} unless set. */
        public Builder maxAge(Duration maxAge) {
            Objects.requireNonNull(maxAge, "maxAge");
            if (maxAge.isNegative() || maxAge.isZero()) {
                throw new IllegalArgumentException("maxAge must be positive");
            }
            this.maxAge = maxAge;
            return this;
        }

        public IssuerMetadataCache build() {
            return new IssuerMetadataCache(this);
        }
    }

    /** This cache as an {@link IssuerMetadataKeys} for the issuers {@code trusted} accepts; others are refused unfetched. */
    public IssuerMetadataKeys keysFor(Predicate<URI> trusted) {
        Objects.requireNonNull(trusted, "trusted");
        return (issuer, kid) -> {
            if (!trusted.test(issuer)) {
                throw new ProblemException(ProblemType.UNTRUSTED_ISSUER, issuer + " is not a trusted issuer");
            }
            return key(issuer, kid);
        };
    }

    /**
     * The key {@code kid} names (or the only key) in {@code issuer}'s metadata.
     *
     * @throws ProblemException {@code FETCH_REFUSED} offline for an issuer the bundle does not hold, and the
     *     {@link SafeFetcher} problems; {@code FETCH_FAILED} for an answer other than 200; the
     *     {@link JwtVcIssuerMetadata#parse} and {@link IssuerJwks} problems
     */
    private VerificationKey key(URI issuer, Optional<String> kid) {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(kid, "kid");
        Instant now = clock.instant();
        Entry cached = cached(issuer, now);
        if (cached != null) {
            try {
                return cached.keys().select(kid);
            } catch (ProblemException e) {
                if (e.type() != ProblemType.INVALID_VERIFICATION_METHOD_URL || now.isBefore(cached.fetched().plus(MIN_REFETCH))) {
                    throw e;
                }
            }
        }
        Object lock = loading.computeIfAbsent(issuer, u -> new Object());
        try {
            synchronized (lock) {
                Entry again = cached(issuer, now);
                if (again != null && again != cached) {
                    return again.keys().select(kid);
                }
                Entry loaded = new Entry(load(issuer), now, now.plus(maxAge));
                synchronized (entries) {
                    entries.put(issuer, loaded);
                    if (entries.size() > MAX_ENTRIES) {
                        entries.remove(entries.keySet().iterator().next());
                    }
                }
                return loaded.keys().select(kid);
            }
        } finally {
            loading.remove(issuer, lock);
        }
    }

    private Entry cached(URI issuer, Instant now) {
        synchronized (entries) {
            Entry e = entries.get(issuer);
            return e != null && now.isBefore(e.expires()) ? e : null;
        }
    }

    private IssuerJwks load(URI issuer) {
        URI location = JwtVcIssuerMetadata.location(issuer);
        JwtVcIssuerMetadata metadata = JwtVcIssuerMetadata.parse(read(location, METADATA_TYPES, issuer), issuer);
        if (metadata.jwks().isPresent()) {
            return metadata.jwks().get();
        }
        return IssuerJwks.parse(read(metadata.jwksUri().orElseThrow(), JWKS_TYPES, issuer));
    }

    private byte[] read(URI uri, Set<String> mediaTypes, URI issuer) {
        Optional<ResolutionBundle.Item> held = bundle.flatMap(b -> b.resource(uri));
        if (held.isPresent()) {
            return held.get().content().toByteArray();
        }
        SafeFetcher f = fetcher.orElseThrow(() -> new ProblemException(ProblemType.FETCH_REFUSED, "the keys of " + issuer
                + " are published at " + uri + ", which is not in the resolution bundle, and this verifier is offline"));
        FetchedResource r = f.get(uri, mediaTypes);
        if (r.status() != 200) {
            throw new ProblemException(ProblemType.FETCH_FAILED, "the keys of " + issuer + ": " + uri + " answered HTTP " + r.status());
        }
        return r.body().toByteArray();
    }
}
