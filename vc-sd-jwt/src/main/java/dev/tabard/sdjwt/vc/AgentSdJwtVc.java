package dev.tabard.sdjwt.vc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.did.Did;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.sdjwt.ClaimPath;
import dev.tabard.vc.AgentClaims;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Tabard's AgentCredential as an SD-JWT VC: {@code vct} {@value #VCT}, with flat JSON claims (SD-JWT VC is not JSON-LD)
 * that carry what the W3C AgentCredential's subject carries.
 *
 * <pre>
 * sub           the agent's DID                       iss  the organization's DID (= organization.id)
 * name          the agent's name
 * organization  {"id": DID, "name": text}
 * operator      {"name": text, "email"?: text}         email selectively disclosable by default
 * capabilities  [text, …]
 * constraints   {"maxTransactionValue"?: {"amount", "currency"}, "dataRegions"?: [text], …}
 * delegation    {"allowed": bool, "maxDepth": int}
 * </pre>
 *
 * The organization marks further claims private by passing their paths (e.g. {@code ["constraints",
 * "maxTransactionValue"]}) to {@link SdJwtVcIssuer#disclosable}; a verifier then sees them only when the holder
 * discloses them, and {@link #read} leaves them out of the {@link AgentClaims} it returns.
 */
public final class AgentSdJwtVc {

    /** The {@code vct} of a Tabard AgentCredential. */
    public static final String VCT = "https://w3id.org/tabard/vct/AgentCredential";
    /** What is selectively disclosable unless the organization says more: the operator's contact. */
    public static final List<ClaimPath> PRIVATE_BY_DEFAULT = List.of(ClaimPath.of("operator", "email"));

    private AgentSdJwtVc() {
    }

    /** The credential's own claims for {@code agent} ({@code sub} included; {@code iss} is set by the issuer). */
    public static ObjectNode claims(AgentClaims agent) {
        ObjectNode c = JsonCodec.objectNode();
        c.put("sub", agent.agent().toString());
        c.put("name", agent.name());
        c.putObject("organization").put("id", agent.organization().toString()).put("name", agent.organizationName());
        ObjectNode op = c.putObject("operator").put("name", agent.operator().name());
        agent.operator().email().ifPresent(e -> op.put("email", e));
        ArrayNode caps = c.putArray("capabilities");
        agent.capabilities().stream().sorted().forEach(caps::add);
        ObjectNode cons = (ObjectNode) JsonCodec.parse(agent.constraints().otherJson());
        agent.constraints().maxTransactionValue().ifPresent(m -> cons.putObject("maxTransactionValue")
                .put("amount", m.amount()).put("currency", m.currency()));
        if (!agent.constraints().dataRegions().isEmpty()) {
            ArrayNode regions = cons.putArray("dataRegions");
            agent.constraints().dataRegions().forEach(regions::add);
        }
        c.set("constraints", cons);
        c.putObject("delegation").put("allowed", agent.delegation().allowed()).put("maxDepth", agent.delegation().maxDepth());
        return c;
    }

    /**
     * Reads the processed claims of a verified AgentCredential SD-JWT VC issued by {@code issuer}. Claims the holder did
     * not disclose are absent: no operator email, and no constraint that was withheld; a caller that acts on the
     * constraints must first check that none was ({@code ProcessedSdJwt.withheld()}), since a withheld limit is not
     * no limit. The {@code constraints} object itself must be present.
     *
     * @throws ProblemException {@code MALFORMED_VALUE_ERROR} with a pointer for claims not of the shape above, or an
     *     {@code organization.id} other than the issuer (an organization attests only to its own agents)
     */
    public static AgentClaims read(ObjectNode claims, Did issuer) {
        Did agent = did(claims.get("sub"), "/sub");
        String name = text(claims.get("name"), "/name");
        JsonNode org = claims.get("organization");
        if (org == null || !org.isObject()) {
            throw malformed("/organization", "organization must be {id, name}");
        }
        Did orgId = did(org.get("id"), "/organization/id");
        if (!orgId.equals(issuer)) {
            throw malformed("/organization/id", "an organization attests only to its own agents");
        }
        String orgName = org.has("name") ? text(org.get("name"), "/organization/name") : orgId.toString();
        JsonNode op = claims.get("operator");
        if (op == null || !op.isObject()) {
            throw malformed("/operator", "operator must name the accountable operator");
        }
        AgentClaims.Operator operator = new AgentClaims.Operator(text(op.get("name"), "/operator/name"),
                op.has("email") ? Optional.of(text(op.get("email"), "/operator/email")) : Optional.empty());
        Set<String> caps = new LinkedHashSet<>();
        JsonNode c = claims.get("capabilities");
        if (c != null) {
            if (!c.isArray()) {
                throw malformed("/capabilities", "capabilities must be an array of strings");
            }
            for (int i = 0; i < c.size(); i++) {
                caps.add(text(c.get(i), "/capabilities/" + i));
            }
        }
        return new AgentClaims(agent, name, orgId, orgName, operator, caps, constraints(claims.get("constraints")),
                delegation(claims.get("delegation")));
    }

    private static AgentClaims.Constraints constraints(JsonNode node) {
        if (node == null) {
            // claims() always writes constraints ({} for none): absent here means withheld, which must not read as none
            throw malformed("/constraints", "an AgentCredential always carries its constraints (an empty object for none)");
        }
        if (!node.isObject()) {
            throw malformed("/constraints", "constraints must be an object");
        }
        ObjectNode other = node.deepCopy();
        Optional<AgentClaims.Money> max = Optional.empty();
        JsonNode m = other.remove("maxTransactionValue");
        if (m != null) {
            if (!m.isObject() || m.size() != 2 || !m.path("amount").isTextual() || !m.path("currency").isTextual()) {
                throw malformed("/constraints/maxTransactionValue", "maxTransactionValue is exactly {amount, currency}");
            }
            try {
                max = Optional.of(new AgentClaims.Money(m.get("amount").asText(), m.get("currency").asText()));
            } catch (IllegalArgumentException e) {
                throw malformed("/constraints/maxTransactionValue", e.getMessage());
            }
        }
        List<String> regions = new ArrayList<>();
        JsonNode r = other.remove("dataRegions");
        if (r != null) {
            if (!r.isArray()) {
                throw malformed("/constraints/dataRegions", "dataRegions must be an array of strings");
            }
            for (int i = 0; i < r.size(); i++) {
                regions.add(text(r.get(i), "/constraints/dataRegions/" + i));
            }
        }
        return new AgentClaims.Constraints(max, regions, other.toString());
    }

    private static AgentClaims.Delegation delegation(JsonNode d) {
        if (d == null) {
            return AgentClaims.Delegation.none();
        }
        if (!d.isObject() || !d.path("allowed").isBoolean() || !(d.path("maxDepth").isMissingNode() || d.path("maxDepth").isInt())) {
            throw malformed("/delegation", "delegation is {allowed, maxDepth}");
        }
        try {
            return new AgentClaims.Delegation(d.get("allowed").booleanValue(), d.path("maxDepth").asInt(0));
        } catch (IllegalArgumentException e) {
            throw malformed("/delegation/maxDepth", e.getMessage());
        }
    }

    private static String text(JsonNode n, String pointer) {
        if (n == null || !n.isTextual() || n.asText().isEmpty()) {
            throw malformed(pointer, "must be a non-empty string");
        }
        return n.asText();
    }

    private static Did did(JsonNode n, String pointer) {
        return Did.tryParse(n == null || !n.isTextual() ? "" : n.asText()).orElseThrow(() -> malformed(pointer, "must be a DID"));
    }

    private static ProblemException malformed(String pointer, String detail) {
        return new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, pointer, detail));
    }
}
