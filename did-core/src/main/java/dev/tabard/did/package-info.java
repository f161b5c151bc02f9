/**
 * DIDs, DID URLs and DID documents, and the resolver SPI. A {@link dev.tabard.did.Did} can only be
 * valid; {@link dev.tabard.did.DidDocument#authorize} retrieves a verification method for one purpose as
 * CID 1.0 §3.3 requires.
 *
 * <pre>{@code
 * DidResolver resolver = DidResolvers.of(new KeyDidResolver(clock), webResolver);
 * DidDocument doc = resolver.resolve(Did.parse("did:web:acme.example")).document();
 * VerificationMethod vm = doc.authorize(DidUrl.parse(kid), Relationship.ASSERTION_METHOD);
 * }</pre>
 */
package dev.tabard.did;
