/**
 * Verification of credentials and presentations for agents that embed it: proofs (vc+jwt, vp+jwt, Data Integrity),
 * holder binding, validity, status lists, replay and a trust policy, each failure a typed problem in a
 * {@link dev.tabard.verifier.VerificationResult}. No HTTP server and no YAML here: the VC-API endpoint is the
 * {@code vc-verifier-server} module.
 *
 * <p>{@link dev.tabard.verifier.Verifier#builder()} is the one way in; it builds its own resolver and status-list cache
 * from one {@link dev.tabard.fetch.FetchPolicy} (or an offline bundle):
 *
 * <pre>{@code
 * Verifier verifier = Verifier.builder()
 *         .trustPolicy(TrustPolicy.builder().trustWebDomain("acme.example").requireCapabilities("supplier:lookup").build())
 *         .fetchPolicy(FetchPolicy.defaults())
 *         .build();
 * VerificationResult result = verifier.verifyPresentation(vpJwt, new PresentationOptions(challenge, "https://rp.example"));
 * }</pre>
 */
package dev.tabard.verifier;
