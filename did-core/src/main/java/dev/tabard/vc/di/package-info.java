/**
 * Data Integrity proofs: eddsa-rdfc-2022 and eddsa-jcs-2022 on Ed25519; ecdsa-rdfc-2019 and ecdsa-jcs-2019 on P-256
 * (SHA-256) and P-384 (SHA-384). Only {@code DataIntegrity.verify} makes a {@code VerifiedProof}.
 */
package dev.tabard.vc.di;
