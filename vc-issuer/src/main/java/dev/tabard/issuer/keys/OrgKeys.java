package dev.tabard.issuer.keys;

import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.DidDocument;
import dev.tabard.did.DidDocumentBuilder;
import dev.tabard.did.DidResolver;
import dev.tabard.did.DidResolvers;
import dev.tabard.did.DidUrl;
import dev.tabard.did.Relationship;
import dev.tabard.did.ResolutionResult;
import dev.tabard.did.VerificationMethod;
import dev.tabard.did.jwk.JwkDidResolver;
import dev.tabard.did.key.KeyDidResolver;
import dev.tabard.did.key.KeyDids;
import dev.tabard.issuer.store.IssuerStore;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The organization's keys and DID document: staged rotation (publish, activate, retire once expired), the key that
 * signs each key type, and the document that publishes them. Rotations run under the store's cross-instance lock
 * ({@link IssuerStore#bootstrapping}), so two instances never give one key id to two keys or activate two keys of one
 * type; every other instance signs with the new key within {@link KeyRing#REFRESH}.
 */
public final class OrgKeys {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(OrgKeys.class);

    private final IssuerStore store;
    private final KeyRing ring;
    private final Did did;
    private final Clock clock;
    private final Duration maxCredentialLifetime;

    /**
     * @param maxCredentialLifetime the longest any credential an active key signed may live: a deprecated key stays
     *     published that long
     */
    public OrgKeys(IssuerStore store, KeyRing ring, Did did, Clock clock, Duration maxCredentialLifetime) {
        this.store = Objects.requireNonNull(store, "store");
        this.ring = Objects.requireNonNull(ring, "ring");
        this.did = Objects.requireNonNull(did, "did");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxCredentialLifetime = Objects.requireNonNull(maxCredentialLifetime, "maxCredentialLifetime");
    }

    public Did did() {
        return did;
    }

    /** Every org key, retired ones included, as the store holds them now. */
    public List<OrgKey> all() {
        return store.keys();
    }

    /**
     * Stage 1 of a rotation: a new key of {@code type} is made and published in the DID document, but does not sign
     * yet, so verifiers' cached documents learn it before any credential needs it.
     *
     * @throws ProblemException {@code FORBIDDEN} for a did:key issuer, whose DID is its one key, or a P-256 key
     *     on an issuer without one
     */
    public OrgKey add(KeyType type, String actor) {
        Objects.requireNonNull(type, "type");
        requireRotatable();
        return store.bootstrapping(() -> {
            if (type == KeyType.P256 && activeIn(store.keys(), KeyType.P256).isEmpty()) {
                throw new ProblemException(ProblemType.FORBIDDEN, "this issuer has no P-256 key to rotate; start it with p256: true");
            }
            return ring.create(type, OrgKey.State.PUBLISHED, actor, "key.publish");
        });
    }

    /**
     * Stage 2: {@code id} signs from now on; the previous signing key stays published until every credential it
     * signed has expired (the longest lifetime from now), then {@link #retireExpired} drops it.
     *
     * @throws ProblemException {@code RESOURCE_NOT_FOUND} for an unknown key; {@code FORBIDDEN} unless the key is published
     */
    public void activate(String id, String actor) {
        store.bootstrapping(() -> {
            List<OrgKey> keys = store.keys();
            OrgKey next = keys.stream().filter(k -> k.id().equals(id)).findFirst()
                    .orElseThrow(() -> new ProblemException(ProblemType.RESOURCE_NOT_FOUND, "no key " + id
                            + "; GET /admin/keys lists this issuer's keys"));
            if (next.state() != OrgKey.State.PUBLISHED) {
                throw new ProblemException(ProblemType.FORBIDDEN, "only a published key can start signing; " + id + " is " + next.state());
            }
            requireRotatable();
            Instant retireAfter = clock.instant().plus(maxCredentialLifetime);
            OrgKey old = activeIn(keys, next.publicKey().type())
                    .orElseThrow(() -> new IllegalStateException("no active key of " + next.publicKey().type()));
            // the new key signs before the old stops, so no instance reading between the two finds no signing key
            ring.put(new OrgKey(next.id(), next.publicKey(), next.sealedPrivateKey(), OrgKey.State.ACTIVE, next.created(), Optional.empty()),
                    new IssuerStore.Audit(actor, "key.activate", next.id(), "{}"));
            ring.put(new OrgKey(old.id(), old.publicKey(), old.sealedPrivateKey(), OrgKey.State.DEPRECATED, old.created(),
                    Optional.of(retireAfter)), new IssuerStore.Audit(actor, "key.deprecate", old.id(), "{}"));
            log.atInfo().setMessage("org key rotated").addKeyValue("event", "key.activate").addKeyValue("keyId", id)
                    .addKeyValue("deprecated", old.id()).addKeyValue("retireAfter", retireAfter.toString()).log();
            return null;
        });
    }

    /** Stage 3: deprecated keys whose credentials have all expired leave the DID document. */
    public List<String> retireExpired(String actor) {
        return store.bootstrapping(() -> {
            List<String> retired = new ArrayList<>();
            Instant now = clock.instant();
            for (OrgKey k : store.keys()) {
                if (k.state() == OrgKey.State.DEPRECATED && k.retireAfter().map(now::isAfter).orElse(false)) {
                    ring.put(new OrgKey(k.id(), k.publicKey(), k.sealedPrivateKey(), OrgKey.State.RETIRED, k.created(), k.retireAfter()),
                            new IssuerStore.Audit(actor, "key.retire", k.id(), "{}"));
                    retired.add(k.id());
                    log.atInfo().setMessage("org key retired").addKeyValue("event", "key.retire").addKeyValue("keyId", k.id()).log();
                }
            }
            return retired;
        });
    }

    private void requireRotatable() {
        if (did.method().equals("key")) {
            throw new ProblemException(ProblemType.FORBIDDEN, "a did:key issuer cannot rotate: its DID is its key");
        }
    }

    private static Optional<OrgKey> activeIn(List<OrgKey> keys, KeyType type) {
        return KeyRing.newestActive(keys, type);
    }

    /** Whether this issuer has an active key of {@code type} (a P-256 key only with {@code p256: true}). */
    public boolean canSign(KeyType type) {
        return ring.active(type).isPresent();
    }

    /**
     * The key that signs {@code type} now, with the ids its proofs name.
     *
     * @throws ProblemException {@code ALGORITHM_NOT_ALLOWED} when this issuer has no active key of {@code type}
     */
    public SigningKey signing(KeyType type) {
        OrgKey key = ring.active(type).orElseThrow(() -> new ProblemException(ProblemType.ALGORITHM_NOT_ALLOWED,
                "this issuer has no " + type + " key; start it with p256: true to issue ES256, ecdsa-rdfc-2019 and ecdsa-jcs-2019"));
        return new SigningKey(key.id(), ring.pair(key), joseKid(key), multikeyVm(key));
    }

    /** Whether {@code id} still names a key in the DID document: what a cached signature by it needs. */
    public boolean published(String id) {
        return ring.published(id);
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
        for (OrgKey k : ring.keys()) {
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
     * This issuer's own DID, resolved from its own document, and agents' did:key and did:jwk DIDs: what checking a
     * credential this issuer signed, presented or extended by its agents, needs, with no network. A did:key issuer
     * shares its method with its agents, so the two are told apart by DID, not by method.
     */
    public DidResolver localResolver() {
        DidResolver agents = DidResolvers.of(new KeyDidResolver(), new JwkDidResolver());
        return new DidResolver() {
            @Override
            public boolean supports(String method) {
                return method.equals(did.method()) || agents.supports(method);
            }

            @Override
            public ResolutionResult resolve(Did d) {
                if (!d.equals(did)) {
                    return agents.resolve(d);
                }
                return new ResolutionResult(did.method().equals("key") ? KeyDidResolver.document(d) : DidDocument.parse(didDocument(), d),
                        ResolutionResult.Metadata.local(clock.instant()));
            }
        };
    }
}
