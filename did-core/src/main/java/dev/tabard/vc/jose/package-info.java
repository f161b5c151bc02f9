/**
 * JOSE: strict compact JWS and, on top of it, VC-JOSE ({@code vc+jwt}, {@code vp+jwt}). The JWS is parsed and
 * checked here, then its signature verified by the key the caller resolved. No general JOSE library sits in
 * between, and this module does not depend on one: VC-JOSE does not run over nimbus-jose-jwt. Nimbus 10.4, measured
 * on this project's vectors, accepts altered signature segments and Wycheproof's {@code use: enc} and
 * {@code key_ops} keys; {@link dev.tabard.vc.jose.CompactJws} refuses them and ends every Wycheproof JWS and
 * signature case exactly as Wycheproof says ({@code test-vectors}, {@code dev.tabard.vectors.wycheproof}). A format
 * built on nimbus later (SD-JWT, DPoP) keeps its types inside its own package.
 *
 * <p>A parsed token is a {@code CompactJws}; only its {@code verify} makes a {@link dev.tabard.vc.jose.VerifiedJws},
 * and only {@code VcJose}'s verify methods make its {@code Verified…} results.
 *
 * <pre>{@code
 * VerifiedJws jws = CompactJws.parse(token).verify(key); // throws ProblemException unless it verifies
 * ObjectNode claims = jws.payloadJson();
 * }</pre>
 */
package dev.tabard.vc.jose;
