package dev.tabard.vc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.codec.Timestamps;
import dev.tabard.did.Did;
import dev.tabard.problem.ProblemException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.Set;

/**
 * What an AgentCredential says about its agent: the subject of ARCHITECTURE.md's AgentCredential, under
 * the vocabulary {@value #CONTEXT}. One definition of each term, here and in the bundled context.
 *
 * @param agent the agent's DID (the credential subject id)
 * @param name the agent's name
 * @param organization the issuing organization's DID
 * @param organizationName its display name
 * @param operator the accountable operator
 * @param capabilities capability strings from the organization's vocabulary
 * @param constraints limits the agent acts under
 * @param delegation whether and how deep the agent may delegate
 */
public record AgentClaims(Did agent, String name, Did organization, String organizationName, Operator operator,
                          Set<String> capabilities, Constraints constraints, Delegation delegation) {

    public static final String CONTEXT = "https://w3id.org/tabard/v1";
    public static final String CREDENTIAL_TYPE = "AgentCredential";
    public static final String SUBJECT_TYPE = "Agent";

    public AgentClaims {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(organization, "organization");
        Objects.requireNonNull(organizationName, "organizationName");
        Objects.requireNonNull(operator, "operator");
        capabilities = Set.copyOf(capabilities);
        Objects.requireNonNull(constraints, "constraints");
        Objects.requireNonNull(delegation, "delegation");
    }

    /** The accountable person or team. */
    public record Operator(String name, Optional<String> email) {
        public Operator {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(email, "email");
        }
    }

    /** An amount in a currency, as decimal text so nothing is lost to floating point. */
    public record Money(String amount, String currency) {
        private static final Pattern AMOUNT = Pattern.compile("[0-9]{1,15}(\\.[0-9]{1,6})?");
        private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

        public Money {
            if (!AMOUNT.matcher(amount).matches() || !CURRENCY.matcher(currency).matches()) {
                throw new IllegalArgumentException("money is a decimal amount and an ISO 4217 code");
            }
        }
    }

    /**
     * @param maxTransactionValue the largest single transaction the agent may make
     * @param dataRegions where the agent may send data
     * @param otherJson constraints Tabard does not type, as a JSON object, kept so that none is dropped
     */
    public record Constraints(Optional<Money> maxTransactionValue, List<String> dataRegions, String otherJson) {
        public Constraints {
            Objects.requireNonNull(maxTransactionValue, "maxTransactionValue");
            dataRegions = List.copyOf(dataRegions);
            Objects.requireNonNull(otherJson, "otherJson");
        }

        public static Constraints none() {
            return new Constraints(Optional.empty(), List.of(), "{}");
        }
    }

    public record Delegation(boolean allowed, int maxDepth) {
        public Delegation {
            if (maxDepth < 0 || maxDepth > 16 || (!allowed && maxDepth != 0)) {
                throw new IllegalArgumentException("delegation depth is 0..16, and 0 when delegation is not allowed");
            }
        }

        public static Delegation none() {
            return new Delegation(false, 0);
        }
    }

    /**
     * Reads the claims of an AgentCredential.
     *
     * @throws ProblemException {@code MALFORMED_VALUE_ERROR} with a pointer when the credential is not an
     *     AgentCredential with one Agent subject of this shape
     */
    public static AgentClaims from(Credential credential) {
        if (!credential.types().contains(CREDENTIAL_TYPE)) {
            throw DataModel.malformed("/type", "not an " + CREDENTIAL_TYPE);
        }
        if (!credential.contexts().contains(CONTEXT)) {
            throw DataModel.malformed("/@context", "an AgentCredential uses the context " + CONTEXT);
        }
        if (credential.subjects().size() != 1) {
            throw DataModel.malformed("/credentialSubject", "an AgentCredential has exactly one subject");
        }
        String p = "/credentialSubject";
        ObjectNode s = credential.subjects().get(0).claims();
        Did agent = did(s.get("id"), p + "/id");
        if (!DataModel.types(s.get("type"), p + "/type", null).contains(SUBJECT_TYPE)) {
            throw DataModel.malformed(p + "/type", "the subject of an AgentCredential is an " + SUBJECT_TYPE);
        }
        String name = text(s.get("name"), p + "/name");
        JsonNode member = s.get("memberOf");
        if (member == null || !member.isObject()) {
            throw DataModel.malformed(p + "/memberOf", "memberOf must name the organization");
        }
        Did org = did(member.get("id"), p + "/memberOf/id");
        if (!org.toString().equals(credential.issuer().id().toString())) {
            throw DataModel.malformed(p + "/memberOf/id", "an organization attests only to its own agents");
        }
        String orgName = member.has("name") ? text(member.get("name"), p + "/memberOf/name") : org.toString();
        JsonNode op = s.get("operator");
        if (op == null || !op.isObject()) {
            throw DataModel.malformed(p + "/operator", "operator must name the accountable operator");
        }
        Operator operator = new Operator(text(op.get("name"), p + "/operator/name"),
                op.has("email") ? Optional.of(text(op.get("email"), p + "/operator/email")) : Optional.empty());
        Set<String> caps = capabilities(s.get("capabilities"), p + "/capabilities");
        Constraints constraints = constraints(s.get("constraints"), p + "/constraints");
        Delegation delegation = delegation(s.get("delegation"), p + "/delegation");
        return new AgentClaims(agent, name, org, orgName, operator, caps, constraints, delegation);
    }

    static Set<String> capabilities(JsonNode c, String pointer) {
        Set<String> caps = new LinkedHashSet<>();
        if (c != null) {
            if (!c.isArray()) {
                throw DataModel.malformed(pointer, "capabilities must be an array of strings");
            }
            for (int i = 0; i < c.size(); i++) {
                caps.add(text(c.get(i), pointer + "/" + i));
            }
        }
        return caps;
    }

    static Delegation delegation(JsonNode d, String pointer) {
        if (d == null) {
            return Delegation.none();
        }
        if (!d.isObject() || !d.path("allowed").isBoolean()) {
            throw DataModel.malformed(pointer, "delegation is {allowed, maxDepth}");
        }
        JsonNode depth = d.path("maxDepth");
        if (!depth.isMissingNode() && !depth.canConvertToExactIntegral()) {
            throw DataModel.malformed(pointer + "/maxDepth", "maxDepth is a whole number");
        }
        try {
            return new Delegation(d.get("allowed").booleanValue(), depth.asInt(0));
        } catch (IllegalArgumentException e) {
            throw DataModel.malformed(pointer + "/maxDepth", e.getMessage());
        }
    }

    /**
     * Reads constraints. The members of a known constraint are exactly its own: a {@code maxTransactionValue}
     * with another member (a period, a counterparty) would be a limit this code cannot enforce, so it is refused.
     */
    static Constraints constraints(JsonNode node, String p) {
        if (node == null) {
            return Constraints.none();
        }
        if (!node.isObject()) {
            throw DataModel.malformed(p, "constraints must be an object");
        }
        ObjectNode other = node.deepCopy();
        Optional<Money> max = Optional.empty();
        JsonNode m = other.remove("maxTransactionValue");
        if (m != null) {
            if (!m.isObject() || m.size() != 2 || !m.path("amount").isTextual() || !m.path("currency").isTextual()) {
                throw DataModel.malformed(p + "/maxTransactionValue",
                        "maxTransactionValue is exactly {\"amount\": \"decimal text\", \"currency\": \"ISO 4217 code\"}");
            }
            try {
                max = Optional.of(new Money(m.path("amount").asText(), m.path("currency").asText()));
            } catch (IllegalArgumentException e) {
                throw DataModel.malformed(p + "/maxTransactionValue", e.getMessage());
            }
        }
        List<String> regions = new ArrayList<>();
        JsonNode r = other.remove("dataRegions");
        if (r != null) {
            if (!r.isArray()) {
                throw DataModel.malformed(p + "/dataRegions", "dataRegions must be an array of strings");
            }
            for (int i = 0; i < r.size(); i++) {
                regions.add(text(r.get(i), p + "/dataRegions/" + i));
            }
        }
        return new Constraints(max, regions, other.toString());
    }

    static String text(JsonNode n, String pointer) {
        if (n == null || !n.isTextual() || n.asText().isEmpty()) {
            throw DataModel.malformed(pointer, "must be a non-empty string");
        }
        return n.asText();
    }

    static Did did(JsonNode n, String pointer) {
        return Did.tryParse(n == null ? "" : n.asText("")).orElseThrow(() -> DataModel.malformed(pointer, "must be a DID"));
    }

    /** The credential subject as JSON. */
    public ObjectNode subjectJson() {
        ObjectNode s = JsonCodec.objectNode();
        s.put("id", agent.toString());
        s.put("type", SUBJECT_TYPE);
        s.put("name", name);
        s.putObject("memberOf").put("id", organization.toString()).put("name", organizationName);
        ObjectNode op = s.putObject("operator").put("name", operator.name());
        operator.email().ifPresent(e -> op.put("email", e));
        ArrayNode caps = s.putArray("capabilities");
        capabilities.stream().sorted().forEach(caps::add);
        s.set("constraints", constraintsJson(constraints));
        s.putObject("delegation").put("allowed", delegation.allowed()).put("maxDepth", delegation.maxDepth());
        return s;
    }

    static ObjectNode constraintsJson(Constraints constraints) {
        ObjectNode cons = (ObjectNode) JsonCodec.parse(constraints.otherJson());
        constraints.maxTransactionValue().ifPresent(m -> cons.putObject("maxTransactionValue")
                .put("amount", m.amount()).put("currency", m.currency()));
        if (!constraints.dataRegions().isEmpty()) {
            ArrayNode regions = cons.putArray("dataRegions");
            constraints.dataRegions().forEach(regions::add);
        }
        return cons;
    }

    /**
     * An unsecured AgentCredential document for these claims.
     *
     * @param statusEntries the {@code credentialStatus} objects to carry, already allocated
     */
    public ObjectNode credential(URI id, Instant validFrom, Instant validUntil, List<ObjectNode> statusEntries) {
        ObjectNode vc = JsonCodec.objectNode();
        vc.putArray("@context").add(DataModel.V2_CONTEXT).add(CONTEXT);
        vc.put("id", id.toString());
        vc.putArray("type").add(Credential.TYPE).add(CREDENTIAL_TYPE);
        vc.put("issuer", organization.toString());
        vc.put("validFrom", Timestamps.format(validFrom));
        vc.put("validUntil", Timestamps.format(validUntil));
        vc.set("credentialSubject", subjectJson());
        if (!statusEntries.isEmpty()) {
            ArrayNode st = vc.putArray("credentialStatus");
            statusEntries.forEach(st::add);
        }
        return vc;
    }

    /** A BitstringStatusListEntry object. */
    public static ObjectNode statusEntry(URI listCredential, String purpose, long index) {
        ObjectNode e = JsonCodec.objectNode();
        e.put("id", listCredential + "#" + index);
        e.put("type", StatusEntry.BITSTRING_TYPE);
        e.put("statusPurpose", purpose);
        e.put("statusListIndex", Long.toString(index));
        e.put("statusListCredential", listCredential.toString());
        return e;
    }

}
