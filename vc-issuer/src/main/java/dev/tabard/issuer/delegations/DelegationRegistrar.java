package dev.tabard.issuer.delegations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.codec.Timestamps;
import dev.tabard.did.Did;
import dev.tabard.did.DidResolver;
import dev.tabard.did.DidUrl;
import dev.tabard.did.Relationship;
import dev.tabard.did.VerificationMethod;
import dev.tabard.issuer.IssuerService;
import dev.tabard.issuer.agents.Agent;
import dev.tabard.issuer.store.IssuedCredential;
import dev.tabard.issuer.store.IssuerStore;
import dev.tabard.jsonld.BundledContexts;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.AgentClaims;
import dev.tabard.vc.Credential;
import dev.tabard.vc.DelegationChain;
import dev.tabard.vc.DelegationClaims;
import dev.tabard.vc.DelegationRegistration;
import dev.tabard.vc.ParentReference;
import dev.tabard.vc.di.DataIntegrity;
import dev.tabard.vc.jose.CompactJws;
import dev.tabard.vc.jose.JoseOptions;
import dev.tabard.vc.jose.VcJose;
import dev.tabard.vc.status.StatusPurpose;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Registers the delegation links an organization's agents make, so the organization can list and revoke them.
 *
 * <p>The request ({@link DelegationRegistration}) is signed by the delegating agent's own key — no admin token: the
 * agent proves it holds the authority it hands on. The issuer checks every proof, that it issued the root and it is current, that its registry still lets the
 * agent delegate, and that the link extends the chain; then it records the link with a revocation and a suspension
 * entry in its own lists and answers the link with those entries, for the agent to sign.
 */
public final class DelegationRegistrar {

    /** How old a registration request may be: it is made just before the link is signed. */
    public static final Duration REQUEST_FRESHNESS = Duration.ofMinutes(5);

    /**
     * Current registered links per agent (given by it or derived from its credentials): each takes two status entries,
     * so one agent cannot fill the organization's lists; an agent that needs more has its links expire first.
     */
    public static final int MAX_CURRENT_LINKS_PER_AGENT = 256;

    /** The clock difference tolerated between the agent and the issuer. */
    public static final Duration SKEW = Duration.ofSeconds(60);

    private final IssuerService service;
    private final IssuerStore store;
    private final DidResolver resolver;
    private final Clock clock;

    public DelegationRegistrar(IssuerService service, Clock clock) {
        this.service = Objects.requireNonNull(service, "service");
        this.store = service.store();
        this.resolver = service.localResolver();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Registers the link a request carries.
     *
     * @return the link with its {@code credentialStatus}, unsigned: the agent signs exactly this
     * @throws ProblemException {@code PROOF_VERIFICATION_ERROR}, {@code INVALID_VERIFICATION_METHOD_URL} for a request not
     *     signed by the delegator; {@code MALFORMED_VALUE_ERROR} (with a pointer) for a request or link of the wrong shape;
     *     {@code RANGE_ERROR} for a stale request; {@code NOT_GRANTED} for a root this issuer did not issue, that is no
     *     longer current, or of an agent its registry no longer lets delegate; {@code ALREADY_REGISTERED} for a link id
     *     registered before; the chain's own problems
     */
    public ObjectNode register(String requestJws) {
        CompactJws jws = CompactJws.parse(requestJws);
        if (!jws.typ().map(DelegationRegistration.TYPE::equals).orElse(false)) {
            throw malformed("/header/typ", "a registration request is a JWS of type " + DelegationRegistration.TYPE);
        }
        DidUrl kid = jws.kid().flatMap(DidUrl::tryParse).orElseThrow(() -> new ProblemException(
                ProblemType.INVALID_VERIFICATION_METHOD_URL, "the request's kid must be the delegating agent's DID URL"));
        VerificationMethod method = resolver.resolve(kid.did()).document().authorize(kid, Relationship.AUTHENTICATION);
        jws.verify(method.key());
        ObjectNode payload = jws.payloadJson();
        if (!service.did().toString().equals(payload.path("aud").asText(""))) {
            throw malformed("/aud", "the request must be addressed to this issuer, " + service.did());
        }
        Instant now = clock.instant();
        Instant iat = Timestamps.numericDate(payload, "iat").orElseThrow(() -> malformed("/iat", "the request needs iat"));
        if (iat.isAfter(now.plus(SKEW)) || iat.isBefore(now.minus(REQUEST_FRESHNESS))) {
            throw new ProblemException(Problem.at(ProblemType.RANGE_ERROR, "/iat", "the request was made at " + iat
                    + "; make a new one (requests are accepted for " + REQUEST_FRESHNESS.toMinutes() + " minutes)"));
        }
        ObjectNode draft = draft(payload.get("delegation"));
        DelegationClaims claims = DelegationClaims.from(Credential.of(draft));
        if (!claims.delegator().equals(kid.did())) {
            throw new ProblemException(Problem.at(ProblemType.LINK_ISSUER_MISMATCH, "/delegation/issuer",
                    "the link is issued by " + claims.delegator() + " but the request is signed by " + kid.did()));
        }
        DelegationChain.Path path = chain(payload.get("chain"), now);
        List<Problem> problems = DelegationChain.extend(path.steps(), claims, "/delegation");
        if (!problems.isEmpty()) {
            throw new ProblemException(problems);
        }
        Agent agent = store.agent(path.root().agent()).filter(Agent::active).orElseThrow(() -> new ProblemException(
                ProblemType.NOT_GRANTED, path.root().agent() + " is not an active agent of this organization"));
        if (!agent.delegation().allowed()) {
            throw new ProblemException(ProblemType.DELEGATION_NOT_ALLOWED, "this organization no longer lets " + agent.did() + " delegate");
        }
        long current = store.delegations(path.root().agent(), MAX_CURRENT_LINKS_PER_AGENT + 1).stream()
                .filter(d -> d.validUntil().isAfter(now)).count();
        if (current >= MAX_CURRENT_LINKS_PER_AGENT) {
            throw new ProblemException(ProblemType.CLIENT_LIMIT_EXCEEDED, path.root().agent() + " already has "
                    + MAX_CURRENT_LINKS_PER_AGENT + " current registered links; register more once some expire");
        }
        String id = claims.id().toString();
        if (store.credential(id).isPresent()) {
            throw new ProblemException(Problem.at(ProblemType.ALREADY_REGISTERED, "/delegation/id", id + " is registered already; "
                    + "a new link needs a new id"));
        }
        String rootId = path.steps().get(0).reference().orElseThrow().id().toString();
        RegisteredDelegation record = new RegisteredDelegation(id, claims.delegator(), claims.delegate(), rootId, path.root().agent(),
                claims.parent().id().toString(), claims.capabilities(), claims.task(), claims.validUntil(), now);
        ObjectNode details = JsonCodec.objectNode().put("delegator", claims.delegator().toString())
                .put("delegate", claims.delegate().toString()).put("root", rootId).put("parent", record.parent());
        IssuedCredential issued = store.registerDelegation(record, kid.toString(),
                new IssuerStore.Audit("agent:" + claims.delegator(), "delegation.register", id, JsonCodec.writeString(details)));
        ArrayNode status = draft.putArray("credentialStatus");
        status.add(AgentClaims.statusEntry(service.statusListUrl(issued.revocationList()), StatusPurpose.REVOCATION.value(),
                issued.revocationIndex()));
        status.add(AgentClaims.statusEntry(service.statusListUrl(issued.suspensionList()), StatusPurpose.SUSPENSION.value(),
                issued.suspensionIndex()));
        return draft;
    }

    private static ObjectNode draft(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw malformed("/delegation", "the request carries the unsigned link as delegation");
        }
        ObjectNode draft = (ObjectNode) node.deepCopy();
        if (draft.has("proof") || draft.has("credentialStatus")) {
            throw malformed("/delegation", "the link is sent unsigned and without credentialStatus: the issuer adds the status "
                    + "entries, then the agent signs");
        }
        return draft;
    }

    /** Verifies every credential of the chain the link extends, and walks it. */
    private DelegationChain.Path chain(JsonNode node, Instant now) {
        if (node == null || !node.isArray() || node.isEmpty() || node.size() > DelegationChain.MAX_LINKS) {
            throw malformed("/chain", "chain is this issuer's AgentCredential, then the links before this one: 1 to "
                    + DelegationChain.MAX_LINKS + " credentials");
        }
        List<DelegationChain.Carried> carried = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            carried.add(verified(node.get(i), "/chain/" + i, now));
        }
        Credential root = carried.get(0).credential();
        if (!root.issuer().id().toString().equals(service.did().toString())) {
            throw new ProblemException(Problem.at(ProblemType.NOT_GRANTED, "/chain/0/issuer",
                    "the chain starts with a credential of " + root.issuer().id() + ", not of this issuer"));
        }
        for (DelegationChain.Carried c : carried) {
            boolean mustBeRecorded = c == carried.get(0) || !c.credential().statuses().isEmpty();
            String id = c.credential().id().map(Object::toString).orElse("");
            if (mustBeRecorded && !service.active(id)) {
                throw new ProblemException(Problem.at(ProblemType.NOT_GRANTED, c.pointer(), id.isEmpty() ? "the credential has no id"
                        : id + " is not a current credential of this issuer: unknown, revoked or suspended"));
            }
        }
        return DelegationChain.walk(carried, DelegationChain.MAX_UNREGISTERED_LIFETIME);
    }

    private DelegationChain.Carried verified(JsonNode item, String pointer, Instant now) {
        Credential credential;
        ParentReference self;
        Did signer;
        if (item.isTextual()) {
            VcJose.VerifiedCredential v = VcJose.verifyCredential(item.asText(), resolver, JoseOptions.strict(clock, SKEW));
            credential = v.credential();
            signer = v.method().id().did();
            self = ParentReference.ofToken(credential.id().orElseThrow(() -> malformed(pointer + "/id", "a chain credential has an id")),
                    item.asText());
        } else if (item.isObject()) {
            List<DataIntegrity.VerifiedProof> proofs = DataIntegrity.verify((ObjectNode) item, resolver,
                    DataIntegrity.Expectations.assertion(clock), BundledContexts.standard());
            credential = Credential.of((ObjectNode) item);
            signer = proofs.get(0).method().id().did();
            self = ParentReference.ofDocument(credential.id().orElseThrow(() -> malformed(pointer + "/id", "a chain credential has an id")),
                    item);
        } else {
            throw malformed(pointer, "a chain credential is a vc+jwt string or a document with its proof");
        }
        if (!signer.toString().equals(credential.issuer().id().toString())) {
            throw new ProblemException(Problem.at(ProblemType.PROOF_VERIFICATION_ERROR, pointer + "/issuer",
                    "the credential is signed by " + signer + ", not by its issuer"));
        }
        if (credential.validUntil().isPresent() && !credential.validUntil().get().isAfter(now.minus(SKEW))) {
            throw new ProblemException(Problem.at(ProblemType.CREDENTIAL_EXPIRED, pointer + "/validUntil", "the credential expired at "
                    + credential.validUntil().get()));
        }
        if (credential.validFrom().isPresent() && credential.validFrom().get().isAfter(now.plus(SKEW))) {
            throw new ProblemException(Problem.at(ProblemType.CREDENTIAL_NOT_YET_VALID, pointer + "/validFrom", "the credential is valid from "
                    + credential.validFrom().get()));
        }
        return new DelegationChain.Carried(credential, java.util.Optional.of(self), pointer);
    }

    private static ProblemException malformed(String pointer, String detail) {
        return new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, pointer, detail));
    }
}
