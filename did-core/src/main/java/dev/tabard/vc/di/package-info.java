/** Data Integrity proofs: eddsa-rdfc-2022, eddsa-jcs-2022 and ecdsa-rdfc-2019 (P-256). */
package dev.tabard.vc.di;
