package dev.tabard.verifier;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemJson;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The outcome of a verification, shaped like VC DM 2.0's verification result: verified exactly when there
 * are no errors; the agent identity only when verified; the checks that ran.
 */
public record VerificationResult(boolean verified, Optional<AgentIdentity> agent, List<Problem> errors, List<Problem> warnings,
                                 Set<Check> checked) {

    public VerificationResult {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
        checked = checked.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(checked));
        if (verified != errors.isEmpty()) {
            throw new IllegalArgumentException("verified exactly when there are no errors");
        }
        if (agent.isPresent() && !verified) {
            throw new IllegalArgumentException("an agent identity only for a verified result");
        }
    }

    public static VerificationResult verified(Optional<AgentIdentity> agent, List<Problem> warnings, Set<Check> checked) {
        return new VerificationResult(true, agent, List.of(), warnings, checked);
    }

    public static VerificationResult failed(List<Problem> errors, List<Problem> warnings, Set<Check> checked) {
        return new VerificationResult(false, Optional.empty(), errors, warnings, checked);
    }

    /** The VC-API response body. */
    public ObjectNode toJson() {
        ObjectNode o = JsonCodec.mapper().createObjectNode();
        o.put("verified", verified);
        ArrayNode checks = o.putArray("checks");
        checked.stream().sorted().forEach(c -> checks.add(c.name().toLowerCase()));
        o.set("errors", ProblemJson.array(errors));
        o.set("warnings", ProblemJson.array(warnings));
        agent.ifPresent(a -> {
            ObjectNode ag = o.putObject("agent");
            ag.put("id", a.agent().toString());
            ag.put("name", a.name());
            ag.putObject("organization").put("id", a.organization().toString()).put("name", a.organizationName());
            ArrayNode caps = ag.putArray("capabilities");
            a.capabilities().stream().sorted().forEach(caps::add);
            ag.put("operator", a.operator().name());
            ag.put("delegationDepth", a.delegation().allowed() ? a.delegation().maxDepth() : 0);
            a.credentialId().ifPresent(id -> ag.put("credential", id.toString()));
            a.validUntil().ifPresent(u -> ag.put("validUntil", u.toString()));
        });
        return o;
    }
}
