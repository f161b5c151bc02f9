/**
 * JOSE: strict compact JWS and, on top of it, VC-JOSE. The JWS is parsed and checked here, then its
 * signature verified by the key the caller resolved; no general JOSE library sits in between: its parser would
 * repeat, less strictly, what {@link dev.tabard.vc.jose.CompactJws} checks (nimbus-jose-jwt, for one, accepts
 * altered signature segments). A parsed token is a {@code CompactJws}; only its {@code verify} makes a
 * {@link dev.tabard.vc.jose.VerifiedJws}, and only {@code VcJose}'s verify methods make its {@code Verified…} results.
 *
 * <pre>{@code
 * VerifiedJws jws = CompactJws.parse(token).verify(key); // throws ProblemException unless it verifies
 * ObjectNode claims = jws.payloadJson();
 * }</pre>
 */
package dev.tabard.vc.jose;
