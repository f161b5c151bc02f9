package dev.tabard.issuer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.AgentClaims;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What a credential to sign is, by the rules {@link CredentialIssuer} applies to each: plain, an AgentCredential, a delegation. */
enum CredentialKind {
    PLAIN, AGENT, DELEGATION;

    /**
     * What a credential is to a verifier, read from the JSON before anything else so that no malformed variant slips
     * past. Anything typed or shaped as Tabard's AgentCredential (its type however spelled, its context, an Agent
     * subject) is one; anything typed as a delegation is one.
     */
    static CredentialKind of(ObjectNode vc) {
        List<String> types = new ArrayList<>();
        texts(vc.get("type"), types);
        List<String> contexts = new ArrayList<>();
        texts(vc.get("@context"), contexts);
        List<String> subjectTypes = new ArrayList<>();
        JsonNode subjects = vc.path("credentialSubject");
        (subjects.isArray() ? subjects : JsonCodec.arrayNode().add(subjects)).forEach(s -> texts(s.get("type"), subjectTypes));
        if (types.stream().anyMatch(t -> t.toLowerCase(Locale.ROOT).contains("delegation"))) {
            return DELEGATION;
        }
        boolean agent = contexts.contains(AgentClaims.CONTEXT)
                || types.stream().anyMatch(t -> t.endsWith(AgentClaims.CREDENTIAL_TYPE) || t.contains("w3id.org/tabard"))
                || subjectTypes.stream().anyMatch(t -> t.equals(AgentClaims.SUBJECT_TYPE) || t.contains("w3id.org/tabard"));
        return agent ? AGENT : PLAIN;
    }

    /**
     * The kind of {@code vc}, which the open mode signs only when plain.
     *
     * @throws ProblemException {@code NOT_GRANTED} for an AgentCredential or a delegation outside the bounded mode
     */
    static CredentialKind allowedIn(IssuanceMode mode, ObjectNode vc, String pointer) {
        CredentialKind kind = of(vc);
        if (kind != PLAIN && mode != IssuanceMode.BOUNDED) {
            throw new ProblemException(Problem.at(ProblemType.NOT_GRANTED, pointer + "/type", "this VC-API is open for a local "
                    + "conformance run and signs no AgentCredential or delegation; issue AgentCredentials for registered agents at "
                    + "POST /admin/agents/{did}/credentials with an issue-role token"));
        }
        return kind;
    }

    private static void texts(JsonNode node, List<String> out) {
        if (node != null && node.isTextual()) {
            out.add(node.asText());
        } else if (node != null && node.isArray()) {
            node.forEach(n -> texts(n, out));
        }
    }
}
