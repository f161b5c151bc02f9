package dev.tabard.vc;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.codec.Timestamps;
import dev.tabard.did.Did;
import dev.tabard.problem.ProblemException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What one link of a delegation chain says: the delegating agent (the credential's issuer, who signs it
 * with its own key) hands the delegate a subset of its authority. The vocabulary is {@link AgentClaims#CONTEXT}'s;
 * capabilities, constraints and delegation read exactly as in an AgentCredential.
 *
 * @param id the link's id, which the next link's {@link ParentReference} names
 * @param delegator the delegating agent's DID (the issuer)
 * @param delegate the delegate's DID (the subject)
 * @param capabilities what the delegate may do, a subset of the parent's
 * @param constraints limits at least as strict as the parent's
 * @param delegation whether and how much further the delegate may delegate
 * @param task the task the authority was granted for, when the delegator named one
 * @param parent the credential this link derives from
 * @param validFrom when the link starts
 * @param validUntil when it ends; a link always ends
 */
public record DelegationClaims(URI id, Did delegator, Did delegate, Set<String> capabilities,
                               AgentClaims.Constraints constraints, AgentClaims.Delegation delegation,
                               Optional<String> task, ParentReference parent, Instant validFrom, Instant validUntil) {

    public static final String CREDENTIAL_TYPE = "DelegationCredential";

    /** Bounds a task's text: it is a label for audit, not a document. */
    public static final int MAX_TASK_LENGTH = 512;

    public DelegationClaims {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(delegator, "delegator");
        Objects.requireNonNull(delegate, "delegate");
        capabilities = Set.copyOf(capabilities);
        Objects.requireNonNull(constraints, "constraints");
        Objects.requireNonNull(delegation, "delegation");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(validFrom, "validFrom");
        Objects.requireNonNull(validUntil, "validUntil");
        if (!validUntil.isAfter(validFrom)) {
            throw new IllegalArgumentException("a delegation ends after it starts");
        }
        if (task.isPresent() && (task.get().isEmpty() || task.get().length() > MAX_TASK_LENGTH)) {
            throw new IllegalArgumentException("a task is 1.." + MAX_TASK_LENGTH + " characters");
        }
    }

    /**
     * Reads the claims of a DelegationCredential.
     *
     * @throws ProblemException {@code MALFORMED_VALUE_ERROR} with a pointer when the credential is not a
     *     DelegationCredential with one subject of this shape
     */
    public static DelegationClaims from(Credential credential) {
        if (!credential.types().contains(CREDENTIAL_TYPE)) {
            throw DataModel.malformed("/type", "not a " + CREDENTIAL_TYPE);
        }
        if (!credential.contexts().contains(AgentClaims.CONTEXT)) {
            throw DataModel.malformed("/@context", "a DelegationCredential uses the context " + AgentClaims.CONTEXT);
        }
        if (credential.subjects().size() != 1) {
            throw DataModel.malformed("/credentialSubject", "a DelegationCredential has exactly one subject");
        }
        URI id = credential.id().orElseThrow(() -> DataModel.malformed("/id",
                "a DelegationCredential has an id, which the next link names as its parent"));
        Instant from = credential.validFrom().orElseThrow(() -> DataModel.malformed("/validFrom",
                "a DelegationCredential has validFrom"));
        Instant until = credential.validUntil().orElseThrow(() -> DataModel.malformed("/validUntil",
                "a DelegationCredential always ends: add validUntil"));
        Did delegator = Did.tryParse(credential.issuer().id().toString())
                .orElseThrow(() -> DataModel.malformed("/issuer", "the issuer of a delegation is the delegating agent's DID"));
        String p = "/credentialSubject";
        ObjectNode s = credential.subjects().get(0).claims();
        Did delegate = AgentClaims.did(s.get("id"), p + "/id");
        Set<String> caps = AgentClaims.capabilities(s.get("capabilities"), p + "/capabilities");
        if (caps.isEmpty()) {
            throw DataModel.malformed(p + "/capabilities", "a delegation grants at least one capability");
        }
        AgentClaims.Constraints constraints = AgentClaims.constraints(s.get("constraints"), p + "/constraints");
        AgentClaims.Delegation delegation = AgentClaims.delegation(s.get("delegation"), p + "/delegation");
        Optional<String> task = Optional.empty();
        if (s.has("task")) {
            String t = AgentClaims.text(s.get("task"), p + "/task");
            if (t.length() > MAX_TASK_LENGTH) {
                throw DataModel.malformed(p + "/task", "a task is at most " + MAX_TASK_LENGTH + " characters");
            }
            task = Optional.of(t);
        }
        ParentReference parent = ParentReference.from(credential.json().get("parentCredential"), "/parentCredential");
        if (!until.isAfter(from)) {
            throw DataModel.malformed("/validUntil", "a delegation ends after it starts");
        }
        return new DelegationClaims(id, delegator, delegate, caps, constraints, delegation, task, parent, from, until);
    }

    /** The credential subject as JSON. */
    public ObjectNode subjectJson() {
        ObjectNode s = JsonCodec.objectNode();
        s.put("id", delegate.toString());
        ArrayNode caps = s.putArray("capabilities");
        capabilities.stream().sorted().forEach(caps::add);
        s.set("constraints", AgentClaims.constraintsJson(constraints));
        s.putObject("delegation").put("allowed", delegation.allowed()).put("maxDepth", delegation.maxDepth());
        task.ifPresent(t -> s.put("task", t));
        return s;
    }

    /**
     * An unsecured DelegationCredential document for these claims, to be signed by the delegator's key.
     *
     * @param statusEntries the {@code credentialStatus} objects the root organization's issuer allocated
     *     when the link is registered; empty for a short-lived link
     */
    public ObjectNode credential(List<ObjectNode> statusEntries) {
        ObjectNode vc = JsonCodec.objectNode();
        vc.putArray("@context").add(DataModel.V2_CONTEXT).add(AgentClaims.CONTEXT);
        vc.put("id", id.toString());
        vc.putArray("type").add(Credential.TYPE).add(CREDENTIAL_TYPE);
        vc.put("issuer", delegator.toString());
        vc.put("validFrom", Timestamps.format(validFrom));
        vc.put("validUntil", Timestamps.format(validUntil));
        vc.set("credentialSubject", subjectJson());
        vc.set("parentCredential", parent.json());
        if (!statusEntries.isEmpty()) {
            ArrayNode st = vc.putArray("credentialStatus");
            statusEntries.forEach(st::add);
        }
        return vc;
    }

    /** The authority this link hands on, as the next link is measured against it. */
    public Grant grant() {
        return new Grant(capabilities, constraints, delegation, Optional.of(validUntil), Optional.of(id));
    }
}
