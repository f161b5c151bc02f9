/** did:jwk: DIDs that are a public JWK, resolved without I/O. */
package dev.tabard.did.jwk;
