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
import dev.tabard.issuer.status.TokenStatusLists;
import dev.tabard.issuer.store.IssuerStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
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
        // no registry to read them from: the meters count into nothing
        return open(store, config, clock, random, new CompositeMeterRegistry());
    }

    /**
     * As {@link #open(IssuerStore, IssuerConfig, Clock, SecureRandom)}, with the issuer's meters ({@link IssuerMetrics})
     * in {@code meters}: the registry the server exposes at {@code /metrics}.
     */
    public static IssuerService open(IssuerStore store, IssuerConfig config, Clock clock, SecureRandom random, MeterRegistry meters) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(meters, "meters");
        Opened o = store.bootstrapping(() -> bootstrap(store, config, clock, random));
        IssuerMetrics metrics = new IssuerMetrics(meters);
        OrgKeys keys = new OrgKeys(store, o.ring(), o.did(), clock, ValidityBounds.MAX_LIFETIME);
        AgentRegistry agents = new AgentRegistry(store, clock);
        StatusLists statusLists = new StatusLists(store, keys, config.publicUrl(), clock, metrics::statusChanged);
        CredentialIssuer issuer = new CredentialIssuer(store, config, clock, random, keys, agents, statusLists, metrics);
        SdJwtCredentials sdJwt = new SdJwtCredentials(store, config, clock, random, keys, agents,
                new TokenStatusLists(store, keys, config.publicUrl(), clock), metrics);
        return new IssuerService(store, keys, agents, issuer, statusLists, sdJwt, metrics, o.firstAdminToken());
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
     * Mints an admin token for an operator who lost every token, from the store and the key-sealing secret alone: the
     * token is audited as {@code actor} and signed into the audit log like any change, and returned to show once.
     * Run it while no issuer has the store open.
     *
     * @throws IllegalStateException when the store holds no organization yet (its first start makes the first token)
     * @throws dev.tabard.problem.ProblemException {@code UNAUTHORIZED} when {@code secret} does not open the org keys;
     *     {@code MALFORMED_VALUE_ERROR} for a bad name or role
     */
    public static String mintAdminToken(IssuerStore store, char[] secret, String name, String role, String actor, Clock clock,
                                        SecureRandom random) {
        return store.bootstrapping(() -> {
            if (store.meta("did").isEmpty() || store.meta("sealing").isEmpty()) {
                throw new IllegalStateException("this data directory holds no issuer yet; its first start makes the first admin token");
            }
            KeyRing ring = KeyRing.open(store, clock, random, secret);
            ring.openAll();
            store.signAuditHeadsWith(ring::auditKey);
            return AdminTokens.mint(store, name, role, actor, random);
        });
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
