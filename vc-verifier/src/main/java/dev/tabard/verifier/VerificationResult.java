package dev.tabard.verifier;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemJson;
import dev.tabard.sdjwt.ClaimPath;
import dev.tabard.vc.DelegationChain;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The outcome of a verification, shaped like VC DM 2.0's verification result: verified exactly when there
 * are no errors; the agent identity only when verified; the checks that ran. Only the {@link Verifier} makes a
 * verified one; other code can only add errors to a result ({@link #refutedBy}), never make one verified.
 */
public final class VerificationResult {

    private final boolean verified;
    private final Optional<AgentIdentity> agent;
    private final List<Problem> errors;
    private final List<Problem> warnings;
    private final Set<Check> checked;
    private final List<ClaimPath> disclosed;
    private final Optional<ObjectNode> claims;

    private VerificationResult(Optional<AgentIdentity> agent, List<Problem> errors, List<Problem> warnings, Set<Check> checked) {
        this(agent, errors, warnings, checked, List.of(), Optional.empty());
    }

    private VerificationResult(Optional<AgentIdentity> agent, List<Problem> errors, List<Problem> warnings, Set<Check> checked,
                               List<ClaimPath> disclosed, Optional<ObjectNode> claims) {
        this.disclosed = List.copyOf(disclosed);
        this.claims = claims.map(ObjectNode::deepCopy);
        this.errors = List.copyOf(errors);
        this.warnings = List.copyOf(warnings);
        this.checked = checked.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(checked));
        this.verified = this.errors.isEmpty();
        this.agent = Objects.requireNonNull(agent, "agent");
        if (agent.isPresent() && !verified) {
            throw new IllegalArgumentException("an agent identity only for a verified result");
        }
    }

    static VerificationResult verified(Optional<AgentIdentity> agent, List<Problem> warnings, Set<Check> checked) {
        return new VerificationResult(agent, List.of(), warnings, checked);
    }

    /** A verified SD-JWT VC presentation: its processed claims, and which of them its holder chose to disclose. */
    static VerificationResult verified(Optional<AgentIdentity> agent, List<Problem> warnings, Set<Check> checked,
                                       List<ClaimPath> disclosed, ObjectNode claims) {
        return new VerificationResult(agent, List.of(), warnings, checked, disclosed, Optional.of(claims));
    }

    static VerificationResult failed(List<Problem> errors, List<Problem> warnings, Set<Check> checked) {
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a failed result has at least one error");
        }
        return new VerificationResult(Optional.empty(), errors, warnings, checked);
    }

    /**
     * This result failed with {@code more} errors as well, for a caller whose own checks refuse what verified (the
     * wallet finds a row that contradicts its credential). The agent identity is dropped.
     *
     * @throws IllegalArgumentException when {@code more} is empty: a result cannot be made to verify this way
     */
    public VerificationResult refutedBy(List<Problem> more) {
        if (List.copyOf(more).isEmpty()) {
            throw new IllegalArgumentException("refuting a result takes at least one error");
        }
        List<Problem> all = new ArrayList<>(errors);
        all.addAll(more);
        return failed(all, warnings, checked);
    }

    /** Whether every check passed: exactly when {@link #errors()} is empty. */
    public boolean verified() {
        return verified;
    }

    /** The agent a verified AgentCredential describes; empty when not verified or not an AgentCredential. */
    public Optional<AgentIdentity> agent() {
        return agent;
    }

    public List<Problem> errors() {
        return errors;
    }

    public List<Problem> warnings() {
        return warnings;
    }

    public Set<Check> checked() {
        return checked;
    }

    /**
     * For a verified SD-JWT VC presentation, the claims the holder disclosed selectively (the always-visible ones are
     * not listed); empty for every other format.
     */
    public List<ClaimPath> disclosed() {
        return disclosed;
    }

    /**
     * For a verified SD-JWT VC presentation, its claims after processing: those always visible ({@code iss},
     * {@code vct}, dates, {@code cnf}, {@code status}…) and those the holder disclosed; a withheld claim is absent.
     * A fresh copy; empty for every other format. This is how a credential that is not an AgentCredential is read.
     */
    public Optional<ObjectNode> claims() {
        return claims.map(ObjectNode::deepCopy);
    }

    @Override
    public String toString() {
        return "VerificationResult[verified=" + verified + ", agent=" + agent + ", errors=" + errors + ", warnings=" + warnings
                + ", checked=" + checked + "]";
    }

    /** The VC-API response body. */
    public ObjectNode toJson() {
        ObjectNode o = JsonCodec.objectNode();
        o.put("verified", verified);
        ArrayNode checks = o.putArray("checks");
        checked.stream().sorted().forEach(c -> checks.add(c.name().toLowerCase()));
        o.set("errors", ProblemJson.array(errors));
        o.set("warnings", ProblemJson.array(warnings));
        if (!disclosed.isEmpty()) {
            ArrayNode paths = o.putArray("disclosed");
            disclosed.forEach(d -> paths.add(JsonCodec.tree(d.segments())));
        }
        claims.ifPresent(c -> o.set("claims", c.deepCopy()));
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
            if (a.authority().delegated()) {
                ArrayNode chain = ag.putArray("delegationChain");
                for (DelegationChain.Step step : a.authority().steps()) {
                    ObjectNode st = chain.addObject();
                    st.put("agent", step.agent().toString());
                    step.grant().credentialId().ifPresent(id -> st.put("credential", id.toString()));
                    ArrayNode granted = st.putArray("capabilities");
                    step.grant().capabilities().stream().sorted().forEach(granted::add);
                    step.grant().constraints().maxTransactionValue().ifPresent(m -> st.putObject("maxTransactionValue")
                            .put("amount", m.amount()).put("currency", m.currency()));
                    if (!step.grant().constraints().dataRegions().isEmpty()) {
                        ArrayNode regions = st.putArray("dataRegions");
                        step.grant().constraints().dataRegions().forEach(regions::add);
                    }
                    st.put("registered", step.registered());
                }
            }
        });
        return o;
    }
}
