package dev.tabard.vc;

import dev.tabard.did.Did;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Walks a delegation chain — organization → AgentCredential → link → … → the last delegate — and checks what makes it
 * one chain: each link issued by the subject of the credential before it and pinned to it by digest, no agent twice,
 * every link attenuating its parent, and unregistered links short-lived. Proofs, dates, trust in the root's issuer,
 * statuses and who presents the chain are checked by the caller, as for any credential: the verifier, and the
 * issuer when it registers a link.
 */
public final class DelegationChain {

    /** Links a verifier walks: authority handed on five times is already hard for a person to audit. */
    public static final int MAX_LINKS = 5;

    /** How long a link the root organization's issuer has not registered (and so cannot revoke) may live. */
    public static final Duration MAX_UNREGISTERED_LIFETIME = Duration.ofMinutes(15);

    /**
     * One credential of a chain as the presentation carries it.
     *
     * @param self the reference a next link must carry to derive from this credential; none when it has no id
     * @param pointer where it sits in the presentation
     */
    public record Carried(Credential credential, Optional<ParentReference> self, String pointer) {
        public Carried {
            Objects.requireNonNull(credential, "credential");
            Objects.requireNonNull(self, "self");
            Objects.requireNonNull(pointer, "pointer");
        }
    }

    private DelegationChain() {
    }

    /** Whether {@code credentials} hold a chain at all: any delegation makes the presentation one chain. */
    public static boolean isChain(List<Credential> credentials) {
        return credentials.stream().anyMatch(c -> c.types().contains(DelegationClaims.CREDENTIAL_TYPE));
    }

    /**
     * One agent on the path and what it holds.
     *
     * @param pointer the credential that granted it, in the presentation
     * @param reference what a next link must name as its parent to derive from that credential; none when the credential
     *     has no id, and then nothing can derive from it
     * @param registered whether the organization's issuer can revoke that grant (the root always can)
     */
    public record Step(Did agent, Grant grant, String pointer, Optional<ParentReference> reference, boolean registered) {
        public Step {
            Objects.requireNonNull(agent, "agent");
            Objects.requireNonNull(grant, "grant");
            Objects.requireNonNull(pointer, "pointer");
            Objects.requireNonNull(reference, "reference");
        }
    }

    /**
     * A chain whose structure held: what the organization said, and every agent on the path, the organization's
     * agent first and the last delegate last.
     */
    public record Path(AgentClaims root, List<Step> steps) {
        public Path {
            Objects.requireNonNull(root, "root");
            steps = List.copyOf(steps);
        }

        /** The subject of the last credential: the agent the authority reached. */
        public Did lastDelegate() {
            return steps.get(steps.size() - 1).agent();
        }
    }

    /**
     * The chain {@code carried} forms, in order.
     *
     * @param unregisteredLifetime the longest a link without a status entry may live, at most {@link #MAX_UNREGISTERED_LIFETIME}
     * @throws ProblemException with every problem found: {@code CHAIN_TOO_LONG} first and alone; otherwise the
     *     attenuation problems, {@code LINK_ISSUER_MISMATCH}, {@code LINK_PARENT_MISMATCH}, {@code DELEGATION_CYCLE},
     *     {@code UNKNOWN_CONSTRAINT}, {@code LIFETIME_TOO_LONG}, {@code MALFORMED_VALUE_ERROR}
     */
    public static Path walk(List<Carried> carried, Duration unregisteredLifetime) {
        if (carried.size() - 1 > MAX_LINKS) {
            throw new ProblemException(ProblemType.CHAIN_TOO_LONG, "the presentation carries " + (carried.size() - 1)
                    + " delegation links; a chain has at most " + MAX_LINKS);
        }
        if (carried.isEmpty()) {
            throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/verifiableCredential",
                    "a delegation chain is the organization's AgentCredential followed by DelegationCredentials"));
        }
        Carried root = carried.get(0);
        if (!root.credential().types().contains(AgentClaims.CREDENTIAL_TYPE)) {
            throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, root.pointer() + "/type",
                    "a delegation chain starts with the organization's AgentCredential"));
        }
        AgentClaims rootClaims = withPointer(root.pointer(), () -> AgentClaims.from(root.credential()));
        List<Problem> problems = new ArrayList<>(Attenuation.unknownConstraints(rootClaims.constraints(),
                root.pointer() + "/credentialSubject/constraints"));
        List<Step> steps = new ArrayList<>();
        steps.add(new Step(rootClaims.agent(), Grant.of(rootClaims, root.credential()), root.pointer(), root.self(), true));
        for (int i = 1; i < carried.size(); i++) {
            Carried link = carried.get(i);
            DelegationClaims claims = withPointer(link.pointer(), () -> DelegationClaims.from(link.credential()));
            problems.addAll(extend(steps, claims, link.pointer()));
            boolean registered = !link.credential().statuses().isEmpty();
            Duration lifetime = Duration.between(claims.validFrom(), claims.validUntil());
            if (!registered && lifetime.compareTo(unregisteredLifetime) > 0) {
                problems.add(Problem.at(ProblemType.LIFETIME_TOO_LONG, link.pointer() + "/validUntil", "a link the organization's "
                        + "issuer has not registered lives at most " + unregisteredLifetime + "; this one lives " + lifetime
                        + ": register it (it then carries a status entry) or shorten it"));
            }
            steps.add(new Step(claims.delegate(), claims.grant(), link.pointer(), link.self(), registered));
        }
        if (!problems.isEmpty()) {
            throw new ProblemException(problems);
        }
        return new Path(rootClaims, steps);
    }

    /**
     * What is wrong with {@code next} as the link after {@code steps}: issued by the last step's agent, naming the last
     * step's credential as its parent, handing authority to no agent already on the path, and attenuating the last grant.
     * The walk checks every link with it; an issuer checks a link it is asked to register with it.
     *
     * @return every problem found, empty when {@code next} extends the path
     */
    public static List<Problem> extend(List<Step> steps, DelegationClaims next, String pointer) {
        Step last = steps.get(steps.size() - 1);
        List<Problem> problems = new ArrayList<>();
        if (!next.delegator().equals(last.agent())) {
            problems.add(Problem.at(ProblemType.LINK_ISSUER_MISMATCH, pointer + "/issuer", "the link is issued by "
                    + next.delegator() + ", but only " + last.agent() + ", the subject of the credential before it, can delegate its authority"));
        }
        if (last.reference().isEmpty()) {
            problems.add(Problem.at(ProblemType.LINK_PARENT_MISMATCH, pointer + "/parentCredential",
                    "the credential before this link has no id, so no link can derive from it"));
        } else if (!next.parent().matches(last.reference().get())) {
            problems.add(Problem.at(ProblemType.LINK_PARENT_MISMATCH, pointer + "/parentCredential",
                    "the link derives from " + next.parent().id() + " with another digest, not from the credential before it ("
                            + last.reference().get().id() + ")"));
        }
        if (steps.stream().anyMatch(s -> s.agent().equals(next.delegate()))) {
            problems.add(Problem.at(ProblemType.DELEGATION_CYCLE, pointer + "/credentialSubject/id",
                    next.delegate() + " already holds authority earlier on this chain"));
        }
        problems.addAll(Attenuation.check(last.grant(), next, pointer));
        return problems;
    }

    private interface Read<T> {
        T get();
    }

    /** Re-anchors a data-model problem of one credential at its place in the presentation. */
    private static <T> T withPointer(String pointer, Read<T> read) {
        try {
            return read.get();
        } catch (ProblemException e) {
            List<Problem> moved = new ArrayList<>();
            for (Problem p : e.problems()) {
                moved.add(new Problem(p.type(), p.detail(), java.util.Optional.of(pointer + p.pointer().orElse(""))));
            }
            throw new ProblemException(moved);
        }
    }
}
