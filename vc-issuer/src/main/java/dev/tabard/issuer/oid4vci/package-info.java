/**
 * OpenID4VCI 1.0 (pre-authorized code flow) for the organization's agents: issuer and authorization-server metadata,
 * the token, nonce and credential endpoints, and renewal by a current credential. {@link
 * dev.tabard.issuer.oid4vci.Oid4vci} is the protocol, on plain inputs; {@link
 * dev.tabard.issuer.oid4vci.Oid4vciEndpoints} maps it to HTTP.
 *
 * <p>Everything a request can make the issuer hold (offers, access tokens, nonces) lives in the store's single-use
 * values, shared by every issuer instance on it: bounded per client (nonces per address, offers and tokens per agent)
 * and in total, shedding the largest holder when full. Access tokens buy one credential.
 *
 * <pre>{@code
 * Oid4vci oid4vci = new Oid4vci(service, URI.create("https://issuer.acme.example"), clock, new SecureRandom());
 * new Oid4vciEndpoints(oid4vci).register(app);       // a Javalin app
 * ObjectNode offer = oid4vci.offer(agentDid, true);   // credential_offer, offer_url and tx_code
 * }</pre>
 */
package dev.tabard.issuer.oid4vci;
