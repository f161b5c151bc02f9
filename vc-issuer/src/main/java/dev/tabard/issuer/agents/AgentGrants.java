package dev.tabard.issuer.agents;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.jsonld.BundledContexts;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.AgentClaims;
import dev.tabard.vc.Credential;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether an AgentCredential stays within what the registry grants its agent. An AgentCredential is the authority a
 * verifier acts on, so the issuer signs one only in the shape it writes itself and only with claims no wider than the
 * registry's: the same name and operator, a subset of the capabilities, constraints at least as strict, delegation no
 * deeper.
 */
public final class AgentGrants {

    /** The properties of an AgentCredential; {@code credentialStatus} and the proof are the issuer's to add. */
    private static final Set<String> CREDENTIAL_PROPERTIES = Set.of("@context", "id", "type", "issuer", "validFrom", "validUntil",
            "credentialSubject");
    /** The claims of an Agent subject, as {@link AgentClaims#subjectJson} writes them. */
    private static final Set<String> SUBJECT_PROPERTIES = Set.of("id", "type", "name", "memberOf", "operator", "capabilities",
            "constraints", "delegation");

    private AgentGrants() {
    }

    /**
     * The claims of an AgentCredential a caller wrote, which must have the shape the issuer writes: the VC 2.0 and
     * Tabard contexts, the types VerifiableCredential and AgentCredential, one Agent subject, and nothing else a
     * verifier could read authority from.
     *
     * @param pointer where the credential is in the request, such as {@code /credential}
     * @throws ProblemException {@code MALFORMED_VALUE_ERROR} with a pointer to the first property out of shape
     */
    public static AgentClaims claims(Credential credential, String pointer) {
        if (!credential.contexts().equals(List.of(BundledContexts.CREDENTIALS_V2, AgentClaims.CONTEXT))) {
            throw malformed(pointer + "/@context", "an AgentCredential's @context is [\"" + BundledContexts.CREDENTIALS_V2 + "\", \""
                    + AgentClaims.CONTEXT + "\"]");
        }
        if (!new TreeSet<>(credential.types()).equals(new TreeSet<>(List.of(Credential.TYPE, AgentClaims.CREDENTIAL_TYPE)))
                || credential.types().size() != 2) {
            throw malformed(pointer + "/type", "an AgentCredential's type is [\"" + Credential.TYPE + "\", \""
                    + AgentClaims.CREDENTIAL_TYPE + "\"]");
        }
        JsonNode json = credential.json();
        unknown(json, CREDENTIAL_PROPERTIES, pointer, "an AgentCredential carries only " + new TreeSet<>(CREDENTIAL_PROPERTIES)
                + "; this issuer adds credentialStatus and the proof itself");
        JsonNode subject = json.path("credentialSubject");
        if (subject.isObject()) {
            unknown(subject, SUBJECT_PROPERTIES, pointer + "/credentialSubject", "an Agent subject carries only "
                    + new TreeSet<>(SUBJECT_PROPERTIES));
        }
        try {
            return AgentClaims.from(credential);
        } catch (ProblemException e) {
            throw malformed(pointer + e.problem().pointer().orElse(""), e.problem().detail());
        }
    }

    /**
     * Refuses claims wider than the registry's grant, listing every claim that is.
     *
     * @param organizationName the organization's name, which {@code memberOf.name} must carry
     * @throws ProblemException {@code NOT_GRANTED}, one problem per claim not granted, each with a pointer into the
     *     credential subject and what to do
     */
    public static void requireWithin(AgentClaims requested, Agent granted, String organizationName, String pointer) {
        String subject = pointer + "/credentialSubject";
        String fix = "; ask for no more than the registry grants, or update agent " + granted.did() + " at " + AgentRegistry.REGISTER;
        List<Problem> refused = new ArrayList<>();
        if (!requested.agent().equals(granted.did())) {
            throw new IllegalArgumentException("claims for " + requested.agent() + " checked against " + granted.did());
        }
        if (!requested.name().equals(granted.name())) {
            refused.add(notGranted(subject + "/name", "the name '" + requested.name() + "' is not the registered '" + granted.name()
                    + "'" + fix));
        }
        if (!requested.organizationName().equals(organizationName)) {
            refused.add(notGranted(subject + "/memberOf/name", "the organization is named '" + organizationName + "'" + fix));
        }
        if (!requested.operator().equals(granted.operator())) {
            refused.add(notGranted(subject + "/operator", "the operator is not the registered one (" + granted.operator().name() + ")" + fix));
        }
        Set<String> extra = new TreeSet<>(requested.capabilities());
        extra.removeAll(granted.capabilities());
        if (!extra.isEmpty()) {
            refused.add(notGranted(subject + "/capabilities", "capabilities " + extra + " are not granted (granted: "
                    + new TreeSet<>(granted.capabilities()) + ")" + fix));
        }
        constraints(requested.constraints(), granted.constraints(), subject + "/constraints", fix, refused);
        AgentClaims.Delegation d = requested.delegation();
        AgentClaims.Delegation g = granted.delegation();
        if (d.allowed() && (!g.allowed() || d.maxDepth() > g.maxDepth())) {
            refused.add(notGranted(subject + "/delegation", "delegation to depth " + d.maxDepth() + " is not granted (granted: "
                    + (g.allowed() ? "depth " + g.maxDepth() : "no delegation") + ")" + fix));
        }
        if (!refused.isEmpty()) {
            throw new ProblemException(refused);
        }
    }

    /**
     * Constraints at least as strict: a transaction cap in the same currency no higher than the granted one, data regions
     * within the granted ones, and the constraints Tabard does not type exactly as registered, since it cannot tell
     * whether another value of one of them is stricter.
     */
    private static void constraints(AgentClaims.Constraints requested, AgentClaims.Constraints granted, String pointer, String fix,
                                    List<Problem> refused) {
        if (granted.maxTransactionValue().isPresent()) {
            AgentClaims.Money cap = granted.maxTransactionValue().get();
            boolean within = requested.maxTransactionValue().filter(m -> m.currency().equals(cap.currency())
                    && new BigDecimal(m.amount()).compareTo(new BigDecimal(cap.amount())) <= 0).isPresent();
            if (!within) {
                refused.add(notGranted(pointer + "/maxTransactionValue", "the transaction cap must be at most " + cap.amount() + " "
                        + cap.currency() + fix));
            }
        }
        if (!granted.dataRegions().isEmpty() && (requested.dataRegions().isEmpty()
                || !granted.dataRegions().containsAll(requested.dataRegions()))) {
            refused.add(notGranted(pointer + "/dataRegions", "data regions must be within " + granted.dataRegions() + fix));
        }
        if (!JsonCodec.parse(requested.otherJson()).equals(JsonCodec.parse(granted.otherJson()))) {
            refused.add(notGranted(pointer, "constraints other than maxTransactionValue and dataRegions must be the registered "
                    + granted.otherJson() + fix));
        }
    }

    private static void unknown(JsonNode object, Set<String> allowed, String pointer, String detail) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw malformed(pointer + "/" + name.replace("~", "~0").replace("/", "~1"), detail);
            }
        }
    }

    private static Problem notGranted(String pointer, String detail) {
        return Problem.at(ProblemType.NOT_GRANTED, pointer, detail);
    }

    private static ProblemException malformed(String pointer, String detail) {
        return new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, pointer, detail));
    }
}
