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
import dev.tabard.issuer.agents.AgentRegistry;
import dev.tabard.issuer.keys.OrgKey;
import dev.tabard.issuer.status.StatusListRecord;
import dev.tabard.issuer.store.IssuedCredential;
import dev.tabard.issuer.store.IssuerStore;
import dev.tabard.jsonld.BundledContexts;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
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
    /** Set twice at most, both times in the constructor: a store sealed with scrypt is moved to Argon2id on open. */
    private volatile KeySealer sealer;
    private final Did did;
    private final Map<String, KeyPair> signers = new ConcurrentHashMap<>();
    private final Map<Integer, SignedList> signedLists = new ConcurrentHashMap<>();
    private volatile Optional<String> firstAdminToken = Optional.empty();
    private final IssuerMetrics metrics = new IssuerMetrics();
    private final AgentRegistry registry;
    private final CredentialIssuer issuer;

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
        this.sealer = OrgKeySealing.openOrCreate(store, config.secret(), random);
        if (store.keys().stream().noneMatch(k -> k.publicKey().type() == KeyType.ED25519)) {
            createKey(KeyType.ED25519, OrgKey.State.ACTIVE, "system", "key.create");
        }
        for (OrgKey k : store.keys()) {
            if (k.state() != OrgKey.State.RETIRED) {
                // a wrong secret fails here, before anything is served
                signers.put(k.id(), KeyPair.fromPrivateKey(k.publicKey().type(),
                        sealer.open(k.sealedPrivateKey(), OrgKeySealing.label(k.id())), k.publicKey()));
            }
        }
        // every audited change from here on is signed by the active Ed25519 key, and the bootstrap entries with it
        store.signAuditHeadsWith(() -> {
            OrgKey signing = activeKey();
            return new dev.tabard.audit.AuditKey(signing.id(), signers.get(signing.id()));
        });
        // a store sealed with scrypt moves to Argon2id here, in one signed and audited transaction
        this.sealer = OrgKeySealing.upgrade(store, sealer, config.secret(), random);
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
        this.registry = new AgentRegistry(store, clock);
        this.issuer = new CredentialIssuer(store, config, clock, random, did, registry, metrics, this::signingKey, this::statusListUrl);
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
        OrgKey k = new OrgKey(id, key.publicKey(), sealer.seal(key.unsafePrivateKeyBytes(), OrgKeySealing.label(id)), state,
                clock.instant(), Optional.empty());
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
     * signed has expired ({@link ValidityBounds#MAX_LIFETIME} from now, the longest any credential it signed may
     * live), then {@link #retireExpiredKeys} drops it.
     *
     * @throws ProblemException {@code RESOURCE_NOT_FOUND} for an unknown key; {@code FORBIDDEN} unless the key is published
     */
    public synchronized void activateKey(String id, String actor) {
        OrgKey next = store.keys().stream().filter(k -> k.id().equals(id)).findFirst()
                .orElseThrow(() -> new ProblemException(ProblemType.RESOURCE_NOT_FOUND, "no key " + id
                        + "; GET /admin/keys lists this issuer's keys"));
        if (next.state() != OrgKey.State.PUBLISHED) {
            throw new ProblemException(ProblemType.FORBIDDEN, "only a published key can start signing; " + id + " is " + next.state());
        }
        if (did.method().equals("key")) {
            throw new ProblemException(ProblemType.FORBIDDEN, "a did:key issuer cannot rotate: its DID is its key");
        }
        // a VC-API credential signed just before may live this long (an AgentCredential at most 30 days, less)
        Instant retireAfter = clock.instant().plus(ValidityBounds.MAX_LIFETIME);
        OrgKey old = activeKey(next.publicKey().type()).orElseThrow(() -> new IllegalStateException("no active key of " + next.publicKey().type()));
        store.putKey(new OrgKey(old.id(), old.publicKey(), old.sealedPrivateKey(), OrgKey.State.DEPRECATED, old.created(),
                Optional.of(retireAfter)), new IssuerStore.Audit(actor, "key.deprecate", old.id(), "{}"));
        store.putKey(new OrgKey(next.id(), next.publicKey(), next.sealedPrivateKey(), OrgKey.State.ACTIVE, next.created(), Optional.empty()),
                new IssuerStore.Audit(actor, "key.activate", next.id(), "{}"));
        active.clear();
        signedLists.clear();
        signedDocuments.clear();
        log.atInfo().setMessage("org key rotated").addKeyValue("event", "key.activate").addKeyValue("keyId", id)
                .addKeyValue("deprecated", old.id()).addKeyValue("retireAfter", retireAfter.toString()).log();
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

    /**
     * Registers or updates an agent.
     *
     * @throws ProblemException {@code INVALID_DID} for an active agent whose DID a verifier would refuse
     */
    public Agent putAgent(Agent agent, String actor) {
        return registry.put(agent, actor);
    }

    /** Whether this issuer has an active key for {@code format} (a P-256 key only with {@code p256: true}). */
    public boolean canSign(IssuanceFormat format) {
        return activeKey(format.keyType()).isPresent();
    }

    /** The active key for a format, with the ids its proofs name. */
    private CredentialIssuer.SigningKey signingKey(IssuanceFormat format) {
        OrgKey key = activeKey(format.keyType()).orElseThrow(() -> new ProblemException(ProblemType.ALGORITHM_NOT_ALLOWED,
                "this issuer has no " + format.keyType() + " key; start it with p256: true to issue ES256, ecdsa-rdfc-2019 and ecdsa-jcs-2019"));
        return new CredentialIssuer.SigningKey(key.id(), signers.get(key.id()), joseKid(key), multikeyVm(key));
    }

    /** An issued credential: the secured form and its record. */
    public record Issued(IssuedCredential record, String vcJwt, Optional<ObjectNode> dataIntegrity) {
    }

    /**
     * Issues an AgentCredential carrying what the registry holds for the agent, with revocation and suspension entries.
     *
     * @throws ProblemException {@code NOT_GRANTED} for an agent that is not registered or is deactivated
     */
    public Issued issue(Did agentDid, IssuanceFormat format, String actor) {
        CredentialIssuer.Signed s = issuer.issueAgentCredential(agentDid, format, actor);
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
    public ObjectNode issueDocument(ObjectNode input, IssuanceFormat format, java.util.Set<StatusPurpose> statuses, String actor,
                                    BundledContexts contexts, IssuanceMode mode) {
        return issuer.issueDocument(input, format, statuses, actor, contexts, mode);
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

    /**
     * This issuer's own DID, resolved from its own document, and agents' did:key and did:jwk DIDs: what checking a
     * credential this issuer signed, presented or extended by its agents, needs, with no network. A did:key issuer
     * shares its method with its agents, so the two are told apart by DID, not by method.
     */
    public dev.tabard.did.DidResolver localResolver() {
        dev.tabard.did.DidResolver agents = dev.tabard.did.DidResolvers.of(new dev.tabard.did.key.KeyDidResolver(),
                new dev.tabard.did.jwk.JwkDidResolver());
        return new dev.tabard.did.DidResolver() {
            @Override
            public boolean supports(String method) {
                return method.equals(did.method()) || agents.supports(method);
            }

            @Override
            public dev.tabard.did.ResolutionResult resolve(Did d) {
                if (!d.equals(did)) {
                    return agents.resolve(d);
                }
                return new dev.tabard.did.ResolutionResult(did.method().equals("key")
                        ? dev.tabard.did.key.KeyDidResolver.document(d) : dev.tabard.did.DidDocument.parse(didDocument(), d),
                        dev.tabard.did.ResolutionResult.Metadata.local(clock.instant()));
            }
        };
    }
}
