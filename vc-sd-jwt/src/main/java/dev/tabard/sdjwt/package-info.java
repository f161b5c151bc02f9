/**
 * SD-JWT (RFC 9901): issuing with salted digests, decoys and recursive disclosures ({@link dev.tabard.sdjwt.SdJwtIssuer}),
 * the compact serialization ({@link dev.tabard.sdjwt.SdJwt}), verifying the issuer's signature and putting every
 * disclosure back ({@link dev.tabard.sdjwt.SdJwt#verify}), choosing disclosures by claim path
 * ({@link dev.tabard.sdjwt.Presentations}) and the key-binding JWT ({@link dev.tabard.sdjwt.KeyBinding}).
 *
 * <p>Signatures go through did-core's strict {@code CompactJws}: the key decides the algorithm. The digests are
 * SHA-256 over the disclosure text as received, computed here rather than by a library, so one JSON parser (did-core's
 * bounded codec) reads every byte.
 *
 * <pre>{@code
 * SdJwt issued = SdJwtIssuer.builder(issuerKey).kid(kid).typ("dc+sd-jwt").claims(claims)
 *         .disclosable(ClaimPath.of("operator", "email")).holderKey(holder.publicKey()).issue();
 * SdJwt shown = KeyBinding.sign(holder, Presentations.select(issued, paths), audience, nonce, now);
 * ProcessedSdJwt p = SdJwt.parse(shown.serialize()).verify(issuerPublicKey);
 * KeyBinding.verify(shown, p, KeyBinding.Expectation.of(audience, nonce, clock));
 * }</pre>
 */
package dev.tabard.sdjwt;
