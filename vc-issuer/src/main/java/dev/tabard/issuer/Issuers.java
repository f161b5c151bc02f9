package dev.tabard.issuer;

import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.key.KeyDids;
import dev.tabard.didweb.DidWebUrls;
import dev.tabard.issuer.agents.AgentRegistry;
import dev.tabard.issuer.keys.KeyRing;
import dev.tabard.issuer.keys.OrgKey;
import dev.tabard.issuer.keys.OrgKeys;
import dev.tabard.issuer.status.StatusLists;
import dev.tabard.issuer.store.IssuerStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * Opens an issuer on a store. The first start's work (the key sealer, the first keys, the DID, the first admin token)
 * and every later start's checks run inside {@link IssuerStore#bootstrapping}, so instances started at once on one
 * empty store make one organization; the parts it wires only hold what they are given.
 *
 * <pre>{@code
 * IssuerService issuer = Issuers.open(store, config, Clock.systemUTC(), new SecureRandom());
 * issuer.firstAdminToken().ifPresent(t -> System.out.println("admin token: " + t));
 * }</pre>
 */
public final class Issuers {

    private Issuers() {
    }

    private record Opened(KeyRing ring, Did did, Optional<String> firstAdminToken) {
    }

    /**
     * Opens the issuer {@code store} holds, making its keys, DID and first admin token when it holds none.
     *
     * @throws dev.tabard.problem.ProblemException {@code UNAUTHORIZED} when {@code config.secret()} does not open the
     *     stored keys
     * @throws IllegalStateException when the store's organization has a did:web other than {@code config.publicUrl()}
     *     gives, or when its audit log was altered
     * @throws IllegalArgumentException when a P-256 key is asked of a did:key organization
     */
    public static IssuerService open(IssuerStore store, IssuerConfig config, Clock clock, SecureRandom random) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        Opened o = store.bootstrapping(() -> bootstrap(store, config, clock, random));
        IssuerMetrics metrics = new IssuerMetrics();
        OrgKeys keys = new OrgKeys(store, o.ring(), o.did(), clock, ValidityBounds.MAX_LIFETIME);
        AgentRegistry agents = new AgentRegistry(store, clock);
        StatusLists statusLists = new StatusLists(store, keys, config.publicUrl(), clock, metrics::statusChanged);
        CredentialIssuer issuer = new CredentialIssuer(store, config, clock, random, keys, agents, statusLists, metrics);
        return new IssuerService(store, keys, agents, issuer, statusLists, metrics, o.firstAdminToken());
    }

    private static Opened bootstrap(IssuerStore store, IssuerConfig config, Clock clock, SecureRandom random) {
        Optional<String> storedDid = store.meta("did");
        storedDid.ifPresent(d -> requireSameDid(Did.parse(d), config));
        KeyRing ring = KeyRing.open(store, clock, random, config.secret());
        if (store.keys().stream().noneMatch(k -> k.publicKey().type() == KeyType.ED25519)) {
            ring.create(KeyType.ED25519, OrgKey.State.ACTIVE, "system", "key.create");
        }
        // a wrong secret fails here, before anything is served
        ring.openAll();
        // every audited change from here on is signed by the active Ed25519 key, and the bootstrap entries with it
        store.signAuditHeadsWith(ring::auditKey);
        // a store sealed with scrypt moves to Argon2id here, in one signed and audited transaction
        ring.upgradeSealing();
        Did did;
        if (storedDid.isPresent()) {
            did = Did.parse(storedDid.get());
        } else {
            did = config.didMethod().equals("key") ? KeyDids.of(ring.active(KeyType.ED25519).orElseThrow().publicKey())
                    : DidWebUrls.fromUrl(config.publicUrl());
            store.putMeta("did", did.toString(), new IssuerStore.Audit("system", "org.create", did.toString(), "{}"));
        }
        if (config.p256() && store.keys().stream().noneMatch(k -> k.publicKey().type() == KeyType.P256 && k.published())) {
            if (!did.method().equals("web")) {
                throw new IllegalArgumentException("a P-256 key needs did:web; this store's DID is " + did);
            }
            // made on the first start that asks for one; it signs only what a request selects ES256 or ecdsa-rdfc-2019 for
            ring.create(KeyType.P256, OrgKey.State.ACTIVE, "system", "key.create");
        }
        Optional<String> shown = Optional.empty();
        if (store.meta("admin-bootstrapped").isEmpty()) {
            String token = config.adminToken().orElseGet(() -> AdminTokens.generate(random));
            store.putAdminToken("bootstrap", AdminTokens.hash(token), "admin", new IssuerStore.Audit("system", "admin.token.create",
                    "bootstrap", "{}"));
            store.putMeta("admin-bootstrapped", "true", null);
            if (config.adminToken().isEmpty()) {
                shown = Optional.of(token);
            }
        }
        return new Opened(ring, did, shown);
    }

    /**
     * A did:web organization keeps its DID: a public URL (or port) that gives another would publish a document no
     * issued credential names, so the start is refused with the way out.
     */
    private static void requireSameDid(Did stored, IssuerConfig config) {
        if (!stored.method().equals("web") || !config.didMethod().equals("web")) {
            return;
        }
        Did wanted = DidWebUrls.fromUrl(config.publicUrl());
        if (!wanted.equals(stored)) {
            throw new IllegalStateException("this data directory holds the organization " + stored + ", published at "
                    + DidWebUrls.toUrl(stored) + "; the public URL " + config.publicUrl() + " would make it " + wanted
                    + ". Start with --public-url " + baseUrl(stored) + " (and the port in it) to keep the organization, or with a "
                    + "fresh --data directory to start a new one");
        }
    }

    private static String baseUrl(Did stored) {
        return DidWebUrls.toUrl(stored).toString().replaceFirst("/\\.well-known/did\\.json$", "").replaceFirst("/did\\.json$", "");
    }
}
