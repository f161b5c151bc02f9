/**
 * The keys of SD-JWT VC issuers named by an https URL, from their JWT VC Issuer Metadata: fetched through the
 * verifier's {@code SafeFetcher} (or read from its resolution bundle), only for issuers the trust policy names, and
 * kept for a bounded time.
 *
 * <pre>{@code
 * IssuerMetadataCache cache = IssuerMetadataCache.builder(clock).fetcher(fetcher).build();
 * IssuerMetadataKeys keys = cache.keysFor(policy::trustsIssuerUrl);
 * SdJwtVcVerifier verifier = SdJwtVcVerifier.builder(resolver).issuerMetadata(keys).build();
 * }</pre>
 */
package dev.tabard.verifier.issuers;
