/**
 * OpenID4VCI 1.0 (pre-authorized code flow) for the organization's agents: issuer and authorization-server metadata,
 * the token, nonce and credential endpoints, and renewal by a current credential.
 *
 * <p>Everything a request can make the issuer hold (offers, access tokens, nonces) lives in a {@link
 * dev.tabard.issuer.oid4vci.PerClientTable}: bounded per client (nonces per address, offers and tokens per agent) and
 * in total, and when full it sheds the largest holder instead of refusing a newcomer. Access tokens buy one credential.
 *
 * <pre>{@code
 * Oid4vciEndpoints oid4vci = new Oid4vciEndpoints(service, URI.create("https://issuer.acme.example"), clock);
 * oid4vci.register(app);                       // a Javalin app
 * ObjectNode offer = oid4vci.offer(agentDid, true); // credential_offer, offer_url and tx_code
 * }</pre>
 */
package dev.tabard.issuer.oid4vci;
