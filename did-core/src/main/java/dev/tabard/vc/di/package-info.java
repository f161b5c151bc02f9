/**
 * Data Integrity proofs (VC Data Integrity 1.0) in four cryptosuites: {@code eddsa-rdfc-2022} and
 * {@code eddsa-jcs-2022} on Ed25519; {@code ecdsa-rdfc-2019} and {@code ecdsa-jcs-2019} on P-256 (SHA-256) and
 * P-384 (SHA-384). The rdfc suites canonicalize with RDFC-1.0 over bundled contexts ({@code dev.tabard.jsonld}); the
 * jcs suites with {@link dev.tabard.vc.di.Jcs} (RFC 8785).
 *
 * <p>The key type picks the suite's algorithm, never the proof. Only {@code DataIntegrity.verify} makes a
 * {@code VerifiedProof}; a failure throws {@code ProblemException} with the Data Integrity problem type.
 *
 * <pre>{@code
 * ObjectNode signed = DataIntegrity.sign(credential, signer,
 *         ProofOptions.assertion("eddsa-jcs-2022", signer.keyId(), now), BundledContexts.standard());
 * DataIntegrity.verify(signed, resolver, DataIntegrity.Expectations.assertion(clock), BundledContexts.standard());
 * }</pre>
 */
package dev.tabard.vc.di;
