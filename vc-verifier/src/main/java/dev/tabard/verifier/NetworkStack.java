package dev.tabard.verifier;

import dev.tabard.did.DidResolver;
import dev.tabard.did.DidResolvers;
import dev.tabard.did.jwk.JwkDidResolver;
import dev.tabard.did.key.KeyDidResolver;
import dev.tabard.didweb.ResolutionBundle;
import dev.tabard.didweb.WebDidResolver;
import dev.tabard.fetch.FetchPolicy;
import dev.tabard.fetch.SafeFetcher;
import dev.tabard.verifier.issuers.IssuerMetadataCache;
import dev.tabard.verifier.status.StatusListCache;
import dev.tabard.verifier.status.TokenStatusLists;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a verifier reaches outside itself with: one DID resolver, used for issuers, holders and the issuers of status
 * lists alike, and the status-list and issuer-metadata caches over the same fetcher and bundle. Built once per
 * verifier, so that there is no second resolver with other rules for status lists.
 */
record NetworkStack(DidResolver resolver, StatusListCache statusLists, TokenStatusLists tokenStatusLists,
                    IssuerMetadataCache issuerMetadata) {

    NetworkStack {
        Objects.requireNonNull(resolver, "resolver");
        Objects.requireNonNull(statusLists, "statusLists");
        Objects.requireNonNull(tokenStatusLists, "tokenStatusLists");
        Objects.requireNonNull(issuerMetadata, "issuerMetadata");
    }

    /**
     * @param network how to fetch did:web documents and status lists; empty reaches no network
     * @param bundle documents and lists answered offline, before the network
     * @param resolverOverride a caller's own resolver, used instead of the one built here (and for status lists too)
     */
    static NetworkStack of(Optional<FetchPolicy> network, Optional<ResolutionBundle> bundle, Optional<DidResolver> resolverOverride,
                           Clock clock, Duration statusListMinAge, Duration statusListMaxAge) {
        Optional<SafeFetcher> fetcher = network.map(SafeFetcher::new);
        DidResolver resolver = resolverOverride.orElseGet(() -> {
            if (fetcher.isEmpty() && bundle.isEmpty()) {
                return DidResolvers.of(new KeyDidResolver(), new JwkDidResolver());
            }
            WebDidResolver.Builder web = WebDidResolver.builder().clock(clock);
            fetcher.ifPresent(web::fetcher);
            bundle.ifPresent(web::bundle);
            return DidResolvers.of(web.build(), new KeyDidResolver(), new JwkDidResolver());
        });
        StatusListCache.Builder lists = StatusListCache.builder(resolver, clock).minAge(statusListMinAge)
                .maxAge(statusListMaxAge);
        fetcher.ifPresent(lists::fetcher);
        bundle.ifPresent(lists::bundle);
        TokenStatusLists.Builder tokenLists = TokenStatusLists.builder(resolver, clock).maxAge(statusListMaxAge);
        fetcher.ifPresent(tokenLists::fetcher);
        bundle.ifPresent(tokenLists::bundle);
        IssuerMetadataCache.Builder metadata = IssuerMetadataCache.builder(clock);
        fetcher.ifPresent(metadata::fetcher);
        bundle.ifPresent(metadata::bundle);
        return new NetworkStack(resolver, lists.build(), tokenLists.build(), metadata.build());
    }
}
