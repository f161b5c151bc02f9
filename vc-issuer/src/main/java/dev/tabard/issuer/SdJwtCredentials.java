package dev.tabard.issuer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyType;
import dev.tabard.crypto.VerificationKey;
import dev.tabard.did.Did;
import dev.tabard.did.DidResolver;
import dev.tabard.did.DidResolvers;
import dev.tabard.did.jwk.JwkDidResolver;
import dev.tabard.did.key.KeyDidResolver;
import dev.tabard.did.Relationship;
import dev.tabard.did.VerificationMethod;
import dev.tabard.issuer.agents.Agent;
import dev.tabard.issuer.agents.AgentRegistry;
import dev.tabard.issuer.keys.OrgKeys;
import dev.tabard.issuer.keys.SigningKey;
import dev.tabard.issuer.status.TokenStatusLists;
import dev.tabard.issuer.store.IssuedCredential;
import dev.tabard.issuer.store.IssuerStore;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.sdjwt.ClaimPath;
import dev.tabard.sdjwt.SdJwt;
import dev.tabard.sdjwt.vc.AgentSdJwtVc;
import dev.tabard.sdjwt.vc.SdJwtVcIssuer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Issues AgentCredentials as SD-JWT VCs ({@code dc+sd-jwt}, {@code vct} {@value AgentSdJwtVc#VCT}): exactly what the
 * registry holds for a registered, active agent, with the operator's contact and the constraints the organization
 * marked private selectively disclosable, {@code cnf} bound to the agent's wallet key, and a {@code status} entry in
 * the issuer's Token Status List ({@link TokenStatusLists}). The credential is recorded and audited like every other,
 * so the admin API revokes, suspends and reinstates it and lists it with its format.
 */
public final class SdJwtCredentials {

    /** A signed SD-JWT VC (issuer-signed JWT and every disclosure, no key binding) and the issuer's record of it. */
    public record Issued(IssuedCredential record, SdJwt sdJwt) {
        public Issued {
            Objects.requireNonNull(record, "record");
            Objects.requireNonNull(sdJwt, "sdJwt");
        }
    }

    /** Decoy digests per credential, so the number of hidden claims does not tell which constraints are private. */
    static final int DECOYS = 3;

    private final IssuerStore store;
    private final IssuerConfig config;
    private final Clock clock;
    private final SecureRandom random;
    private final OrgKeys keys;
    private final AgentRegistry registry;
    private final TokenStatusLists lists;
    private final IssuerMetrics metrics;
    private final DidResolver agentKeys = DidResolvers.of(new KeyDidResolver(), new JwkDidResolver());

    public SdJwtCredentials(IssuerStore store, IssuerConfig config, Clock clock, SecureRandom random, OrgKeys keys,
                            AgentRegistry registry, TokenStatusLists lists, IssuerMetrics metrics) {
        this.store = Objects.requireNonNull(store, "store");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.lists = Objects.requireNonNull(lists, "lists");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    public TokenStatusLists statusLists() {
        return lists;
    }

    /**
     * Issues to the agent, bound to the key its DID names (a did:key or did:jwk): the admin API's direct issuance.
     *
     * @throws ProblemException {@code NOT_GRANTED} for an agent that is not registered or is deactivated;
     *     {@code MALFORMED_VALUE_ERROR} for an agent whose DID names no single key (a did:web agent gets its SD-JWT VC
     *     over OpenID4VCI, bound to the key its wallet proves)
     */
    public Issued issue(Did agentDid, String actor) {
        return measured(() -> {
            Agent agent = registry.grantFor(agentDid);
            if (!agentDid.method().equals("key") && !agentDid.method().equals("jwk")) {
                throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "an SD-JWT VC is bound to one key: " + agentDid
                        + " names none, so offer it over OpenID4VCI (POST /admin/agents/{did}/offer?format=dc+sd-jwt)");
            }
            List<VerificationMethod> vms = agentKeys.resolve(agentDid).document().methodsFor(Relationship.AUTHENTICATION);
            return issue(agent, vms.get(0).key(), actor);
        });
    }

    /**
     * Issues to the agent, bound to {@code holderKey} (the key its wallet proved possession of).
     *
     * @throws ProblemException {@code NOT_GRANTED} for an agent that is not registered or is deactivated
     */
    public Issued issue(Did agentDid, VerificationKey holderKey, String actor) {
        return measured(() -> issue(registry.grantFor(agentDid), holderKey, actor));
    }

    /** Runs one issuance, counting it and its latency under {@link IssuerMetrics#SD_JWT_FORMAT}, or its failure. */
    private Issued measured(Supplier<Issued> issuance) {
        long start = System.nanoTime();
        try {
            Issued out = issuance.get();
            metrics.sdJwtIssued(System.nanoTime() - start);
            return out;
        } catch (RuntimeException e) {
            metrics.issueFailed();
            throw e;
        }
    }

    private Issued issue(Agent agent, VerificationKey holderKey, String actor) {
        Objects.requireNonNull(holderKey, "holderKey");
        SigningKey key = keys.signing(KeyType.ED25519);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant until = now.plus(config.credentialValidity());
        String id = "urn:uuid:" + randomUuid();
        List<ClaimPath> disclosable = new ArrayList<>(AgentSdJwtVc.PRIVATE_BY_DEFAULT);
        agent.privateConstraints().stream().sorted().forEach(n -> disclosable.add(ClaimPath.of("constraints", n)));
        IssuerStore.Audit audit = new IssuerStore.Audit(actor, "credential.issue", id, auditDetails(id, agent, now, until, disclosable));
        IssuedCredential rec = store.issue(id, agent.did(), now, until, key.id(), IssuedCredential.SD_JWT_VC, audit);
        var claims = AgentSdJwtVc.claims(agent.claims(keys.did(), config.organizationName()));
        // constraints the agent does not have are not made disclosable: there is nothing to hide
        List<ClaimPath> present = disclosable.stream().filter(p -> has(claims, p)).toList();
        SdJwt sdJwt = SdJwtVcIssuer.builder(key.pair()).kid(key.joseKid().toString()).issuer(keys.did().toString())
                .vct(AgentSdJwtVc.VCT).claims(claims).disclosable(present).holderKey(holderKey).issuedAt(now)
                .expiresAt(until).status(lists.reference(rec)).decoys(DECOYS).random(random).issue();
        return new Issued(rec, sdJwt);
    }

    private static boolean has(JsonNode claims, ClaimPath path) {
        JsonNode n = claims;
        for (Object s : path.segments()) {
            n = n.path((String) s);
        }
        return !n.isMissingNode();
    }

    private static String auditDetails(String id, Agent agent, Instant from, Instant until, List<ClaimPath> disclosable) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", id);
        d.put("type", List.of(AgentSdJwtVc.VCT));
        d.put("agent", agent.did().toString());
        d.put("validFrom", from.toString());
        d.put("validUntil", until.toString());
        d.put("format", IssuedCredential.SD_JWT_VC);
        d.put("disclosable", disclosable.stream().map(ClaimPath::toString).toList());
        d.put("status", List.of("token-status-list"));
        return JsonCodec.writeString(d);
    }

    /** An RFC 9562 version 4 UUID from this service's {@code SecureRandom}. */
    private UUID randomUuid() {
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }
}
