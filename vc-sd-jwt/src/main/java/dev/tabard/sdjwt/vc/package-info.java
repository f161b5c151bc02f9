/**
 * SD-JWT VC (draft-ietf-oauth-sd-jwt-vc): issuing ({@link dev.tabard.sdjwt.vc.SdJwtVcIssuer}), verifying a presentation
 * with key binding ({@link dev.tabard.sdjwt.vc.SdJwtVcVerifier}, giving a {@link dev.tabard.sdjwt.vc.VerifiedSdJwtVc}),
 * and Tabard's AgentCredential as an SD-JWT VC ({@link dev.tabard.sdjwt.vc.AgentSdJwtVc}, {@code vct}
 * {@code https://w3id.org/tabard/vct/AgentCredential}). Issuer keys come from DIDs, or for an issuer named by an https URL from its JWT VC Issuer Metadata
 * ({@link dev.tabard.sdjwt.vc.JwtVcIssuerMetadata}, through an {@link dev.tabard.sdjwt.vc.IssuerMetadataKeys} the
 * caller gives); the status check against the
 * Token Status List is the caller's (vc-verifier fetches and caches the lists).
 *
 * <pre>{@code
 * SdJwtVcVerifier verifier = SdJwtVcVerifier.builder(resolver).clock(clock).build();
 * VerifiedSdJwtVc vc = verifier.verify(presentation, "https://verifier.example", nonce);
 * AgentClaims agent = AgentSdJwtVc.read(vc.claims(), vc.issuerDid().orElseThrow());
 * }</pre>
 */
package dev.tabard.sdjwt.vc;
