package dev.tabard.issuer;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The issuer's counters, rendered in the Prometheus text format (version 0.0.4) at {@code GET /metrics}: issuances by
 * format with their latency as a histogram, failed issuances, status changes by action, and HTTP responses by
 * status class. Lock-free ({@link LongAdder}), so counting costs nothing measurable under load.
 */
public final class IssuerMetrics {

    /** Upper bounds of the latency buckets, in seconds: store (group commit), status entries, audit and signature. */
    private static final double[] BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};

    private final Map<IssuanceFormat, LongAdder> issued = new ConcurrentHashMap<>();
    private final LongAdder[] latencyBuckets = new LongAdder[BUCKETS.length];
    private final LongAdder latencyCount = new LongAdder();
    private final LongAdder latencyNanos = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final Map<String, LongAdder> statusChanges = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> responses = new ConcurrentHashMap<>();

    public IssuerMetrics() {
        for (int i = 0; i < BUCKETS.length; i++) {
            latencyBuckets[i] = new LongAdder();
        }
    }

    /** One credential issued in {@code nanos}. */
    public void issued(IssuanceFormat format, long nanos) {
        issued.computeIfAbsent(format, f -> new LongAdder()).increment();
        latencyCount.increment();
        latencyNanos.add(nanos);
        double seconds = nanos / 1e9;
        for (int i = 0; i < BUCKETS.length; i++) {
            if (seconds <= BUCKETS[i]) {
                latencyBuckets[i].increment();
                break;
            }
        }
    }

    /** An issuance that was refused or failed after it started (unknown or deactivated agent, store error, …). */
    public void issueFailed() {
        failed.increment();
    }

    /** A revocation, suspension or reinstatement. */
    public void statusChanged(String action) {
        statusChanges.computeIfAbsent(action, a -> new LongAdder()).increment();
    }

    /** One HTTP response. */
    public void response(int status) {
        responses.computeIfAbsent(status / 100 + "xx", c -> new LongAdder()).increment();
    }

    /** The Prometheus text exposition. */
    public String render() {
        StringBuilder b = new StringBuilder(2048);
        b.append("# HELP tabard_issuer_credentials_issued_total Credentials issued, by format.\n");
        b.append("# TYPE tabard_issuer_credentials_issued_total counter\n");
        for (IssuanceFormat f : IssuanceFormat.values()) {
            LongAdder n = issued.get(f);
            b.append("tabard_issuer_credentials_issued_total{format=\"").append(f.name().toLowerCase(Locale.ROOT)).append("\"} ")
                    .append(n == null ? 0 : n.sum()).append('\n');
        }
        b.append("# HELP tabard_issuer_issuance_failures_total Issuances refused or failed after they started.\n");
        b.append("# TYPE tabard_issuer_issuance_failures_total counter\n");
        b.append("tabard_issuer_issuance_failures_total ").append(failed.sum()).append('\n');
        b.append("# HELP tabard_issuer_issuance_duration_seconds Time to issue one credential: status entries, audit record, "
                + "commit and signature.\n");
        b.append("# TYPE tabard_issuer_issuance_duration_seconds histogram\n");
        long cumulative = 0;
        for (int i = 0; i < BUCKETS.length; i++) {
            cumulative += latencyBuckets[i].sum();
            b.append("tabard_issuer_issuance_duration_seconds_bucket{le=\"").append(BUCKETS[i]).append("\"} ").append(cumulative).append('\n');
        }
        long count = latencyCount.sum();
        b.append("tabard_issuer_issuance_duration_seconds_bucket{le=\"+Inf\"} ").append(count).append('\n');
        b.append("tabard_issuer_issuance_duration_seconds_sum ").append(latencyNanos.sum() / 1e9).append('\n');
        b.append("tabard_issuer_issuance_duration_seconds_count ").append(count).append('\n');
        b.append("# HELP tabard_issuer_status_changes_total Revocations, suspensions and reinstatements.\n");
        b.append("# TYPE tabard_issuer_status_changes_total counter\n");
        for (String action : new String[] {"revoke", "suspend", "reinstate"}) {
            LongAdder n = statusChanges.get(action);
            b.append("tabard_issuer_status_changes_total{action=\"").append(action).append("\"} ").append(n == null ? 0 : n.sum()).append('\n');
        }
        b.append("# HELP tabard_issuer_http_responses_total HTTP responses, by status class.\n");
        b.append("# TYPE tabard_issuer_http_responses_total counter\n");
        for (String c : new String[] {"2xx", "3xx", "4xx", "5xx"}) {
            LongAdder n = responses.get(c);
            b.append("tabard_issuer_http_responses_total{code=\"").append(c).append("\"} ").append(n == null ? 0 : n.sum()).append('\n');
        }
        return b.toString();
    }
}
