package dev.tabard.verifier.status;

import dev.tabard.crypto.VerificationKey;
import dev.tabard.did.Did;
import dev.tabard.did.DidResolver;
import dev.tabard.did.DidUrl;
import dev.tabard.did.Relationship;
import dev.tabard.fetch.FetchedResource;
import dev.tabard.fetch.SafeFetcher;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.sdjwt.status.StatusListToken;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * IETF Token Status Lists ({@code statuslist+jwt}, draft-ietf-oauth-status-list) for SD-JWT VCs, fetched through the
 * verifier's {@link SafeFetcher} (the same policy, hosts and limits as the Bitstring lists) and kept until their
 * {@code ttl}, their {@code exp} or the maximum age, whichever comes first. Thread-safe; bounded to
 * {@link #MAX_ENTRIES} lists.
 *
 * <p><b>Security:</b> a token is used only when it verifies with a key the credential's issuer DID lists for
 * {@code assertionMethod}, and its {@code sub} is the URI the credential names (§8.3): a list served for another
 * credential's URI, or signed by anyone else, is refused. A cached list is reused only for the issuer that signed it.
 */
public final class TokenStatusLists {

    public static final int MAX_ENTRIES = 1_000;
    private static final Set<String> ACCEPTED = Set.of(StatusListToken.MEDIA_TYPE, "application/jwt");

    private final Optional<SafeFetcher> fetcher;
    private final DidResolver resolver;
    private final Clock clock;
    private final Duration maxAge;
    private final Map<URI, Entry> entries = new ConcurrentHashMap<>();

    private record Entry(StatusListToken token, Did issuer, Instant expires) {
    }

    /**
     * Lists fetched through {@code fetcher} (its policy bounds hosts, sizes and time).
     *
     * @param maxAge the longest a list is kept, whatever its {@code ttl} says
     */
    public static TokenStatusLists over(SafeFetcher fetcher, DidResolver resolver, Clock clock, Duration maxAge) {
        return new TokenStatusLists(Optional.of(Objects.requireNonNull(fetcher, "fetcher")), resolver, clock, maxAge);
    }

    /** An offline verifier's: every SD-JWT VC with a status is refused with {@code STATUS_RETRIEVAL_ERROR}. */
    public static TokenStatusLists offline(DidResolver resolver, Clock clock) {
        return new TokenStatusLists(Optional.empty(), resolver, clock, Duration.ZERO);
    }

    private TokenStatusLists(Optional<SafeFetcher> fetcher, DidResolver resolver, Clock clock, Duration maxAge) {
        this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
    }

    /**
     * The verified Status List Token at {@code uri}, signed by {@code issuer}.
     *
     * @throws ProblemException {@code STATUS_RETRIEVAL_ERROR} when it cannot be fetched; {@code STATUS_VERIFICATION_ERROR}
     *     when it does not verify as {@code issuer}'s list for {@code uri}; the {@code StatusList} decoding problems
     */
    public StatusListToken get(URI uri, Did issuer, Duration skew) {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(issuer, "issuer");
        Instant now = clock.instant();
        Entry cached = entries.get(uri);
        if (cached != null && cached.issuer().equals(issuer) && now.isBefore(cached.expires())) {
            return cached.token();
        }
        SafeFetcher f = fetcher.orElseThrow(() -> new ProblemException(ProblemType.STATUS_RETRIEVAL_ERROR,
                "status list " + uri + ": this verifier is offline"));
        FetchedResource r;
        try {
            r = f.get(uri, ACCEPTED);
        } catch (ProblemException e) {
            throw new ProblemException(ProblemType.STATUS_RETRIEVAL_ERROR, "status list " + uri + ": " + e.problem().detail());
        }
        if (r.status() != 200) {
            throw new ProblemException(ProblemType.STATUS_RETRIEVAL_ERROR, "status list " + uri + " answered HTTP " + r.status());
        }
        String jwt = new String(r.body().toByteArray(), StandardCharsets.UTF_8).trim();
        StatusListToken token = StatusListToken.verify(jwt, key(jwt, issuer), uri, clock, skew);
        Instant expires = now.plus(token.ttl().filter(t -> t.compareTo(maxAge) < 0).orElse(maxAge));
        if (token.expiresAt().isPresent() && token.expiresAt().get().isBefore(expires)) {
            expires = token.expiresAt().get();
        }
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(uri, new Entry(token, issuer, expires));
        return token;
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
