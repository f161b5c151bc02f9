package dev.tabard.verifier.http;

import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemType;
import dev.tabard.verifier.VerificationResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * The endpoint's own meters, kept in the server's Micrometer registry beside the request timer every Tabard server
 * shares: verification outcomes ({@code tabard_verifier_results_total{verified}}), the problems that failed them by
 * type ({@code tabard_verifier_problems_total{type}}, the {@link ProblemType} name: a fixed set), and the challenges
 * open in memory ({@code tabard_verifier_open_challenges}; not served when they are kept in Redis). Thread-safe.
 */
final class EndpointMetrics {

    private final Counter verified;
    private final Counter failed;
    private final Map<ProblemType, Counter> problems = new EnumMap<>(ProblemType.class);

    /**
     * Registers the meters in {@code registry}; the open-challenge gauge only when {@code openChallenges} counts them
     * (a value of 0 or more now).
     */
    EndpointMetrics(MeterRegistry registry, IntSupplier openChallenges) {
        this.verified = results(registry, "true");
        this.failed = results(registry, "false");
        for (ProblemType type : ProblemType.values()) {
            problems.put(type, Counter.builder("tabard.verifier.problems").description("Problems in failed verifications, by type.")
                    .tag("type", type.name()).register(registry));
        }
        if (openChallenges.getAsInt() >= 0) {
            // held strongly: Micrometer keeps a gauge's object weakly, and nothing else holds this function
            Gauge.builder("tabard.verifier.open.challenges", openChallenges, s -> Math.max(0, s.getAsInt()))
                    .description("Challenges issued by POST /challenges and not yet answered or expired.").strongReference(true)
                    .register(registry);
        }
    }

    private static Counter results(MeterRegistry registry, String verified) {
        return Counter.builder("tabard.verifier.results").description("Verification results, by outcome.").tag("verified", verified)
                .register(registry);
    }

    void count(VerificationResult r) {
        (r.verified() ? verified : failed).increment();
        for (Problem p : r.errors()) {
            problems.get(p.type()).increment();
        }
    }
}
