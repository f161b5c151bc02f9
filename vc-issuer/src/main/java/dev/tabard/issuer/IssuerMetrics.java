package dev.tabard.issuer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The issuer's own meters, kept in the server's Micrometer registry beside the request timer every Tabard server
 * shares: credentials issued by format ({@code tabard_issuer_credentials_issued_total{format}}), the time one takes
 * ({@code tabard_issuer_issuance_duration_seconds}, a histogram), issuances that failed after they started
 * ({@code tabard_issuer_issuance_failures_total}), and status changes by action
 * ({@code tabard_issuer_status_changes_total{action}}). Every label value is from a fixed set, and every series exists
 * from the start at 0, so a rate over it is defined before the first issuance.
 */
public final class IssuerMetrics {

    /** Upper bounds of the latency buckets: store (group commit), status entries, audit and signature. */
    private static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5),
        Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500)};
    /** The actions {@code StatusLists} reports; anything else is counted as {@code other}, never as its own label. */
    private static final String[] ACTIONS = {"revoke", "suspend", "reinstate", "other"};

    /** The {@code format} label of SD-JWT VCs: the OpenID4VCI format identifier, {@code dc+sd-jwt}, as a label value. */
    public static final String SD_JWT_FORMAT = "dc_sd_jwt";

    private final Map<IssuanceFormat, Counter> issued = new EnumMap<>(IssuanceFormat.class);
    private final Counter sdJwtIssued;
    private final Timer duration;
    private final Counter failed;
    private final Map<String, Counter> statusChanges;

    /** Registers the issuer's meters in {@code registry}. */
    public IssuerMetrics(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        for (IssuanceFormat f : IssuanceFormat.values()) {
            issued.put(f, Counter.builder("tabard.issuer.credentials.issued").description("Credentials issued, by format.")
                    .tag("format", f.name().toLowerCase(Locale.ROOT)).register(registry));
        }
        this.sdJwtIssued = Counter.builder("tabard.issuer.credentials.issued").description("Credentials issued, by format.")
                .tag("format", SD_JWT_FORMAT).register(registry);
        this.duration = Timer.builder("tabard.issuer.issuance.duration")
                .description("Time to issue one credential: status entries, audit record, commit and signature.")
                .serviceLevelObjectives(BUCKETS).register(registry);
        this.failed = Counter.builder("tabard.issuer.issuance.failures").description("Issuances refused or failed after they started.")
                .register(registry);
        Map<String, Counter> changes = new java.util.HashMap<>();
        for (String action : ACTIONS) {
            changes.put(action, Counter.builder("tabard.issuer.status.changes").description("Revocations, suspensions and reinstatements.")
                    .tag("action", action).register(registry));
        }
        this.statusChanges = Map.copyOf(changes);
    }

    /** One credential issued in {@code nanos}. */
    public void issued(IssuanceFormat format, long nanos) {
        issued.get(Objects.requireNonNull(format, "format")).increment();
        duration.record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    /** One SD-JWT VC issued in {@code nanos}. */
    public void sdJwtIssued(long nanos) {
        sdJwtIssued.increment();
        duration.record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    /** An issuance that was refused or failed after it started (unknown or deactivated agent, store error, …). */
    public void issueFailed() {
        failed.increment();
    }

    /** A revocation, suspension or reinstatement ({@code revoke}, {@code suspend}, {@code reinstate}). */
    public void statusChanged(String action) {
        statusChanges.getOrDefault(Objects.requireNonNull(action, "action"), statusChanges.get("other")).increment();
    }
}
