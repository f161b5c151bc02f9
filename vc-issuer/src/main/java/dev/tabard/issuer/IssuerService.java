package dev.tabard.issuer;

import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.DidResolver;
import dev.tabard.issuer.agents.Agent;
import dev.tabard.issuer.agents.AgentRegistry;
import dev.tabard.issuer.keys.OrgKey;
import dev.tabard.issuer.keys.OrgKeys;
import dev.tabard.issuer.status.StatusLists;
import dev.tabard.issuer.store.IssuerStore;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One opened issuer: its parts, wired to one store. {@link Issuers#open} makes it; the parts hold the logic (keys and
 * the DID document in {@link OrgKeys}, agents in {@link AgentRegistry}, issuance in {@link CredentialIssuer}, status in
 * {@link StatusLists}), and the few methods here only pass on to them for callers that hold the whole issuer.
 */
public final class IssuerService {

    private final IssuerStore store;
    private final OrgKeys keys;
    private final AgentRegistry agents;
    private final CredentialIssuer issuer;
    private final StatusLists statusLists;
    private final SdJwtCredentials sdJwt;
    private final IssuerMetrics metrics;
    private final Optional<String> firstAdminToken;

    IssuerService(IssuerStore store, OrgKeys keys, AgentRegistry agents, CredentialIssuer issuer, StatusLists statusLists,
                  SdJwtCredentials sdJwt, IssuerMetrics metrics, Optional<String> firstAdminToken) {
        this.sdJwt = Objects.requireNonNull(sdJwt, "sdJwt");
        this.store = Objects.requireNonNull(store, "store");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.agents = Objects.requireNonNull(agents, "agents");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.statusLists = Objects.requireNonNull(statusLists, "statusLists");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.firstAdminToken = Objects.requireNonNull(firstAdminToken, "firstAdminToken");
    }

    public Did did() {
        return keys.did();
    }

    public IssuerStore store() {
        return store;
    }

    public IssuerMetrics metrics() {
        return metrics;
    }

    public OrgKeys orgKeys() {
        return keys;
    }

    public AgentRegistry agents() {
        return agents;
    }

    public CredentialIssuer issuer() {
        return issuer;
    }

    public StatusLists statusLists() {
        return statusLists;
    }

    /** AgentCredentials as SD-JWT VCs, and their Token Status Lists. */
    public SdJwtCredentials sdJwt() {
        return sdJwt;
    }

    /** The admin token generated on this store's first start, to show once; empty otherwise (and when one was given). */
    public Optional<String> firstAdminToken() {
        return firstAdminToken;
    }

    /** The SHA-256 of a token in hex, as {@link AdminTokens#hash}. */
    public static String tokenHash(String token) {
        return AdminTokens.hash(token);
    }

    /** Every org key, retired ones included. */
    public List<OrgKey> keys() {
        return keys.all();
    }

    /** As {@link OrgKeys#add}. */
    public OrgKey addKey(KeyType type, String actor) {
        return keys.add(type, actor);
    }

    /** As {@link OrgKeys#activate}. */
    public void activateKey(String id, String actor) {
        keys.activate(id, actor);
    }

    /** As {@link OrgKeys#retireExpired}. */
    public List<String> retireExpiredKeys(String actor) {
        return keys.retireExpired(actor);
    }

    /** As {@link AgentRegistry#put}. */
    public Agent putAgent(Agent agent, String actor) {
        return agents.put(agent, actor);
    }

    /** As {@link CredentialIssuer#issue}. */
    public CredentialIssuer.Issued issue(Did agentDid, IssuanceFormat format, String actor) {
        return issuer.issue(agentDid, format, actor);
    }

    /** As {@link StatusLists#active}. */
    public boolean active(String credentialId) {
        return statusLists.active(credentialId);
    }

    /** As {@link StatusLists#url}. */
    public URI statusListUrl(int listId) {
        return statusLists.url(listId);
    }

    /** As {@link OrgKeys#localResolver}. */
    public DidResolver localResolver() {
        return keys.localResolver();
    }
}
