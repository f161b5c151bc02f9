/**
 * The issuer's HTTP service: {@link dev.tabard.issuer.http.IssuerServer} assembles the transport (limits, problem
 * details, metrics) and the route groups: the DID document and status lists, the admin API for agents and
 * credentials, for keys, tokens and audit, the W3C VC-API, delegation links, OpenID4VCI, and the admin console at
 * {@code /console/} (static pages over the same admin API).
 *
 * <pre>{@code
 * try (IssuerServer server = IssuerServer.start(config, Optional.of(tls), Clock.systemUTC())) {
 *     System.out.println(server.service().did() + " on port " + server.port());
 * }
 * }</pre>
 */
package dev.tabard.issuer.http;
