package dev.tabard.issuer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.did.Did;
import dev.tabard.issuer.agents.Agent;
import dev.tabard.issuer.agents.AgentGrants;
import dev.tabard.issuer.agents.AgentRegistry;
import dev.tabard.issuer.keys.OrgKeys;
import dev.tabard.issuer.keys.SigningKey;
import dev.tabard.issuer.status.StatusLists;
import dev.tabard.issuer.store.IssuedCredential;
import dev.tabard.issuer.store.IssuerStore;
import dev.tabard.jsonld.BundledContexts;
import dev.tabard.jsonld.Rdfc;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.AgentClaims;
import dev.tabard.vc.Credential;
import dev.tabard.vc.di.DataIntegrity;
import dev.tabard.vc.di.ProofOptions;
import dev.tabard.vc.jose.EnvelopedCredential;
import dev.tabard.vc.jose.VcJose;
import dev.tabard.vc.status.StatusPurpose;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Signs credentials. Every credential the issuer signs, on every route (the admin API, the VC-API and OpenID4VCI),
 * passes through {@link #sign}, which holds the rules: an AgentCredential only for a registered, active agent and
 * within its grant ({@link AgentGrants}), always with the issuer's revocation and suspension entries; no delegation;
 * dates within {@link ValidityBounds}; status entries only from the issuer; one audit entry per credential.
 *
 * <p>Status list credentials are the one thing the issuer signs elsewhere ({@link StatusLists#published}):
 * they live five minutes, are re-signed from the audited status changes when fetched after that, and auditing each
 * signing would let unauthenticated reads write to the audit log.
 */
public final class CredentialIssuer {

    /** Where the credential is in a VC-API request, for problem pointers. */
    private static final String POINTER = "/credential";

    /** An issued AgentCredential: its record and the secured form (a vc+jwt, or a document with a Data Integrity proof). */
    public record Issued(IssuedCredential record, String vcJwt, Optional<ObjectNode> dataIntegrity) {
    }

    /** What a signing produced: the issuer's record when the credential has status entries, and its secured form. */
    private record Signed(String id, Optional<IssuedCredential> record, Optional<String> vcJwt, Optional<ObjectNode> dataIntegrity) {
    }

    private final IssuerStore store;
    private final IssuerConfig config;
    private final Clock clock;
    private final SecureRandom random;
    private final Did did;
    private final AgentRegistry registry;
    private final IssuerMetrics metrics;
    private final OrgKeys keys;
    private final StatusLists statusLists;

    public CredentialIssuer(IssuerStore store, IssuerConfig config, Clock clock, SecureRandom random, OrgKeys keys, AgentRegistry registry,
                            StatusLists statusLists, IssuerMetrics metrics) {
        this.store = Objects.requireNonNull(store, "store");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.did = keys.did();
        this.registry = Objects.requireNonNull(registry, "registry");
        this.statusLists = Objects.requireNonNull(statusLists, "statusLists");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** Whether this issuer has an active key for {@code format} (a P-256 key only with {@code p256: true}). */
    public boolean canSign(IssuanceFormat format) {
        return keys.canSign(format.keyType());
    }

    /**
     * Issues an AgentCredential carrying exactly what the registry holds for the agent, valid one credential validity
     * from now, with revocation and suspension entries.
     *
     * @throws ProblemException {@code NOT_GRANTED} for an agent that is not registered or is deactivated
     */
    public Issued issue(Did agentDid, IssuanceFormat format, String actor) {
        Signed s = measured(format, () -> {
            Agent agent = registry.grantFor(agentDid);
            Instant now = now();
            ObjectNode vc = agent.claims(did, config.organizationName()).credential(URI.create("urn:uuid:" + randomUuid()), now,
                    now.plus(config.credentialValidity()), List.of());
            return sign(vc, format, Set.of(), actor, BundledContexts.standard(), IssuanceMode.BOUNDED, false);
        });
        return new Issued(s.record().orElseThrow(), s.vcJwt().orElse(""), s.dataIntegrity());
    }

    /**
     * Issues a caller-supplied credential (W3C VC-API {@code /credentials/issue}): the issuer becomes this org, an id
     * and {@code validFrom} (VC 1.1: {@code issuanceDate}) are added when missing, and one status entry per purpose in
     * {@code statuses} (an object for one, an array for two). VC 1.1 input asked for as a vc+jwt gets the RDFC suite of
     * the same key instead ({@link IssuanceFormat#forVc11}), and is counted as such. Whatever the format, the document
     * must pass the data model and safe JSON-LD processing over {@code contexts} first, so nothing is signed that a
     * verifier would read differently. In {@link IssuanceMode#BOUNDED} the dates stay within {@link ValidityBounds}
     * (the end date is added when missing), a caller-written {@code credentialStatus} is refused, and an
     * AgentCredential is signed only within the registry's grant, always with both status entries. Every credential
     * signed is audited.
     *
     * @throws ProblemException {@code MALFORMED_VALUE_ERROR} (with a pointer) for a credential that breaks the data
     *     model, names another issuer or carries its own {@code credentialStatus}; {@code RANGE_ERROR} for a start date
     *     away from now and {@code LIFETIME_TOO_LONG} for one valid too long; {@code NOT_GRANTED} for an AgentCredential
     *     beyond the registry's grant, any delegation, and any AgentCredential in the open mode;
     *     {@code DATA_LOSS_DETECTION_ERROR}, {@code PROOF_TRANSFORMATION_ERROR} for one that JSON-LD processing would
     *     change or cannot process
     */
    public ObjectNode issueDocument(ObjectNode input, IssuanceFormat format, Set<StatusPurpose> statuses, String actor,
                             BundledContexts contexts, IssuanceMode mode) {
        IssuanceFormat secured = version(input) == Credential.Version.V1_1 ? format.forVc11() : format;
        CredentialKind.allowedIn(mode, input, POINTER); // before anything else about the body is read
        Signed s = measured(secured, () -> sign(complete(input, mode), secured, statuses, actor, contexts, mode, true));
        return s.dataIntegrity().orElseGet(() -> EnvelopedCredential.of(s.vcJwt().orElseThrow()));
    }

    /** Runs one issuance, counting it and its latency, or its failure. */
    private <T> T measured(IssuanceFormat format, Supplier<T> issuance) {
        long start = System.nanoTime();
        try {
            T out = issuance.get();
            metrics.issued(format, System.nanoTime() - start);
            return out;
        } catch (RuntimeException e) {
            metrics.issueFailed();
            throw e;
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    /** The data-model check of the document to sign, with pointers into the request ({@code /credential/...}). */
    private static Credential parseCallerDocument(ObjectNode vc) {
        try {
            return Credential.of(vc);
        } catch (ProblemException e) {
            Problem p = e.problem();
            throw new ProblemException(p.pointer().map(ptr -> Problem.at(p.type(), POINTER + ptr, p.detail())).orElse(p));
        }
    }

    private static Credential.Version version(ObjectNode vc) {
        JsonNode context = vc.path("@context");
        return BundledContexts.CREDENTIALS_V1.equals(context.isArray() ? context.path(0).asText() : context.asText())
                ? Credential.Version.V1_1 : Credential.Version.V2_0;
    }

    /**
     * The caller's document as the issuer signs it: the issuer is this org, an id and the start date (VC 1.1:
     * {@code issuanceDate}) are added when missing, and VC 1.1 gets the Data Integrity context. In the bounded mode the
     * end date is added when missing, and a {@code credentialStatus} the caller wrote is refused.
     */
    private ObjectNode complete(ObjectNode input, IssuanceMode mode) {
        ObjectNode vc = input.deepCopy();
        Credential.Version version = version(vc);
        JsonNode issuer = vc.get("issuer");
        JsonNode idNode = issuer != null && issuer.isObject() ? issuer.get("id") : issuer;
        if (idNode != null && !idNode.isTextual()) {
            // VC DM 2.0 §4.7: the issuer is a URL or an object whose id is one; a null is not "absent"
            throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, POINTER + "/issuer" + (issuer.isObject() ? "/id" : ""),
                    "the issuer is a URL, or an object whose id is one"));
        }
        if (idNode != null && !idNode.asText().equals(did.toString())) {
            throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, POINTER + "/issuer",
                    "this service issues as " + did + ", not " + idNode.asText()));
        }
        if (mode == IssuanceMode.BOUNDED && vc.has("credentialStatus")) {
            throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, POINTER + "/credentialStatus",
                    "status entries come from this issuer: leave credentialStatus out and ask for entries with "
                            + "options.credentialStatus: {\"type\": \"BitstringStatusListEntry\"}"));
        }
        if (issuer == null) {
            vc.put("issuer", did.toString());
        } else if (issuer.isObject()) {
            ((ObjectNode) issuer).put("id", did.toString());
        }
        Instant now = now();
        if (!vc.has("id")) {
            vc.put("id", "urn:uuid:" + randomUuid());
        }
        String from = version == Credential.Version.V1_1 ? "issuanceDate" : "validFrom";
        String until = version == Credential.Version.V1_1 ? "expirationDate" : "validUntil";
        if (!vc.has(from)) {
            vc.put(from, now.toString());
        }
        if (mode == IssuanceMode.BOUNDED && !vc.has(until)) {
            vc.put(until, now.plus(config.credentialValidity()).toString());
        }
        if (version == Credential.Version.V1_1) {
            // the VC 1.1 context does not define the proof's terms; Data Integrity §2.1 adds its own context
            if (!vc.path("@context").isArray()) {
                vc.putArray("@context").add(BundledContexts.CREDENTIALS_V1);
            }
            ArrayNode ctx = (ArrayNode) vc.get("@context");
            boolean present = false;
            for (JsonNode c : ctx) {
                present |= BundledContexts.DATA_INTEGRITY_V2.equals(c.asText());
            }
            if (!present) {
                ctx.add(BundledContexts.DATA_INTEGRITY_V2);
            }
        }
        return vc;
    }

    /**
     * The one way to sign: checks what the credential grants and how long, records it (with status entries when it
     * has or needs them) and its audit entry, and secures it. A caller's document must pass the data model and safe
     * JSON-LD processing over {@code contexts} first, with status entries of the shape the issuer adds, so nothing is
     * recorded or signed that a verifier would read differently.
     */
    private Signed sign(ObjectNode vc, IssuanceFormat format, Set<StatusPurpose> requested, String actor, BundledContexts contexts,
                        IssuanceMode mode, boolean callerDocument) {
        CredentialKind kind = CredentialKind.allowedIn(mode, vc, POINTER);
        Credential parsed = parseCallerDocument(vc);
        Set<StatusPurpose> statuses = requested;
        Duration maxLifetime = ValidityBounds.MAX_LIFETIME;
        Optional<Did> agent = Optional.empty();
        switch (kind) {
            case DELEGATION -> throw new ProblemException(Problem.at(ProblemType.NOT_GRANTED, POINTER + "/type", "this issuer signs no "
                    + "delegation: an agent delegates with its own wallet key, within what its AgentCredential grants"));
            case AGENT -> {
                AgentClaims claims = AgentGrants.claims(parsed, POINTER);
                AgentGrants.requireWithin(claims, registry.grantFor(claims.agent()), config.organizationName(), POINTER);
                statuses = EnumSet.of(StatusPurpose.REVOCATION, StatusPurpose.SUSPENSION);
                maxLifetime = config.credentialValidity();
                agent = Optional.of(claims.agent());
            }
            case PLAIN -> {
                // signed as asked, within the bounds of the mode
            }
        }
        Instant now = now();
        if (mode == IssuanceMode.BOUNDED) {
            ValidityBounds.check(parsed, now, maxLifetime, POINTER);
        }
        SigningKey key = keys.signing(format.keyType());
        String id = parsed.id().orElseThrow().toString();
        if (callerDocument) {
            ObjectNode probe = vc.deepCopy();
            probe.remove("proof");
            addStatus(probe, statuses, 0, 0, 0, 0);
            Rdfc.canonicalize(probe, contexts);
        }
        IssuerStore.Audit audit = new IssuerStore.Audit(actor, "credential.issue", id, auditDetails(parsed, format, statuses, agent));
        Optional<IssuedCredential> record = Optional.empty();
        if (!statuses.isEmpty()) {
            if (store.credential(id).isPresent()) {
                // the id names the credential in status updates, so it must name one
                throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, POINTER + "/id",
                        "a credential with id " + id + " was already issued; leave the id out and the issuer makes a fresh one"));
            }
            Did subject = agent.orElseGet(() -> parsed.subjects().get(0).id().flatMap(Did::tryParse).orElse(did));
            IssuedCredential rec = store.issue(id, subject, now, parsed.validUntil().orElse(now.plus(Duration.ofDays(3650))), key.id(), audit);
            addStatus(vc, statuses, rec.revocationList(), rec.revocationIndex(), rec.suspensionList(), rec.suspensionIndex());
            record = Optional.of(rec);
        }
        Signed signed;
        if (format.dataIntegrity()) {
            signed = new Signed(id, record, Optional.empty(), Optional.of(DataIntegrity.sign(vc, key.pair(),
                    ProofOptions.assertion(format.cryptosuite(), key.multikeyVm(), now), contexts)));
        } else {
            signed = new Signed(id, record, Optional.of(VcJose.secureCredential(vc, key.pair(), key.joseKid(), now)), Optional.empty());
        }
        if (record.isEmpty()) {
            store.record(audit);
        }
        return signed;
    }

    private static String auditDetails(Credential c, IssuanceFormat format, Set<StatusPurpose> statuses, Optional<Did> agent) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", c.id().orElseThrow().toString());
        d.put("type", c.types());
        agent.ifPresent(a -> d.put("agent", a.toString()));
        c.validFrom().ifPresent(v -> d.put("validFrom", v.toString()));
        c.validUntil().ifPresent(v -> d.put("validUntil", v.toString()));
        d.put("format", format.name());
        d.put("status", statuses.stream().map(StatusPurpose::value).sorted().toList());
        return JsonCodec.writeString(d);
    }

    /** One status entry per purpose: an object for one, an array for two. */
    private void addStatus(ObjectNode vc, Set<StatusPurpose> statuses, int revocationList, long revocationIndex, int suspensionList,
                           long suspensionIndex) {
        List<ObjectNode> entries = new ArrayList<>();
        if (statuses.contains(StatusPurpose.REVOCATION)) {
            entries.add(AgentClaims.statusEntry(statusLists.url(revocationList), StatusPurpose.REVOCATION.value(), revocationIndex));
        }
        if (statuses.contains(StatusPurpose.SUSPENSION)) {
            entries.add(AgentClaims.statusEntry(statusLists.url(suspensionList), StatusPurpose.SUSPENSION.value(), suspensionIndex));
        }
        if (entries.size() == 1) {
            vc.set("credentialStatus", entries.get(0));
        } else if (entries.size() == 2) {
            vc.putArray("credentialStatus").addAll(entries);
        }
    }

    /** An RFC 9562 version 4 UUID from this service's {@code SecureRandom}: random bits with the version and variant set. */
    private UUID randomUuid() {
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }
}
