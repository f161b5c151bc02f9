/**
 * Status lists for the verifier: {@link dev.tabard.verifier.status.StatusListCache} fetches Bitstring Status List
 * credentials through the hardened fetcher, verifies them against their issuer, and keeps them as HTTP caching says.
 *
 * <p>Freshness comes from {@code Cache-Control: max-age} within the cache's minimum and maximum, and never outlasts
 * the list's {@code validUntil}; an expired list is revalidated with {@code If-None-Match}, so an unchanged list costs
 * a {@code 304}. A list in the last fifth of its freshness is refreshed in the background while verifications keep
 * using it; only a list never fetched, or one that expired, makes a verification wait. A list that cannot be had is
 * {@code STATUS_RETRIEVAL_ERROR}: the verification fails closed. Fetches per host are bounded, background ones
 * included. {@link dev.tabard.verifier.status.TokenStatusLists} does the same for SD-JWT VCs' IETF Token Status
 * Lists: bundle first, one fetch for concurrent misses of a list, bounded per host, least recently used evicted.
 *
 * <pre>{@code
 * try (StatusListCache lists = StatusListCache.builder(resolver, Clock.systemUTC())
 *         .fetcher(new SafeFetcher(FetchPolicy.defaults())).minAge(Duration.ofSeconds(5)).build()) {
 *     Credential list = lists.get(URI.create("https://acme.example/status/1"), issuer, Duration.ZERO);
 * }
 * }</pre>
 */
package dev.tabard.verifier.status;
