package dev.tabard.vc;

import dev.tabard.codec.JsonCodec;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The rule every link of a delegation chain obeys: it hands on no more than it holds. Each check names the
 * value at fault with a pointer under the link's own pointer, so a caller can tell which link lied.
 *
 * <p>Only the constraints Tabard knows ({@code maxTransactionValue}, {@code dataRegions}) can be compared;
 * any other constraint anywhere in a chain fails it closed, since its attenuation cannot be checked.
 */
public final class Attenuation {

    private Attenuation() {
    }

    /**
     * Checks that {@code child} hands on no more than {@code parent} holds.
     *
     * @param linkPointer where the child sits in its presentation, e.g. {@code /verifiableCredential/1}
     * @return every violation found, empty when the link attenuates its parent
     */
    public static List<Problem> check(Grant parent, DelegationClaims child, String linkPointer) {
        List<Problem> problems = new ArrayList<>();
        String subject = linkPointer + "/credentialSubject";
        AgentClaims.Delegation pd = parent.delegation();
        if (!pd.allowed()) {
            problems.add(Problem.at(ProblemType.DELEGATION_NOT_ALLOWED, linkPointer,
                    "the credential this link derives from does not allow its subject to delegate"));
        } else if (pd.maxDepth() < 1) {
            problems.add(Problem.at(ProblemType.DELEGATION_DEPTH_EXCEEDED, linkPointer,
                    "the credential this link derives from allows no further delegation (maxDepth 0)"));
        } else if (child.delegation().maxDepth() > pd.maxDepth() - 1) {
            problems.add(Problem.at(ProblemType.DELEGATION_DEPTH_EXCEEDED, subject + "/delegation/maxDepth",
                    "a link may allow at most " + (pd.maxDepth() - 1) + " further links, one fewer than its parent"));
        }
        for (String cap : child.capabilities()) {
            if (!parent.capabilities().contains(cap)) {
                problems.add(Problem.at(ProblemType.CAPABILITY_WIDENED, subject + "/capabilities",
                        "the link grants " + cap + ", which its parent does not hold"));
            }
        }
        problems.addAll(unknownConstraints(child.constraints(), subject + "/constraints"));
        problems.addAll(loosened(parent.constraints(), child.constraints(), subject + "/constraints"));
        if (parent.validUntil().isPresent() && child.validUntil().isAfter(parent.validUntil().get())) {
            problems.add(Problem.at(ProblemType.LINK_OUTLIVES_PARENT, linkPointer + "/validUntil",
                    "the link is valid until " + child.validUntil() + ", after its parent ends at " + parent.validUntil().get()));
        }
        return List.copyOf(problems);
    }

    /**
     * The constraints no verifier here can enforce: a chain carrying any of them fails closed.
     *
     * @param pointer the constraints object's pointer
     */
    public static List<Problem> unknownConstraints(AgentClaims.Constraints constraints, String pointer) {
        List<Problem> problems = new ArrayList<>();
        Iterator<String> names = JsonCodec.parse(constraints.otherJson()).fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            problems.add(Problem.at(ProblemType.UNKNOWN_CONSTRAINT, pointer + "/" + escape(name),
                    "the constraint " + name + " is not one this verifier can enforce along a delegation chain"));
        }
        return problems;
    }

    private static List<Problem> loosened(AgentClaims.Constraints parent, AgentClaims.Constraints child, String pointer) {
        List<Problem> problems = new ArrayList<>();
        if (parent.maxTransactionValue().isPresent()) {
            AgentClaims.Money limit = parent.maxTransactionValue().get();
            if (child.maxTransactionValue().isEmpty()) {
                problems.add(Problem.at(ProblemType.CONSTRAINT_LOOSENED, pointer + "/maxTransactionValue",
                        "the parent limits a transaction to " + limit.amount() + " " + limit.currency() + "; the link drops the limit"));
            } else {
                AgentClaims.Money mine = child.maxTransactionValue().get();
                if (!mine.currency().equals(limit.currency())) {
                    problems.add(Problem.at(ProblemType.CONSTRAINT_LOOSENED, pointer + "/maxTransactionValue/currency",
                            "the parent's limit is in " + limit.currency() + "; a link keeps the currency"));
                } else if (new BigDecimal(mine.amount()).compareTo(new BigDecimal(limit.amount())) > 0) {
                    problems.add(Problem.at(ProblemType.CONSTRAINT_LOOSENED, pointer + "/maxTransactionValue/amount",
                            mine.amount() + " is above the parent's limit of " + limit.amount() + " " + limit.currency()));
                }
            }
        }
        if (!parent.dataRegions().isEmpty()) {
            if (child.dataRegions().isEmpty()) {
                problems.add(Problem.at(ProblemType.CONSTRAINT_LOOSENED, pointer + "/dataRegions",
                        "the parent limits data to " + parent.dataRegions() + "; the link drops the limit"));
            }
            for (int i = 0; i < child.dataRegions().size(); i++) {
                if (!parent.dataRegions().contains(child.dataRegions().get(i))) {
                    problems.add(Problem.at(ProblemType.CONSTRAINT_LOOSENED, pointer + "/dataRegions/" + i,
                            child.dataRegions().get(i) + " is not among the parent's regions " + parent.dataRegions()));
                }
            }
        }
        return problems;
    }

    /** RFC 6901 escaping of one reference token. */
    static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
