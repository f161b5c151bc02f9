package dev.tabard.verifier.http;

import dev.tabard.problem.Problem;
import dev.tabard.verifier.VerificationResult;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The endpoint's counters, in the Prometheus text format for {@code GET /metrics}. Thread-safe. */
final class EndpointMetrics {

    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong verified = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Map<String, AtomicLong> problemCounts = new ConcurrentHashMap<>();

    void request() {
        requests.incrementAndGet();
    }

    void count(VerificationResult r) {
        (r.verified() ? verified : failed).incrementAndGet();
        for (Problem p : r.errors()) {
            problemCounts.computeIfAbsent(p.type().name(), k -> new AtomicLong()).incrementAndGet();
        }
    }

    /** The counters, and the open challenges when the store counts them ({@code openChallenges} ≥ 0). */
    String text(int openChallenges) {
        StringBuilder sb = new StringBuilder();
        sb.append("# TYPE tabard_verifier_requests_total counter\ntabard_verifier_requests_total ").append(requests.get()).append('\n');
        sb.append("# TYPE tabard_verifier_results_total counter\n");
        sb.append("tabard_verifier_results_total{verified=\"true\"} ").append(verified.get()).append('\n');
        sb.append("tabard_verifier_results_total{verified=\"false\"} ").append(failed.get()).append('\n');
        sb.append("# TYPE tabard_verifier_problems_total counter\n");
        problemCounts.forEach((k, v) -> sb.append("tabard_verifier_problems_total{type=\"").append(k).append("\"} ").append(v.get()).append('\n'));
        if (openChallenges >= 0) {
            sb.append("# TYPE tabard_verifier_open_challenges gauge\ntabard_verifier_open_challenges ").append(openChallenges).append('\n');
        }
        return sb.toString();
    }
}
