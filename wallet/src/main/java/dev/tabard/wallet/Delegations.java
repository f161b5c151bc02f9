package dev.tabard.wallet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.Signer;
import dev.tabard.did.Did;
import dev.tabard.did.DidUrl;
import dev.tabard.didweb.DidWebUrls;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.AgentClaims;
import dev.tabard.vc.Credential;
import dev.tabard.vc.DelegationChain;
import dev.tabard.vc.DelegationClaims;
import dev.tabard.vc.DelegationRegistration;
import dev.tabard.vc.ParentReference;
import dev.tabard.vc.jose.CompactJws;
import dev.tabard.vc.jose.VcJose;
import dev.tabard.verifier.AgentIdentity;
import dev.tabard.verifier.VerificationResult;
import dev.tabard.verifier.Verifier;
import dev.tabard.wallet.delegation.DelegationRequest;
import dev.tabard.wallet.oid4vci.IssuanceClient;
import dev.tabard.wallet.store.CredentialQuery;
import dev.tabard.wallet.store.HeldDelegation;
import dev.tabard.wallet.store.StoredCredential;
import dev.tabard.wallet.store.WalletStore;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The wallet's delegations: links it signs for other agents (on top of its own AgentCredential or a chain it was
 * given), chains it receives, and the chain it presents when a request needs authority it holds only by delegation.
 * A chain travels as {@code {"delegationChain": [vc+jwt, …]}}, the organization's AgentCredential first.
 */
final class Delegations {

    private final WalletStore store;
    private final Signer key;
    private final Did did;
    private final DidUrl keyId;
    private final Verifier verifier;
    private final IssuanceClient issuance;
    private final Clock clock;

    Delegations(WalletStore store, Signer key, Did did, DidUrl keyId, Verifier verifier, IssuanceClient issuance, Clock clock) {
        this.store = store;
        this.key = key;
        this.did = did;
        this.keyId = keyId;
        this.verifier = verifier;
        this.issuance = issuance;
        this.clock = clock;
    }

    HeldDelegation delegate(DelegationRequest request) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        List<String> parentChain = parentChain(request.capabilities(), now);
        String parentToken = parentChain.get(parentChain.size() - 1);
        Credential parent = parse(parentToken);
        DelegationChain.Path path = DelegationChain.walk(carried(parentChain), DelegationChain.MAX_UNREGISTERED_LIFETIME);
        Instant until = now.plus(request.lifetime());
        if (parent.validUntil().isPresent() && until.isAfter(parent.validUntil().get())) {
            until = parent.validUntil().get(); // a link never outlives what it derives from
        }
        if (request.registration() == HeldDelegation.Registration.SHORT_LIVED
                && until.isAfter(now.plus(DelegationChain.MAX_UNREGISTERED_LIFETIME))) {
            throw new ProblemException(ProblemType.LIFETIME_TOO_LONG, "a link the organization has not registered lives at most "
                    + DelegationChain.MAX_UNREGISTERED_LIFETIME.toMinutes() + " minutes: shorten it, or register it (--register)");
        }
        AgentClaims.Constraints held = path.steps().get(path.steps().size() - 1).grant().constraints();
        AgentClaims.Constraints constraints = new AgentClaims.Constraints(
                request.maxTransactionValue().or(held::maxTransactionValue),
                request.dataRegions().isEmpty() ? held.dataRegions() : request.dataRegions(), "{}");
        DelegationClaims claims = new DelegationClaims(URI.create("urn:uuid:" + UUID.randomUUID()), did, request.delegate(),
                request.capabilities(), constraints, request.furtherDepth() > 0 ? new AgentClaims.Delegation(true, request.furtherDepth())
                : AgentClaims.Delegation.none(), request.task(), ParentReference.ofToken(parent.id().orElseThrow(), parentToken), now, until);
        List<Problem> problems = DelegationChain.extend(path.steps(), claims, "/delegation");
        if (!problems.isEmpty()) {
            throw new ProblemException(problems);
        }
        ObjectNode document = claims.credential(List.of());
        if (request.registration() == HeldDelegation.Registration.REGISTERED) {
            Did organization = path.root().organization();
            List<JsonNode> chain = parentChain.stream().map(t -> (JsonNode) TextNode.valueOf(t)).toList();
            document = issuance.registerDelegation(issuerUrl(organization),
                    DelegationRegistration.request(key, keyId, organization, document, chain, clock.instant()));
        }
        String link = VcJose.secureCredential(document, key, keyId, now);
        List<String> chain = new ArrayList<>(parentChain);
        chain.add(link);
        HeldDelegation given = new HeldDelegation(claims.id().toString(), HeldDelegation.Direction.GIVEN, request.delegate(), chain,
                claims.capabilities(), until, request.registration());
        store.putDelegation(given, now);
        return given;
    }

    /**
     * Receives a chain handed to this wallet: verified now (every proof, the chain, the organization's trust, statuses)
     * for this wallet's DID as its last delegate, then stored.
     *
     * @throws ProblemException with the verification's problems
     */
    HeldDelegation receive(String handover) {
        JsonNode chainJson = JsonCodec.parseObject(handover.getBytes(StandardCharsets.UTF_8)).get("delegationChain");
        if (chainJson == null || !chainJson.isArray()) {
            throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/delegationChain",
                    "a delegation is handed over as {\"delegationChain\": [vc+jwt, …]}, the organization's AgentCredential first"));
        }
        List<String> chain = new ArrayList<>();
        for (int i = 0; i < chainJson.size(); i++) {
            if (!chainJson.get(i).isTextual()) {
                throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/delegationChain/" + i, "each credential is a vc+jwt"));
            }
            chain.add(chainJson.get(i).asText());
        }
        VerificationResult r = verifier.verifyDelegationChain(did, chain);
        if (!r.verified()) {
            throw new ProblemException(r.errors());
        }
        AgentIdentity agent = r.agent().orElseThrow();
        Credential link = parse(chain.get(chain.size() - 1));
        HeldDelegation received = new HeldDelegation(link.id().orElseThrow().toString(), HeldDelegation.Direction.RECEIVED,
                Did.parse(link.issuer().id().toString()), chain, agent.capabilities(), agent.validUntil().orElseThrow(),
                link.statuses().isEmpty() ? HeldDelegation.Registration.SHORT_LIVED : HeldDelegation.Registration.REGISTERED);
        store.putDelegation(received, clock.instant());
        return received;
    }

    /** A received chain that grants {@code capabilities} now, for a presentation: verified again before it is offered. */
    Optional<HeldDelegation> heldFor(Set<String> capabilities, Instant now) {
        for (HeldDelegation d : store.delegations(HeldDelegation.Direction.RECEIVED)) {
            if (d.validAt(now) && d.capabilities().containsAll(capabilities) && verifier.verifyDelegationChain(did, d.chain()).verified()) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** What to hand the delegate: the chain, the organization's AgentCredential first. */
    static String handover(HeldDelegation d) {
        ObjectNode o = JsonCodec.objectNode();
        ArrayNode chain = o.putArray("delegationChain");
        d.chain().forEach(chain::add);
        return JsonCodec.writeString(o);
    }

    /** The chain this wallet's authority for {@code capabilities} comes from: its own AgentCredential, else a chain it holds. */
    private List<String> parentChain(Set<String> capabilities, Instant now) {
        for (StoredCredential c : store.query(CredentialQuery.all().withTypes(Set.of(AgentClaims.CREDENTIAL_TYPE))
                .withCapabilities(capabilities).validAt(now))) {
            return List.of(c.token());
        }
        return heldFor(capabilities, now).map(HeldDelegation::chain).orElseThrow(() -> new ProblemException(ProblemType.MISSING_CAPABILITY,
                "this wallet holds no valid AgentCredential or delegation granting " + capabilities + " to hand on"));
    }

    private static List<DelegationChain.Carried> carried(List<String> chain) {
        List<DelegationChain.Carried> out = new ArrayList<>();
        for (int i = 0; i < chain.size(); i++) {
            Credential c = parse(chain.get(i));
            String token = chain.get(i);
            out.add(new DelegationChain.Carried(c, c.id().map(id -> ParentReference.ofToken(id, token)), "/delegationChain/" + i));
        }
        return out;
    }

    /** A credential this wallet holds, already verified when it was stored. */
    private static Credential parse(String vcJwt) {
        return Credential.of(CompactJws.parse(vcJwt).payloadJson());
    }

    /** The https URL of a did:web issuer: where it registers delegations. */
    static String issuerUrl(Did issuer) {
        if (!issuer.method().equals("web")) {
            throw new ProblemException(ProblemType.METHOD_NOT_SUPPORTED, "links are registered with a did:web issuer, not " + issuer);
        }
        String url = DidWebUrls.toUrl(issuer).toString();
        return url.replaceFirst("/\\.well-known/did\\.json$", "").replaceFirst("/did\\.json$", "");
    }
}
