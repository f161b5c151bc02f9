package dev.tabard.verifier;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.AgentClaims;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What an agent asks to do: a capability and the parameters the constraints of its authority are measured
 * against. A verifier authorizes actions, not identities: an agent may hold a capability and still not be allowed
 * this amount, or this data region.
 *
 * <p>Made with {@link #of} and its withers, or read from JSON with {@link #fromJson}.
 */
public final class Action {

    private static final Set<String> MEMBERS = Set.of("capability", "amount", "dataRegion", "resource");

    private final String capability;
    private final Optional<AgentClaims.Money> amount;
    private final Optional<String> dataRegion;
    private final Optional<String> resource;

    private Action(String capability, Optional<AgentClaims.Money> amount, Optional<String> dataRegion, Optional<String> resource) {
        this.capability = Objects.requireNonNull(capability, "capability");
        if (capability.isEmpty()) {
            throw new IllegalArgumentException("an action names a capability");
        }
        this.amount = amount;
        this.dataRegion = dataRegion;
        this.resource = resource;
    }

    /** The capability the action exercises. */
    public String capability() {
        return capability;
    }

    /** The transaction's value, measured against {@code maxTransactionValue}. */
    public Optional<AgentClaims.Money> amount() {
        return amount;
    }

    /** Where the action sends data, measured against {@code dataRegions}. */
    public Optional<String> dataRegion() {
        return dataRegion;
    }

    /** What the action is about, for the record; no constraint limits it. */
    public Optional<String> resource() {
        return resource;
    }

    /** An action exercising {@code capability}, with no parameters yet. */
    public static Action of(String capability) {
        return new Action(capability, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** This action for a transaction of {@code amount} (decimal text) in {@code currency} (ISO 4217). */
    public Action amount(String amount, String currency) {
        return new Action(capability, Optional.of(new AgentClaims.Money(amount, currency)), dataRegion, resource);
    }

    /** This action sending data to {@code region}. */
    public Action dataRegion(String region) {
        return new Action(capability, amount, Optional.of(region), resource);
    }

    /** This action about {@code resource}. */
    public Action resource(String resource) {
        return new Action(capability, amount, dataRegion, Optional.of(resource));
    }

    /**
     * Reads {@code {"capability": …, "amount": {"value": "120.00", "currency": "EUR"}, "dataRegion": …, "resource": …}}.
     * A member this verifier cannot judge fails closed: allowing what it cannot check would allow anything.
     *
     * @throws ProblemException {@code MALFORMED_VALUE_ERROR} or {@code UNKNOWN_CONSTRAINT}, with a pointer under {@code pointer}
     */
    public static Action fromJson(JsonNode json, String pointer) {
        if (json == null || !json.isObject()) {
            throw malformed(pointer, "an action is an object with a capability");
        }
        Iterator<String> names = json.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!MEMBERS.contains(name)) {
                throw new ProblemException(Problem.at(ProblemType.UNKNOWN_CONSTRAINT, pointer + "/" + name,
                        "this verifier cannot judge the action parameter " + name + "; it knows " + MEMBERS));
            }
        }
        Action action = of(text(json.get("capability"), pointer + "/capability"));
        JsonNode amount = json.get("amount");
        if (amount != null) {
            if (!amount.isObject() || amount.size() != 2 || !amount.path("value").isTextual() || !amount.path("currency").isTextual()) {
                throw new ProblemException(Problem.at(ProblemType.UNKNOWN_CONSTRAINT, pointer + "/amount",
                        "an amount is exactly {\"value\": \"decimal text\", \"currency\": \"ISO 4217 code\"}"));
            }
            try {
                action = action.amount(amount.get("value").asText(), amount.get("currency").asText());
            } catch (IllegalArgumentException e) {
                throw malformed(pointer + "/amount", e.getMessage());
            }
        }
        if (json.has("dataRegion")) {
            action = action.dataRegion(text(json.get("dataRegion"), pointer + "/dataRegion"));
        }
        if (json.has("resource")) {
            action = action.resource(text(json.get("resource"), pointer + "/resource"));
        }
        return action;
    }

    /** The form {@link #fromJson} reads. */
    public com.fasterxml.jackson.databind.node.ObjectNode toJson() {
        com.fasterxml.jackson.databind.node.ObjectNode o = dev.tabard.codec.JsonCodec.objectNode();
        o.put("capability", capability);
        amount.ifPresent(m -> o.putObject("amount").put("value", m.amount()).put("currency", m.currency()));
        dataRegion.ifPresent(r -> o.put("dataRegion", r));
        resource.ifPresent(r -> o.put("resource", r));
        return o;
    }

    private static String text(JsonNode n, String pointer) {
        if (n == null || !n.isTextual() || n.asText().isEmpty() || n.asText().length() > 512) {
            throw malformed(pointer, "must be a string of 1 to 512 characters");
        }
        return n.asText();
    }

    private static ProblemException malformed(String pointer, String detail) {
        return new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, pointer, detail));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Action a && capability.equals(a.capability) && amount.equals(a.amount) && dataRegion.equals(a.dataRegion)
                && resource.equals(a.resource);
    }

    @Override
    public int hashCode() {
        return Objects.hash(capability, amount, dataRegion, resource);
    }

    @Override
    public String toString() {
        return "Action[" + capability + amount.map(m -> ", " + m.amount() + " " + m.currency()).orElse("")
                + dataRegion.map(r -> ", to " + r).orElse("") + resource.map(r -> ", on " + r).orElse("") + "]";
    }
}
