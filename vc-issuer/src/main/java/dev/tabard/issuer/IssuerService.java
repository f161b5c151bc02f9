package dev.tabard.issuer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.Base64Url;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeySealer;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.DidDocumentBuilder;
import dev.tabard.did.DidUrl;
import dev.tabard.did.Relationship;
import dev.tabard.did.VerificationMethod;
import dev.tabard.did.key.KeyDids;
import dev.tabard.didweb.DidWebUrls;
import dev.tabard.issuer.agents.Agent;
import dev.tabard.issuer.keys.OrgKey;
import dev.tabard.issuer.status.StatusListRecord;
import dev.tabard.issuer.store.IssuedCredential;
import dev.tabard.issuer.store.IssuerStore;
import dev.tabard.jsonld.BundledContexts;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.AgentClaims;
import dev.tabard.vc.di.DataIntegrity;
import dev.tabard.vc.di.ProofOptions;
import dev.tabard.vc.jose.VcJose;
import dev.tabard.vc.status.StatusListCredentials;
import dev.tabard.vc.status.StatusPurpose;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The organization's issuer: its DID and keys, its agents, the AgentCredentials it issues and their status.
 * Thread-safe; state lives in the {@link IssuerStore}.
 */
public final class IssuerService {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(IssuerService.class);

    /** How long a signed status list credential is valid; clients re-fetch well within it. */
    public static final Duration STATUS_LIST_VALIDITY = Duration.ofMinutes(5);

    private final IssuerStore store;
    private final IssuerConfig config;
    private final Clock clock;
    private final SecureRandom random;
    private final KeySealer sealer;
    private final Did did;
    private final Map<String, KeyPair> signers = new ConcurrentHashMap<>();
    private final Map<Integer, SignedList> signedLists = new ConcurrentHashMap<>();
    private volatile Optional<String> firstAdminToken = Optional.empty();
    private final IssuerMetrics metrics = new IssuerMetrics();

    private record SignedList(long version, Instant validUntil, String token) {
    }

    /** Held only here, and copied on the way out: the node is mutable. */
    private record SignedDocument(long version, Instant validUntil, ObjectNode document) {
    }

    private final Map<Integer, SignedDocument> signedDocuments = new ConcurrentHashMap<>();

    public IssuerService(IssuerStore store, IssuerConfig config, Clock clock, SecureRandom random) {
        this.store = Objects.requireNonNull(store, "store");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        Optional<String> params = store.meta("sealing");
        if (params.isEmpty()) {
            this.sealer = KeySealer.create(config.secret(), random);
            store.putMeta("sealing", sealer.parameters(), null);
        } else {
            this.sealer = KeySealer.open(config.secret(), params.get(), random);
        }
        if (store.keys().stream().noneMatch(k -> k.publicKey().type() == KeyType.ED25519)) {
            createKey(KeyType.ED25519, OrgKey.State.ACTIVE, "system", "key.create");
        }
        for (OrgKey k : store.keys()) {
            if (k.state() != OrgKey.State.RETIRED) {
                // a wrong secret fails here, before anything is served
                signers.put(k.id(), KeyPair.fromPrivateKey(k.publicKey().type(), sealer.open(k.sealedPrivateKey(), "org-key " + k.id()),
                        k.publicKey()));
            }
        }
        // every audited change from here on is signed by the active Ed25519 key, and the bootstrap entries with it
        store.signAuditHeadsWith(() -> {
            OrgKey signing = activeKey();
            return new dev.tabard.issuer.audit.AuditKey(signing.id(), signers.get(signing.id()));
        });
        Optional<String> storedDid = store.meta("did");
        if (storedDid.isPresent()) {
            this.did = Did.parse(storedDid.get());
        } else {
            this.did = config.didMethod().equals("key") ? KeyDids.of(activeKey().publicKey()) : DidWebUrls.fromUrl(config.publicUrl());
            store.putMeta("did", did.toString(), new IssuerStore.Audit("system", "org.create", did.toString(), "{}"));
        }
        if (config.p256() && store.keys().stream().noneMatch(k -> k.publicKey().type() == KeyType.P256 && k.published())) {
            if (!did.method().equals("web")) {
                throw new IllegalArgumentException("a P-256 key needs did:web; this store's DID is " + did);
            }
            // made on the first start that asks for one; it signs only what a request selects ES256 or ecdsa-rdfc-2019 for
            createKey(KeyType.P256, OrgKey.State.ACTIVE, "system", "key.create");
        }
        if (store.meta("admin-bootstrapped").isEmpty()) {
            String token = config.adminToken().orElseGet(() -> {
                byte[] b = new byte[32];
                random.nextBytes(b);
                return "tabard_" + Base64Url.encode(b);
            });
            store.putAdminToken("bootstrap", tokenHash(token), "admin", new IssuerStore.Audit("system", "admin.token.create", "bootstrap", "{}"));
            store.putMeta("admin-bootstrapped", "true", null);
            if (config.adminToken().isEmpty()) {
                firstAdminToken = Optional.of(token);
            }
        }
    }

    public Did did() {
        return did;
    }

    public IssuerStore store() {
        return store;
    }

    public IssuerMetrics metrics() {
        return metrics;
    }

    /** Runs one issuance, counting it and its latency, or its failure. */
    private <T> T measured(IssuanceFormat format, java.util.function.Supplier<T> issuance) {
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

    /** The admin token generated on first start, to show once; empty otherwise. */
    public Optional<String> firstAdminToken() {
        return firstAdminToken;
    }

    public static String tokenHash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The signing key of each type; read from the store once, since keys change only through rotation here. */
    private final Map<KeyType, OrgKey> active = new ConcurrentHashMap<>();

    private OrgKey activeKey() {
        return activeKey(KeyType.ED25519).orElseThrow(() -> new IllegalStateException("no active Ed25519 signing key"));
    }

    private Optional<OrgKey> activeKey(KeyType type) {
        OrgKey k = active.get(type);
        if (k == null) {
            k = store.keys().stream().filter(x -> x.state() == OrgKey.State.ACTIVE && x.publicKey().type() == type).findFirst().orElse(null);
            if (k != null) {
                active.put(type, k);
            }
        }
        return Optional.ofNullable(k);
    }

    /** Key ids are {@code key-N} for Ed25519 and {@code p256-N} for P-256, never reused, so a kid names one key for good. */
    private static String idPrefix(KeyType type) {
        return type == KeyType.ED25519 ? "key-" : "p256-";
    }

    private OrgKey createKey(KeyType type, OrgKey.State state, String actor, String action) {
        List<OrgKey> keys = store.keys();
        int n = 1;
        while (true) {
            String candidate = idPrefix(type) + n;
            if (keys.stream().noneMatch(k -> k.id().equals(candidate))) {
                break;
            }
            n++;
        }
        String id = idPrefix(type) + n;
        KeyPair key = KeyPair.generate(type, random);
        OrgKey k = new OrgKey(id, key.publicKey(), sealer.seal(key.unsafePrivateKeyBytes(), "org-key " + id), state, clock.instant(),
                Optional.empty());
        store.putKey(k, new IssuerStore.Audit(actor, action, id, JsonCodec.writeString(Map.of("type", type.name(), "state", state.name()))));
        signers.put(id, key);
        log.atInfo().setMessage("org key created").addKeyValue("event", action).addKeyValue("keyId", id)
                .addKeyValue("keyType", type.name()).addKeyValue("state", state.name()).log();
        return k;
    }

    /**
     * Stage 1 of a rotation: a new key of {@code type} is made and published in the DID document, but does not sign
     * yet, so verifiers' cached documents learn it before any credential needs it.
     *
     * @throws ProblemException {@code FORBIDDEN} for a did:key issuer, whose DID is its one key, or a P-256 key
     *     on an issuer without one
     */
    public synchronized OrgKey addKey(KeyType type, String actor) {
        Objects.requireNonNull(type, "type");
        if (did.method().equals("key")) {
            throw new ProblemException(ProblemType.FORBIDDEN, "a did:key issuer cannot rotate: its DID is its key");
        }
        if (type == KeyType.P256 && activeKey(KeyType.P256).isEmpty()) {
            throw new ProblemException(ProblemType.FORBIDDEN, "this issuer has no P-256 key to rotate; start it with p256: true");
        }
        return createKey(type, OrgKey.State.PUBLISHED, actor, "key.publish");
    }

    /**
     * Stage 2: {@code id} signs from now on; the previous signing key stays published until every credential it
     * signed has expired (one credential validity from now), then {@link #retireExpiredKeys} drops it.
     *
     * @throws ProblemException {@code NOT_FOUND} for an unknown key; {@code FORBIDDEN} unless the key is published
     */
    public synchronized void activateKey(String id, String actor) {
        OrgKey next = store.keys().stream().filter(k -> k.id().equals(id)).findFirst()
                .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "no key " + id));
        if (next.state() != OrgKey.State.PUBLISHED) {
            throw new ProblemException(ProblemType.FORBIDDEN, "only a published key can start signing; " + id + " is " + next.state());
        }
        if (did.method().equals("key")) {
            throw new ProblemException(ProblemType.FORBIDDEN, "a did:key issuer cannot rotate: its DID is its key");
        }
        OrgKey old = activeKey(next.publicKey().type()).orElseThrow(() -> new IllegalStateException("no active key of " + next.publicKey().type()));
        store.putKey(new OrgKey(old.id(), old.publicKey(), old.sealedPrivateKey(), OrgKey.State.DEPRECATED, old.created(),
                Optional.of(clock.instant().plus(config.credentialValidity()))), new IssuerStore.Audit(actor, "key.deprecate", old.id(), "{}"));
        store.putKey(new OrgKey(next.id(), next.publicKey(), next.sealedPrivateKey(), OrgKey.State.ACTIVE, next.created(), Optional.empty()),
                new IssuerStore.Audit(actor, "key.activate", next.id(), "{}"));
        active.clear();
        signedLists.clear();
        signedDocuments.clear();
        log.atInfo().setMessage("org key rotated").addKeyValue("event", "key.activate").addKeyValue("keyId", id)
                .addKeyValue("deprecated", old.id()).addKeyValue("retireAfter", clock.instant().plus(config.credentialValidity()).toString()).log();
    }

    /** Stage 3: deprecated keys whose credentials have all expired leave the DID document. */
    public synchronized List<String> retireExpiredKeys(String actor) {
        List<String> retired = new java.util.ArrayList<>();
        Instant now = clock.instant();
        for (OrgKey k : store.keys()) {
            if (k.state() == OrgKey.State.DEPRECATED && k.retireAfter().map(now::isAfter).orElse(false)) {
                store.putKey(new OrgKey(k.id(), k.publicKey(), k.sealedPrivateKey(), OrgKey.State.RETIRED, k.created(), k.retireAfter()),
                        new IssuerStore.Audit(actor, "key.retire", k.id(), "{}"));
                signers.remove(k.id());
                retired.add(k.id());
                log.atInfo().setMessage("org key retired").addKeyValue("event", "key.retire").addKeyValue("keyId", k.id()).log();
            }
        }
        return retired;
    }

    public List<OrgKey> keys() {
        return store.keys();
    }

    /** The JOSE key id of an org key: a JsonWebKey method in a did:web document, the did:key method otherwise. */
    public DidUrl joseKid(OrgKey key) {
        return did.method().equals("key") ? KeyDids.methodId(key.publicKey()) : did.withFragment(key.id());
    }

    private DidUrl multikeyVm(OrgKey key) {
        return did.method().equals("key") ? KeyDids.methodId(key.publicKey()) : did.withFragment(key.id() + "-multikey");
    }

    /** The org's DID document (for did:web): each published key as JsonWebKey (for VC-JOSE) and as Multikey (for Data Integrity). */
    public byte[] didDocument() {
        DidDocumentBuilder b = DidDocumentBuilder.forDid(did);
        for (OrgKey k : store.keys()) {
            if (k.published()) {
                b.method(new VerificationMethod(did.withFragment(k.id()), did, k.publicKey(), VerificationMethod.JSON_WEB_KEY),
                        Relationship.ASSERTION_METHOD);
                b.method(new VerificationMethod(did.withFragment(k.id() + "-multikey"), did, k.publicKey(), VerificationMethod.MULTIKEY),
                        Relationship.ASSERTION_METHOD);
            }
        }
        return b.toJson();
    }

    /** Registers or updates an agent. */
    public Agent putAgent(Agent agent, String actor) {
        Instant now = clock.instant();
        Agent stored = store.agent(agent.did()).map(old -> new Agent(agent.did(), agent.name(), agent.operator(), agent.capabilities(),
                agent.constraints(), agent.delegation(), agent.active(), old.created(), now))
                .orElse(new Agent(agent.did(), agent.name(), agent.operator(), agent.capabilities(), agent.constraints(),
                        agent.delegation(), agent.active(), now, now));
        store.putAgent(stored, new IssuerStore.Audit(actor, "agent.put", agent.did().toString(),
                JsonCodec.writeString(Map.of("name", agent.name(), "active", agent.active()))));
        return stored;
    }

    /** Whether this issuer has an active key for {@code format} (a P-256 key only with {@code p256: true}). */
    public boolean canSign(IssuanceFormat format) {
        return activeKey(format.keyType()).isPresent();
    }

    /** The active key for a format. */
    private OrgKey signingKey(IssuanceFormat format) {
        return activeKey(format.keyType()).orElseThrow(() -> new ProblemException(ProblemType.ALGORITHM_NOT_ALLOWED,
                "this issuer has no " + format.keyType() + " key; start it with p256: true to issue ES256, ecdsa-rdfc-2019 and ecdsa-jcs-2019"));
    }

    /** An issued credential: the secured form and its record. */
    public record Issued(IssuedCredential record, String vcJwt, Optional<ObjectNode> dataIntegrity) {
    }

    /**
     * Issues an AgentCredential to a registered, active agent.
     *
     * @throws ProblemException {@code NOT_FOUND} for an unknown agent; {@code FORBIDDEN} for a deactivated one
     */
    public Issued issue(Did agentDid, IssuanceFormat format, String actor) {
        return measured(format, () -> issueAgentCredential(agentDid, format, actor));
    }

    private Issued issueAgentCredential(Did agentDid, IssuanceFormat format, String actor) {
        Agent agent = store.agent(agentDid).orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "no agent " + agentDid));
        if (!agent.active()) {
            throw new ProblemException(ProblemType.FORBIDDEN, "agent " + agentDid + " is deactivated");
        }
        OrgKey key = signingKey(format);
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Instant until = now.plus(config.credentialValidity());
        String id = "urn:uuid:" + randomUuid();
        IssuedCredential rec = store.issue(id, agentDid, now, until, key.id(), new IssuerStore.Audit(actor, "credential.issue", id,
                JsonCodec.writeString(Map.of("agent", agentDid.toString(), "format", format.name(), "validUntil", until.toString()))));
        ObjectNode vc = agent.claims(did, config.organizationName()).credential(URI.create(id), now, until, List.of(
                AgentClaims.statusEntry(statusListUrl(rec.revocationList()), StatusPurpose.REVOCATION.value(), rec.revocationIndex()),
                AgentClaims.statusEntry(statusListUrl(rec.suspensionList()), StatusPurpose.SUSPENSION.value(), rec.suspensionIndex())));
        KeyPair signer = signers.get(key.id());
        if (format.dataIntegrity()) {
            ObjectNode di = DataIntegrity.sign(vc, signer, ProofOptions.assertion(format.cryptosuite(), multikeyVm(key), now),
                    BundledContexts.standard());
            return new Issued(rec, "", Optional.of(di));
        }
        return new Issued(rec, VcJose.secureCredential(vc, signer, joseKid(key), now), Optional.empty());
    }

    /**
     * Issues a caller-supplied credential (W3C VC-API {@code /credentials/issue}): the issuer becomes this org,
     * an id and {@code validFrom} (VC 1.1: {@code issuanceDate}) are added when missing, and one status entry per
     * purpose in {@code statuses} (an object for one, an array for two). VC 1.1 input asked for as a vc+jwt gets
     * the RDFC suite of the same key instead ({@link IssuanceFormat#forVc11}), and is counted as such. Whatever the format, the document must pass the data
     * model and safe JSON-LD processing over {@code contexts} first, so nothing is signed that a verifier would
     * read differently.
     *
     * @throws ProblemException {@code MALFORMED_VALUE_ERROR} (with a pointer) for a credential that breaks the data
     *     model or names another issuer; {@code DATA_LOSS_DETECTION_ERROR}, {@code PROOF_TRANSFORMATION_ERROR} for one
     *     that JSON-LD processing would change or cannot process
     */
    public ObjectNode issueDocument(ObjectNode input, IssuanceFormat format, java.util.Set<StatusPurpose> statuses, String actor,
                                    BundledContexts contexts) {
        IssuanceFormat secured = version(input) == dev.tabard.vc.Credential.Version.V1_1 ? format.forVc11() : format;
        return measured(secured, () -> secureDocument(input, secured, statuses, actor, contexts));
    }

    private static dev.tabard.vc.Credential.Version version(ObjectNode vc) {
        com.fasterxml.jackson.databind.JsonNode context = vc.path("@context");
        return BundledContexts.CREDENTIALS_V1.equals(context.isArray() ? context.path(0).asText() : context.asText())
                ? dev.tabard.vc.Credential.Version.V1_1 : dev.tabard.vc.Credential.Version.V2_0;
    }

    private ObjectNode secureDocument(ObjectNode input, IssuanceFormat format, java.util.Set<StatusPurpose> statuses, String actor,
                                      BundledContexts contexts) {
        ObjectNode vc = input.deepCopy();
        com.fasterxml.jackson.databind.JsonNode context = vc.path("@context");
        dev.tabard.vc.Credential.Version version = version(vc);
        com.fasterxml.jackson.databind.JsonNode issuer = vc.get("issuer");
        com.fasterxml.jackson.databind.JsonNode idNode = issuer != null && issuer.isObject() ? issuer.get("id") : issuer;
        if (idNode != null && !idNode.isTextual()) {
            // VC DM 2.0 §4.7: the issuer is a URL or an object whose id is one; a null is not "absent"
            throw new ProblemException(dev.tabard.problem.Problem.at(ProblemType.MALFORMED_VALUE_ERROR,
                    "/credential/issuer" + (issuer.isObject() ? "/id" : ""), "the issuer is a URL, or an object whose id is one"));
        }
        String issuerId = idNode == null ? null : idNode.asText();
        if (issuerId != null && !issuerId.equals(did.toString())) {
            throw new ProblemException(dev.tabard.problem.Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/credential/issuer",
                    "this service issues as " + did + ", not " + issuerId));
        }
        if (issuer == null) {
            vc.put("issuer", did.toString());
        } else if (issuer.isObject()) {
            ((ObjectNode) issuer).put("id", did.toString());
        }
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        if (!vc.has("id")) {
            vc.put("id", "urn:uuid:" + randomUuid());
        }
        if (version == dev.tabard.vc.Credential.Version.V2_0 && !vc.has("validFrom")) {
            vc.put("validFrom", now.toString());
        }
        if (version == dev.tabard.vc.Credential.Version.V1_1 && !vc.has("issuanceDate")) {
            vc.put("issuanceDate", now.toString());
        }
        if (version == dev.tabard.vc.Credential.Version.V1_1) {
            // the VC 1.1 context does not define the proof's terms; Data Integrity §2.1 adds its own context
            if (!context.isArray()) {
                vc.putArray("@context").add(BundledContexts.CREDENTIALS_V1);
            }
            com.fasterxml.jackson.databind.node.ArrayNode ctx = (com.fasterxml.jackson.databind.node.ArrayNode) vc.get("@context");
            boolean present = false;
            for (com.fasterxml.jackson.databind.JsonNode c : ctx) {
                present |= BundledContexts.DATA_INTEGRITY_V2.equals(c.asText());
            }
            if (!present) {
                ctx.add(BundledContexts.DATA_INTEGRITY_V2);
            }
        }
        dev.tabard.vc.Credential parsed = dev.tabard.vc.Credential.of(vc);
        OrgKey key = signingKey(format);
        if (!statuses.isEmpty()) {
            if (store.credential(parsed.id().orElseThrow().toString()).isPresent()) {
                // the id names the credential in status updates, so it must name one
                throw new ProblemException(dev.tabard.problem.Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/credential/id",
                        "a credential with id " + parsed.id().get() + " was already issued"));
            }
            Did subject = parsed.subjects().get(0).id().flatMap(Did::tryParse).orElse(did);
            IssuedCredential rec = store.issue(parsed.id().orElseThrow().toString(), subject, now,
                    parsed.validUntil().orElse(now.plus(Duration.ofDays(3650))), key.id(),
                    new IssuerStore.Audit(actor, "credential.issue", parsed.id().orElseThrow().toString(), "{\"via\":\"vc-api\"}"));
            List<ObjectNode> entries = new java.util.ArrayList<>();
            if (statuses.contains(StatusPurpose.REVOCATION)) {
                entries.add(AgentClaims.statusEntry(statusListUrl(rec.revocationList()), StatusPurpose.REVOCATION.value(),
                        rec.revocationIndex()));
            }
            if (statuses.contains(StatusPurpose.SUSPENSION)) {
                entries.add(AgentClaims.statusEntry(statusListUrl(rec.suspensionList()), StatusPurpose.SUSPENSION.value(),
                        rec.suspensionIndex()));
            }
            if (entries.size() == 1) {
                vc.set("credentialStatus", entries.get(0));
            } else {
                vc.putArray("credentialStatus").addAll(entries);
            }
            parsed = dev.tabard.vc.Credential.of(vc);
        }
        ObjectNode unsecured = vc.deepCopy();
        unsecured.remove("proof");
        dev.tabard.jsonld.Rdfc.canonicalize(unsecured, contexts);
        KeyPair signer = signers.get(key.id());
        if (format.dataIntegrity()) {
            return DataIntegrity.sign(vc, signer, ProofOptions.assertion(format.cryptosuite(), multikeyVm(key), now), contexts);
        }
        return dev.tabard.vc.jose.EnvelopedCredential.of(VcJose.secureCredential(vc, signer, joseKid(key), now));
    }

    /** An RFC 9562 version 4 UUID from this service's {@code SecureRandom}: random bits with the version and variant set. */
    private UUID randomUuid() {
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }

    /** Whether a credential this issuer recorded is neither revoked nor suspended. */
    public boolean active(String credentialId) {
        Optional<IssuedCredential> c = store.credential(credentialId);
        if (c.isEmpty()) {
            return false;
        }
        int rev = store.statusList(c.get().revocationList()).orElseThrow().bits().get(c.get().revocationIndex());
        int sus = store.statusList(c.get().suspensionList()).orElseThrow().bits().get(c.get().suspensionIndex());
        return rev == 0 && sus == 0;
    }

    public URI statusListUrl(int listId) {
        String base = config.publicUrl().toString().replaceAll("/+$", "");
        return URI.create(base + "/status/" + listId);
    }

    /** Revokes, suspends or reinstates (clears suspension of) a credential. */
    public void setStatus(String credentialId, StatusPurpose purpose, boolean set, String actor) {
        if (purpose != StatusPurpose.REVOCATION && purpose != StatusPurpose.SUSPENSION) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "only revocation and suspension are set here");
        }
        if (purpose == StatusPurpose.REVOCATION && !set) {
            throw new ProblemException(ProblemType.FORBIDDEN, "a revocation is final");
        }
        String action = set ? (purpose == StatusPurpose.REVOCATION ? "revoke" : "suspend") : "reinstate";
        store.setStatus(credentialId, purpose, set, new IssuerStore.Audit(actor, "credential." + action, credentialId, "{}"));
        metrics.statusChanged(action);
    }

    /**
     * The status list credential as a JSON document with an eddsa-rdfc-2022 proof, for clients that ask for JSON
     * (the W3C status list suite dereferences lists as JSON-LD). Made again, like the vc+jwt form, only when the list
     * changed or the last one is near expiry.
     */
    public Optional<ObjectNode> statusListDocument(int listId) {
        Optional<StatusListRecord> rec = store.statusList(listId);
        if (rec.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        SignedDocument cached = signedDocuments.get(listId);
        if (cached != null && cached.version() == rec.get().version() && now.plus(STATUS_LIST_VALIDITY.dividedBy(2)).isBefore(cached.validUntil())) {
            return Optional.of(cached.document().deepCopy());
        }
        OrgKey key = activeKey();
        Instant from = now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Instant until = from.plus(STATUS_LIST_VALIDITY);
        ObjectNode vc = StatusListCredentials.credential(statusListUrl(listId), did.toString(), rec.get().purpose(), rec.get().bits(), from, until);
        ObjectNode signed = DataIntegrity.sign(vc, signers.get(key.id()), ProofOptions.assertion("eddsa-rdfc-2022", multikeyVm(key), from),
                BundledContexts.standard());
        signedDocuments.put(listId, new SignedDocument(rec.get().version(), until, signed));
        return Optional.of(signed.deepCopy());
    }

    /** The signed status list credential, made again only when the list changed or the last one is near expiry. */
    public Optional<String> statusListCredential(int listId) {
        Optional<StatusListRecord> rec = store.statusList(listId);
        if (rec.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        SignedList cached = signedLists.get(listId);
        if (cached != null && cached.version() == rec.get().version() && now.plus(STATUS_LIST_VALIDITY.dividedBy(2)).isBefore(cached.validUntil())) {
            return Optional.of(cached.token());
        }
        OrgKey key = activeKey();
        Instant from = now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Instant until = from.plus(STATUS_LIST_VALIDITY);
        ObjectNode vc = StatusListCredentials.credential(statusListUrl(listId), did.toString(), rec.get().purpose(), rec.get().bits(), from, until);
        String token = VcJose.secureCredential(vc, signers.get(key.id()), joseKid(key), from);
        signedLists.put(listId, new SignedList(rec.get().version(), until, token));
        return Optional.of(token);
    }
}
