package dev.tabard.issuer.keys;

import dev.tabard.audit.AuditKey;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeySealer;
import dev.tabard.crypto.KeyType;
import dev.tabard.issuer.store.IssuerStore;
import dev.tabard.problem.ProblemException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The org keys as this process sees them, for a store that several issuer instances may share. The key table is
 * read again when this instance changed it, and otherwise at most {@link #REFRESH} after the last read, so a rotation
 * made by another instance signs here within about a second. Private keys are unsealed on first need, also those
 * another instance created, and dropped once the store says the key is retired, so no instance signs with a key
 * another retired. Thread-safe.
 *
 * <p><b>Security.</b> Unsealed keys live only in this object; the store holds them sealed under the operator's
 * secret, bound to their key id ({@link OrgKeySealing#label}).
 */
public final class KeyRing {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(KeyRing.class);

    /** How stale this instance's view of the key table may get. */
    public static final Duration REFRESH = Duration.ofSeconds(1);

    private final IssuerStore store;
    private final Clock clock;
    private final SecureRandom random;
    private final char[] secret;
    private volatile KeySealer sealer;
    /** Unsealed keys by id and public key: two instances that raced to one id never share a private key by mistake. */
    private final Map<String, KeyPair> unsealed = new ConcurrentHashMap<>();
    private volatile View view;

    private record View(List<OrgKey> keys, long readAtNanos) {
    }

    public KeyRing(IssuerStore store, Clock clock, SecureRandom random, char[] secret, KeySealer sealer) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.secret = Objects.requireNonNull(secret, "secret");
        this.sealer = Objects.requireNonNull(sealer, "sealer");
    }

    /**
     * The ring of {@code store}'s keys, with the sealer its stored parameters name, or a new sealer whose parameters
     * are stored now (a new store).
     *
     * @throws ProblemException as {@link KeySealer#open(char[], String, SecureRandom)}
     */
    public static KeyRing open(IssuerStore store, Clock clock, SecureRandom random, char[] secret) {
        return new KeyRing(store, clock, random, secret, OrgKeySealing.openOrCreate(store, secret, random));
    }

    /** Every org key, retired ones included, as read at most {@link #REFRESH} ago or after this instance's last change. */
    public List<OrgKey> keys() {
        View v = view;
        if (v == null || System.nanoTime() - v.readAtNanos() >= REFRESH.toNanos()) {
            v = new View(List.copyOf(store.keys()), System.nanoTime());
            view = v;
            Set<String> live = v.keys().stream().filter(OrgKey::published).map(KeyRing::cacheKey).collect(Collectors.toSet());
            unsealed.keySet().retainAll(live);
        }
        return v.keys();
    }

    /** The key that signs {@code type} now, if this issuer has one. */
    public Optional<OrgKey> active(KeyType type) {
        return newestActive(keys(), type);
    }

    /** The newest active key of {@code type}: while a rotation is between its two writes, both keys are active. */
    static Optional<OrgKey> newestActive(List<OrgKey> keys, KeyType type) {
        return keys.stream().filter(k -> k.state() == OrgKey.State.ACTIVE && k.publicKey().type() == type)
                .max(java.util.Comparator.comparing(OrgKey::created).thenComparing(OrgKey::id));
    }

    /** Whether {@code id} names a key that is still in the DID document. */
    public boolean published(String id) {
        return keys().stream().anyMatch(k -> k.id().equals(id) && k.published());
    }

    /**
     * The private key of {@code key}, unsealed on first need.
     *
     * @throws IllegalStateException for a retired key
     * @throws ProblemException {@code UNAUTHORIZED} when the secret does not open it
     */
    public KeyPair pair(OrgKey key) {
        if (!key.published()) {
            throw new IllegalStateException("org key " + key.id() + " is retired and signs nothing");
        }
        return unsealed.computeIfAbsent(cacheKey(key), k -> unseal(key));
    }

    private KeyPair unseal(OrgKey key) {
        try {
            return KeyPair.fromPrivateKey(key.publicKey().type(), sealer.open(key.sealedPrivateKey(), OrgKeySealing.label(key.id())),
                    key.publicKey());
        } catch (ProblemException e) {
            // another instance may have re-sealed every key under new parameters since this one opened its sealer
            Optional<String> stored = store.meta("sealing");
            if (stored.isEmpty() || stored.get().equals(sealer.parameters())) {
                throw e;
            }
            sealer = KeySealer.open(secret, stored.get(), random);
            return KeyPair.fromPrivateKey(key.publicKey().type(), sealer.open(key.sealedPrivateKey(), OrgKeySealing.label(key.id())),
                    key.publicKey());
        }
    }

    private static String cacheKey(OrgKey key) {
        return key.id() + " " + key.publicKey().toMultibase();
    }

    /** Unseals every key that is not retired, so a wrong secret fails before anything is served. */
    public void openAll() {
        keys().stream().filter(OrgKey::published).forEach(this::pair);
    }

    /** The key that signs audit heads now: the active Ed25519 key. */
    public AuditKey auditKey() {
        OrgKey signing = active(KeyType.ED25519).orElseThrow(() -> new IllegalStateException("no active Ed25519 signing key"));
        return new AuditKey(signing.id(), pair(signing));
    }

    /** Moves a store sealed with scrypt to Argon2id, in one signed and audited transaction; nothing when it needs none. */
    public void upgradeSealing() {
        sealer = OrgKeySealing.upgrade(store, sealer, secret, random);
    }

    /** Key ids are {@code key-N} for Ed25519 and {@code p256-N} for P-256, never reused, so a kid names one key for good. */
    private static String idPrefix(KeyType type) {
        return type == KeyType.ED25519 ? "key-" : "p256-";
    }

    /** Makes, seals and stores a new key of {@code type} in {@code state}, audited as {@code action}. */
    public OrgKey create(KeyType type, OrgKey.State state, String actor, String action) {
        List<OrgKey> all = store.keys();
        int n = 1;
        while (true) {
            String candidate = idPrefix(type) + n;
            if (all.stream().noneMatch(k -> k.id().equals(candidate))) {
                break;
            }
            n++;
        }
        String id = idPrefix(type) + n;
        KeyPair key = KeyPair.generate(type, random);
        OrgKey k = new OrgKey(id, key.publicKey(), sealer.seal(key.unsafePrivateKeyBytes(), OrgKeySealing.label(id)), state,
                clock.instant(), Optional.empty());
        put(k, new IssuerStore.Audit(actor, action, id, JsonCodec.writeString(Map.of("type", type.name(), "state", state.name()))));
        unsealed.put(cacheKey(k), key);
        log.atInfo().setMessage("org key created").addKeyValue("event", action).addKeyValue("keyId", id)
                .addKeyValue("keyType", type.name()).addKeyValue("state", state.name()).log();
        return k;
    }

    /** Stores a key's new state and reads the table again on next use. */
    public void put(OrgKey key, IssuerStore.Audit audit) {
        store.putKey(key, audit);
        view = null;
    }
}
