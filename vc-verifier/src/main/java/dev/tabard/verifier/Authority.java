package dev.tabard.verifier;

import dev.tabard.did.Did;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.AgentClaims;
import dev.tabard.vc.Credential;
import dev.tabard.vc.DelegationChain;
import dev.tabard.vc.DelegationChain.Step;
import dev.tabard.vc.Grant;
import dev.tabard.vc.ParentReference;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The authority a verified presentation carries: the organization, its agent, and each agent authority was
 * delegated to, with what each was granted. The last step is the acting agent, and its grant is the effective one.
 * Only the verifier makes one, from credentials whose proofs, dates, statuses and chain it checked.
 */
public final class Authority {

    private final AgentClaims root;
    private final List<Step> steps;
    private final boolean constraintsWithheld;

    Authority(DelegationChain.Path path) {
        this(path, false);
    }

    private Authority(DelegationChain.Path path, boolean constraintsWithheld) {
        this.constraintsWithheld = constraintsWithheld;
        this.root = path.root();
        this.steps = path.steps();
        if (this.steps.isEmpty()) {
            throw new IllegalArgumentException("an authority has at least the organization's agent");
        }
    }

    /** The authority of an AgentCredential presented directly: one step, the organization's agent. */
    static Authority direct(AgentClaims claims, Credential credential, Optional<ParentReference> reference) {
        return new Authority(new DelegationChain.Path(claims, List.of(new Step(claims.agent(), Grant.of(claims, credential), "",
                reference, true))));
    }

    /**
     * The authority of an AgentCredential presented as an SD-JWT VC: one step, from the claims its holder disclosed. When
     * the holder withheld any of its constraints, no action is authorized: a withheld limit is not no limit.
     */
    static Authority direct(AgentClaims claims, Optional<java.time.Instant> validUntil, boolean constraintsWithheld) {
        Grant grant = new Grant(claims.capabilities(), claims.constraints(), claims.delegation(), validUntil, Optional.empty());
        return new Authority(new DelegationChain.Path(claims, List.of(new Step(claims.agent(), grant, "", Optional.empty(), true))),
                constraintsWithheld);
    }

    /** Whether the presentation withheld some of the agent's constraints (an SD-JWT VC whose holder did not disclose them all). */
    public boolean constraintsWithheld() {
        return constraintsWithheld;
    }

    /** The organization whose AgentCredential starts the path. */
    public Did organization() {
        return root.organization();
    }

    /** What the organization says about its agent, the first step. */
    public AgentClaims root() {
        return root;
    }

    /** Every agent on the path, the organization's agent first and the acting agent last. */
    public List<Step> steps() {
        return steps;
    }

    /** The agent that presented: the subject of the last credential. */
    public Did actingAgent() {
        return steps.get(steps.size() - 1).agent();
    }

    /** Whether authority reached the acting agent through delegation. */
    public boolean delegated() {
        return steps.size() > 1;
    }

    public Set<String> effectiveCapabilities() {
        return steps.get(steps.size() - 1).grant().capabilities();
    }

    public AgentClaims.Constraints effectiveConstraints() {
        return steps.get(steps.size() - 1).grant().constraints();
    }

    /**
     * Whether this authority allows {@code action}: the capability held at every step, and every parameter within
     * every step's constraints.
     *
     * @return empty when allowed; otherwise {@code MISSING_CAPABILITY} or {@code CONSTRAINT_VIOLATED}, each pointing at
     *     the first credential on the path that did not grant it, or {@code UNKNOWN_CONSTRAINT} when constraints were
     *     withheld
     */
    public List<Problem> authorize(Action action) {
        if (constraintsWithheld) {
            return List.of(Problem.at(ProblemType.UNKNOWN_CONSTRAINT, "/constraints", "the presentation withholds some of the "
                    + "agent's constraints, so no action can be checked against them: disclose [\"constraints\"] to act"));
        }
        List<Problem> problems = new ArrayList<>();
        for (Step s : steps) {
            if (!s.grant().capabilities().contains(action.capability())) {
                problems.add(Problem.at(ProblemType.MISSING_CAPABILITY, s.pointer() + "/credentialSubject/capabilities",
                        s.agent() + " was not granted " + action.capability()));
                break;
            }
        }
        if (action.amount().isPresent()) {
            AgentClaims.Money asked = action.amount().get();
            for (Step s : steps) {
                if (s.grant().constraints().maxTransactionValue().isEmpty()) {
                    continue;
                }
                AgentClaims.Money limit = s.grant().constraints().maxTransactionValue().get();
                if (!limit.currency().equals(asked.currency())
                        || new BigDecimal(asked.amount()).compareTo(new BigDecimal(limit.amount())) > 0) {
                    problems.add(Problem.at(ProblemType.CONSTRAINT_VIOLATED,
                            s.pointer() + "/credentialSubject/constraints/maxTransactionValue", asked.amount() + " " + asked.currency()
                                    + " is beyond the limit of " + limit.amount() + " " + limit.currency() + " granted to " + s.agent()));
                    break;
                }
            }
        }
        if (action.dataRegion().isPresent()) {
            String region = action.dataRegion().get();
            for (Step s : steps) {
                List<String> allowed = s.grant().constraints().dataRegions();
                if (!allowed.isEmpty() && !allowed.contains(region)) {
                    problems.add(Problem.at(ProblemType.CONSTRAINT_VIOLATED, s.pointer() + "/credentialSubject/constraints/dataRegions",
                            "data may go to " + allowed + " under the grant to " + s.agent() + ", not to " + region));
                    break;
                }
            }
        }
        return List.copyOf(problems);
    }

    @Override
    public String toString() {
        return "Authority[" + organization() + " → " + steps.stream().map(s -> s.agent().toString()).toList() + "]";
    }
}
