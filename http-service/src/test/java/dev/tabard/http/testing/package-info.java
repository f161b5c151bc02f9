/**
 * Test support for the servers built on the transport: a strict reader of the Prometheus text exposition, so that a
 * test scraping {@code /metrics} from a real server checks every line and asserts series by name and labels instead
 * of matching substrings.
 *
 * <pre>{@code
 * PrometheusText m = PrometheusText.parse(scrape.body());
 * assertEquals(1.0, m.value("tabard_http_requests_seconds_count",
 *         Map.of("server", "verifier", "route", "/challenges", "method", "POST", "status", "201")));
 * }</pre>
 */
package dev.tabard.http.testing;
