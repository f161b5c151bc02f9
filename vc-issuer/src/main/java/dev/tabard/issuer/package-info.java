/**
 * The organization's issuer service. {@link dev.tabard.issuer.Issuers#open} opens one on an
 * {@link dev.tabard.issuer.store.IssuerStore}, making the organization (keys, DID, first admin token) on a new store;
 * the parts live in their packages ({@code keys}, {@code agents}, {@code status}, {@code oid4vci}, {@code http}) and
 * {@link dev.tabard.issuer.CredentialIssuer} signs every credential. Nothing shared lives only in one process, so
 * several instances may serve one store.
 *
 * <pre>{@code
 * IssuerService issuer = Issuers.open(store, config, Clock.systemUTC(), new SecureRandom());
 * CredentialIssuer.Issued vc = issuer.issuer().issue(agentDid, IssuanceFormat.VC_JWT, "token:ops");
 * issuer.statusLists().set(vc.record().id(), StatusPurpose.REVOCATION, true, "token:ops");
 * }</pre>
 */
package dev.tabard.issuer;
