package dev.tabard.gate;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How much each caller may ask: token-bucket rates per agent, per organization (all its agents together) and per
 * capability (per agent), and when a caller is paused. Read from the {@code limits} and {@code breaker} members of a
 * routes file, or made in code.
 */
public record GateLimits(Rate perAgent, Rate perOrganization, Map<String, Rate> perCapability, Breaker breaker) {

    /** {@code requests} per {@code per}, in bursts of up to {@code requests}. */
    public record Rate(long requests, Duration per) {
        public Rate {
            Objects.requireNonNull(per, "per");
            if (requests < 1 || per.isNegative() || per.isZero()) {
                throw new IllegalArgumentException("a rate is at least 1 request per a positive duration");
            }
        }

        public static Rate perSecond(long requests) {
            return new Rate(requests, Duration.ofSeconds(1));
        }
    }

    /** After {@code refusals} refused or failed calls within {@code within}, the caller is paused for {@code pause}. */
    public record Breaker(int refusals, Duration within, Duration pause) {
        public Breaker {
            Objects.requireNonNull(within, "within");
            Objects.requireNonNull(pause, "pause");
            if (refusals < 1 || within.isNegative() || within.isZero() || pause.isNegative() || pause.isZero()) {
                throw new IllegalArgumentException("a breaker trips after at least 1 refusal within, and pauses for, positive durations");
            }
        }
    }

    public GateLimits {
        Objects.requireNonNull(perAgent, "perAgent");
        Objects.requireNonNull(perOrganization, "perOrganization");
        Objects.requireNonNull(breaker, "breaker");
        perCapability = Map.copyOf(perCapability);
    }

    /** 50 calls a second per agent, 200 per organization, and a 30 s pause after 20 refusals within 10 s. */
    public static GateLimits defaults() {
        return new GateLimits(Rate.perSecond(50), Rate.perSecond(200), Map.of(),
                new Breaker(20, Duration.ofSeconds(10), Duration.ofSeconds(30)));
    }

    public GateLimits withPerAgent(Rate rate) {
        return new GateLimits(rate, perOrganization, perCapability, breaker);
    }

    public GateLimits withPerOrganization(Rate rate) {
        return new GateLimits(perAgent, rate, perCapability, breaker);
    }

    public GateLimits withCapability(String capability, Rate rate) {
        Map<String, Rate> m = new LinkedHashMap<>(perCapability);
        m.put(capability, rate);
        return new GateLimits(perAgent, perOrganization, m, breaker);
    }

    public GateLimits withBreaker(Breaker b) {
        return new GateLimits(perAgent, perOrganization, perCapability, b);
    }

    /**
     * Reads {@code {"agent": {"requests": 50, "per": "PT1S"}, "organization": {…}, "capabilities": {"payments:initiate":
     * {…}}}} and {@code {"refusals": 20, "within": "PT10S", "pause": "PT30S"}}; what is absent keeps its default.
     *
     * @throws IllegalArgumentException naming the member that is wrong
     */
    public static GateLimits fromJson(JsonNode limits, JsonNode breaker) {
        GateLimits l = defaults();
        if (limits != null) {
            only(limits, "limits", Set.of("agent", "organization", "capabilities"));
            if (limits.has("agent")) {
                l = l.withPerAgent(rate(limits.get("agent"), "limits.agent"));
            }
            if (limits.has("organization")) {
                l = l.withPerOrganization(rate(limits.get("organization"), "limits.organization"));
            }
            JsonNode caps = limits.get("capabilities");
            if (caps != null) {
                if (!caps.isObject()) {
                    throw new IllegalArgumentException("limits.capabilities must be an object of capability -> rate");
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = caps.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    l = l.withCapability(e.getKey(), rate(e.getValue(), "limits.capabilities." + e.getKey()));
                }
            }
        }
        if (breaker != null) {
            only(breaker, "breaker", Set.of("refusals", "within", "pause"));
            Breaker d = l.breaker();
            JsonNode n = breaker.get("refusals");
            if (n != null && !n.canConvertToInt()) {
                throw new IllegalArgumentException("breaker.refusals must be an integer");
            }
            l = l.withBreaker(new Breaker(n == null ? d.refusals() : n.asInt(), duration(breaker, "within", d.within(), "breaker"),
                    duration(breaker, "pause", d.pause(), "breaker")));
        }
        return l;
    }

    private static Rate rate(JsonNode n, String where) {
        only(n, where, Set.of("requests", "per"));
        JsonNode r = n.get("requests");
        if (r == null || !r.canConvertToLong() || r.asLong() < 1) {
            throw new IllegalArgumentException(where + ".requests must be a positive integer");
        }
        return new Rate(r.asLong(), duration(n, "per", Duration.ofSeconds(1), where));
    }

    private static Duration duration(JsonNode n, String name, Duration dflt, String where) {
        JsonNode v = n.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            Duration d = Duration.parse(v.asText());
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(where + "." + name + " must be positive");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(where + "." + name + " must be an ISO 8601 duration such as PT1S or PT1M");
        }
    }

    private static void only(JsonNode n, String where, Set<String> members) {
        if (!n.isObject()) {
            throw new IllegalArgumentException(where + " must be an object");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!members.contains(name)) {
                throw new IllegalArgumentException(where + " has an unknown member '" + name + "'; members are " + members);
            }
        }
    }
}
