/**
 * Bitstring status lists: the revocation and suspension bits of what the issuer signed, kept in the store, and
 * the signed list credentials that publish them (vc+jwt, or JSON with an eddsa-rdfc-2022 proof), cached per list with
 * an entity tag every instance computes alike.
 *
 * <pre>{@code
 * statusLists.set(credentialId, StatusPurpose.SUSPENSION, true, "token:ops");
 * StatusLists.Published list = statusLists.published(1, StatusLists.Format.VC_JWT).orElseThrow();
 * boolean live = statusLists.active(credentialId);
 * }</pre>
 */
package dev.tabard.issuer.status;
