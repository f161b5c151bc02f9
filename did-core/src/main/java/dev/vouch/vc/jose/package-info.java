/**
 * JOSE: strict compact JWS and, on top of it, VC-JOSE. nimbus-jose-jwt is used only inside this package
 * and its types never appear in the API.
 */
package dev.vouch.vc.jose;
