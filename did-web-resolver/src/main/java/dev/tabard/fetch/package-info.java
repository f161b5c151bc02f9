/**
 * Fetching from URLs that strangers choose: SSRF guard, limits, pinned addresses, extra trust anchors.
 *
 * <p>{@link dev.tabard.fetch.SafeFetcher} leaves the HTTP wire protocol to okhttp and keeps the decisions: its resolver
 * checks every address of a host against {@link dev.tabard.fetch.FetchPolicy} and hands the client only those, so the
 * client connects to an address that was checked; redirects are followed hop by hop under the same checks; sizes and
 * time are bounded on the bytes actually read. A {@link dev.tabard.fetch.FetchedResource} carries what a client cache
 * needs: the status (a {@code 304} comes back as such), a well-formed {@code ETag} and the
 * {@link dev.tabard.fetch.CacheControl} directives.
 *
 * <pre>{@code
 * SafeFetcher fetcher = new SafeFetcher(FetchPolicy.defaults());
 * FetchedResource r = fetcher.get(uri, Set.of("application/vc+jwt"), Map.of("If-None-Match", "\"v7\""));
 * boolean unchanged = r.status() == 304;
 * }</pre>
 */
package dev.tabard.fetch;
