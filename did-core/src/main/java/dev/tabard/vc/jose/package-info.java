/**
 * JOSE: strict compact JWS and, on top of it, VC-JOSE. The JWS is parsed and checked here, then its
 * signature verified by the key the caller resolved; no general JOSE library sits in between: its parser would
 * repeat, less strictly, what {@link dev.tabard.vc.jose.CompactJws} checks (nimbus-jose-jwt, for one, accepts
 * altered signature segments).
 */
package dev.tabard.vc.jose;
