package dev.tabard.gate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.problem.ProblemException;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A gate's routes file: the route → action table, and optionally its limits, breaker and audience.
 *
 * <pre>{@code
 * {
 *   "audience": "https://gate.supplier.example",
 *   "routes": [
 *     {"method": "POST", "path": "/orders", "capability": "orders:place",
 *      "amount": "body:/total/value", "currency": "body:/total/currency"},
 *     {"method": "GET", "path": "/orders/{id}", "capability": "orders:read", "resource": "path:id"}
 *   ],
 *   "limits": {"agent": {"requests": 50, "per": "PT1S"}, "organization": {"requests": 200, "per": "PT1S"},
 *              "capabilities": {"orders:place": {"requests": 10, "per": "PT1M"}}},
 *   "breaker": {"refusals": 20, "within": "PT10S", "pause": "PT30S"}
 * }
 * }</pre>
 */
public final class RoutesFile {

    /** The largest routes file read. */
    public static final int MAX_BYTES = 1_000_000;
    private static final Set<String> MEMBERS = Set.of("audience", "routes", "limits", "breaker");

    private final RouteActions routes;
    private final GateLimits limits;
    private final Optional<String> audience;

    private RoutesFile(RouteActions routes, GateLimits limits, Optional<String> audience) {
        this.routes = Objects.requireNonNull(routes, "routes");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.audience = Objects.requireNonNull(audience, "audience");
    }

    public RouteActions routes() {
        return routes;
    }

    public GateLimits limits() {
        return limits;
    }

    /** The gate's public origin, when the file names it: what first presentations must be addressed to. */
    public Optional<String> audience() {
        return audience;
    }

    /**
     * Reads a routes file's bytes.
     *
     * @throws IllegalArgumentException saying which member is wrong and what is expected
     */
    public static RoutesFile parse(byte[] json) {
        if (json.length > MAX_BYTES) {
            throw new IllegalArgumentException("the routes file is larger than " + MAX_BYTES + " bytes");
        }
        JsonNode root;
        try {
            root = JsonCodec.parse(json);
        } catch (ProblemException e) {
            throw new IllegalArgumentException("the routes file is not JSON: " + e.problems().get(0).detail());
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException("the routes file is a JSON object with 'routes'");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!MEMBERS.contains(name)) {
                throw new IllegalArgumentException("the routes file has an unknown member '" + name + "'; members are " + MEMBERS);
            }
        }
        Optional<String> audience = Optional.empty();
        JsonNode a = root.get("audience");
        if (a != null) {
            if (!a.isTextual() || !a.asText().matches("https?://[^/?#\\s]+")) {
                throw new IllegalArgumentException("'audience' is the gate's public origin, such as https://gate.example:8443");
            }
            audience = Optional.of(a.asText());
        }
        return new RoutesFile(RouteActions.fromJson(root.get("routes")), GateLimits.fromJson(root.get("limits"), root.get("breaker")), audience);
    }
}
