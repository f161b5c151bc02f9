/** did:key: DIDs that are public keys, resolved without I/O. */
package dev.tabard.did.key;
