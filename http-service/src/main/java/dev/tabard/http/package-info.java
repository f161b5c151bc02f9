/**
 * The HTTP transport the issuer and the verifier share, written once: Javalin over Jetty with bounded time per
 * request, bounded connections per client address, bodies received whole before a handler runs, per-client rate
 * limits, problem details (RFC 9457) for every error including Jetty's own, and one Micrometer registry per server
 * ({@link dev.tabard.http.ServiceMetrics}: the request timer both servers share, JVM meters and the server's own)
 * exposed at {@code /metrics} behind a token or on a separate address.
 *
 * <pre>{@code
 * HttpService http = HttpService.builder("tabard-verifier-http").port(8080).tls(Optional.of(sslContext))
 *         .rateLimit("/challenges", RateLimit.perSecond(50, 100))
 *         .metrics(MetricsAccess.bearerToken(System.getenv("TABARD_VERIFIER_METRICS_TOKEN")), ServiceMetrics.create("verifier"))
 *         .build();
 * http.app().post("/challenges", this::challenge);
 * http.start();
 * }</pre>
 */
package dev.tabard.http;
