/**
 * The organization's keys: sealed at rest under the operator's secret, rotated in stages (published, active,
 * deprecated, retired), and published in the did:web document. {@link dev.tabard.issuer.keys.KeyRing} is one
 * instance's view of the key table, read again within a second of a change by any instance;
 * {@link dev.tabard.issuer.keys.OrgKeys} rotates and signs with it.
 *
 * <pre>{@code
 * OrgKey next = orgKeys.add(KeyType.ED25519, "token:ops");   // in the DID document, not signing yet
 * orgKeys.activate(next.id(), "token:ops");                  // signs from now on, on every instance within a second
 * SigningKey key = orgKeys.signing(KeyType.ED25519);
 * }</pre>
 */
package dev.tabard.issuer.keys;
