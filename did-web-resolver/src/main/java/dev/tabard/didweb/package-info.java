/**
 * did:web resolution: URL mapping, caching, offline bundles.
 *
 * <p>{@link dev.tabard.didweb.DidWebUrls} maps a did:web DID to the HTTPS URL of its document.
 * {@link dev.tabard.didweb.WebDidResolver} fetches it through a {@link dev.tabard.fetch.SafeFetcher}, keeps it in a
 * {@link dev.tabard.didweb.ResolutionCache} by its HTTP freshness (revalidating with {@code If-None-Match}), and
 * answers from a signed {@link dev.tabard.didweb.ResolutionBundle} first when one is given; without a fetcher it
 * never touches the network.
 *
 * <pre>{@code
 * WebDidResolver resolver = WebDidResolver.builder().fetcher(new SafeFetcher(FetchPolicy.defaults())).build();
 * DidDocument doc = resolver.resolve(Did.parse("did:web:example.com")).document();
 * }</pre>
 */
package dev.tabard.didweb;
