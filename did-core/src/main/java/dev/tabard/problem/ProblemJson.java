package dev.tabard.problem;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * Shapes problems as RFC 9457 problem details ({@code application/problem+json}), with no web framework
 * involved, so both servers render errors identically.
 */
public final class ProblemJson {

    public static final String MEDIA_TYPE = "application/problem+json";
    /** The extension member (RFC 9457 §3.2) that carries an {@link Incident} id. */
    public static final String INCIDENT_MEMBER = "incident";

    private ProblemJson() {}

    /** One problem as a problem-details object; {@code instance} may be null. */
    public static ObjectNode of(Problem problem, String instance) {
        Objects.requireNonNull(problem, "problem");
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("type", problem.type().type().toString());
        node.put("title", problem.type().title());
        node.put("status", problem.type().status());
        node.put("detail", problem.detail());
        if (instance != null) {
            node.put("instance", instance);
        }
        node.put("code", problem.type().code());
        problem.pointer().ifPresent(p -> node.put("pointer", p));
        problem.incident().ifPresent(i -> node.put(INCIDENT_MEMBER, i));
        return node;
    }

    /**
     * Several problems: the first is the principal one; all of them are listed under the extension member
     * {@code problems} when there is more than one.
     */
    public static ObjectNode of(List<Problem> problems, String instance) {
        Objects.requireNonNull(problems, "problems");
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("no problems");
        }
        ObjectNode node = of(problems.get(0), instance);
        if (problems.size() > 1) {
            ArrayNode all = node.putArray("problems");
            for (Problem p : problems) {
                all.add(of(p, null));
            }
        }
        return node;
    }

    /** A list of problems as the VC DM 2.0 verification-result {@code errors}/{@code warnings} array. */
    public static ArrayNode array(List<Problem> problems) {
        ArrayNode all = JsonNodeFactory.instance.arrayNode();
        for (Problem p : problems) {
            all.add(of(p, null));
        }
        return all;
    }

    /** The status an HTTP response for these problems carries: the principal problem's. */
    public static int status(List<Problem> problems) {
        return problems.get(0).type().status();
    }
}
