package dev.tabard.issuer.oid4vci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.Base64Url;
import dev.tabard.codec.JsonCodec;
import dev.tabard.did.Did;
import dev.tabard.issuer.IssuanceFormat;
import dev.tabard.issuer.IssuerService;
import dev.tabard.issuer.agents.Agent;
import dev.tabard.problem.ProblemException;
import dev.tabard.sdjwt.vc.AgentSdJwtVc;
import dev.tabard.sdjwt.vc.SdJwtVc;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * OpenID4VCI 1.0, pre-authorized code flow, for the org's agents, as a protocol with plain inputs and outputs: an admin
 * makes a credential offer for a registered agent; the agent's wallet trades the code (and tx_code, when set) for an
 * access token, gets a nonce, and proves possession of the agent's key with an {@code openid4vci-proof+jwt} whose
 * {@code kid} is a did:key or did:jwk URL of the registered agent DID. {@link Oid4vciEndpoints} maps it to HTTP.
 *
 * <p>Codes, tokens and nonces are single-use and short-lived, and live in the store ({@link Grants}), so a code handed
 * out by one issuer instance is redeemed once at whichever instance the wallet reaches.
 *
 * <p><b>Security.</b> Nothing here lets one client lock out another: nonces are counted per client address, offers
 * and access tokens per agent, each kind has a total bound, and a full table sheds its largest holder rather than
 * refusing a newcomer. An access token buys one credential, of a configuration its offer named: it is used up by the
 * issuance it authorizes, or after {@link #MAX_FAILED_CREDENTIAL_REQUESTS} refused requests; a wallet renews with a new
 * offer.
 */
public final class Oid4vci {

    public static final String PRE_AUTH_GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code";
    public static final String CONFIGURATION_ID = "AgentCredential_vc+jwt";
    /** The AgentCredential as an SD-JWT VC ({@code dc+sd-jwt}), bound to the key the wallet's proof shows. */
    public static final String SD_JWT_CONFIGURATION_ID = "AgentCredential_dc+sd-jwt";
    public static final Duration CODE_LIFETIME = Duration.ofMinutes(10);
    public static final Duration TOKEN_LIFETIME = Duration.ofMinutes(5);
    public static final Duration PROOF_FRESHNESS = KeyProof.FRESHNESS;
    /**
     * Open nonces one client address may hold. A wallet needs one per credential request and uses it within seconds;
     * 64 leaves room for many agents behind one NAT while a flood from one address stops at 64 entries.
     */
    public static final int MAX_NONCES_PER_CLIENT = 64;
    /** Open nonces in all: about 250 bytes each, so at most about 12 MB, and 166 new nonces a second for five minutes. */
    public static final int MAX_NONCES = 50_000;
    /** Open offers per agent: an operator re-sending an offer a few times, or an agent renewing, never needs more. */
    public static final int MAX_OFFERS_PER_AGENT = 8;
    /** Open offers in all; offers come only from admins and from renewals, so this bound only caps memory. */
    public static final int MAX_OFFERS = 20_000;
    /** Unused access tokens per agent: each comes from one offer, so this matches {@link #MAX_OFFERS_PER_AGENT}. */
    public static final int MAX_TOKENS_PER_AGENT = 8;
    /** Unused access tokens in all; memory only. */
    public static final int MAX_TOKENS = 20_000;
    /**
     * Refused credential requests an access token survives. A wallet may retry after {@code invalid_nonce} (OpenID4VCI
     * 1.0 §8.3.1.2) with a new nonce; three tries cover that, and a stolen token cannot be used to probe without end.
     */
    public static final int MAX_FAILED_CREDENTIAL_REQUESTS = 3;
    /** The most request body the credential and renewal endpoints read. */
    public static final int MAX_REQUEST_BYTES = 64 * 1024;
    private static final int MAX_TX_CODE_ATTEMPTS = 5;

    private final IssuerService service;
    private final URI issuerId;
    private final Clock clock;
    private final SecureRandom random;
    private final Grants grants;
    private final KeyProof keyProof;
    private final Renewal renewal;

    /** @param issuerId the issuer's public URL, its {@code credential_issuer} identifier */
    public Oid4vci(IssuerService service, URI issuerId, Clock clock, SecureRandom random) {
        this.service = Objects.requireNonNull(service, "service");
        this.issuerId = URI.create(issuerId.toString().replaceAll("/+$", ""));
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.grants = new Grants(service.store());
        this.keyProof = new KeyProof(this.issuerId, clock);
        this.renewal = new Renewal(service, this.issuerId, clock, grants, (agent, configuration) -> offer(agent, false, configuration));
    }

    /**
     * A credential offer for a registered agent, with a numeric tx_code when {@code withTxCode}.
     *
     * @throws ProblemException {@link dev.tabard.problem.ProblemType#CLIENT_LIMIT_EXCEEDED} (429) when the agent
     *     already has {@link #MAX_OFFERS_PER_AGENT} open offers
     */
    public ObjectNode offer(Did agent, boolean withTxCode) {
        return offer(agent, withTxCode, CONFIGURATION_ID);
    }

    /** A credential offer naming {@code configurationId} ({@link #CONFIGURATION_ID} or {@link #SD_JWT_CONFIGURATION_ID}). */
    public ObjectNode offer(Did agent, boolean withTxCode, String configurationId) {
        return offer(agent, withTxCode, List.of(configurationId));
    }

    /**
     * A credential offer naming {@code configurationIds}, each {@link #CONFIGURATION_ID} or
     * {@link #SD_JWT_CONFIGURATION_ID}. The access token it leads to buys one credential of a configuration the offer
     * named and no other ({@code insufficient_scope}): an organization that offered an agent a vc+jwt has not offered it
     * an SD-JWT VC.
     */
    public ObjectNode offer(Did agent, boolean withTxCode, List<String> configurationIds) {
        Objects.requireNonNull(agent, "agent");
        if (configurationIds.isEmpty() || configurationIds.size() != Set.copyOf(configurationIds).size()) {
            throw new IllegalArgumentException("an offer names one or more distinct credential configurations: " + configurationIds);
        }
        for (String id : configurationIds) {
            if (!CONFIGURATION_ID.equals(id) && !SD_JWT_CONFIGURATION_ID.equals(id)) {
                throw new IllegalArgumentException("unknown credential configuration " + id);
            }
        }
        String code = randomToken();
        Optional<String> tx = withTxCode ? Optional.of(String.format("%06d", random.nextInt(1_000_000))) : Optional.empty();
        grants.putOffer(code, agent, configurationIds, tx);
        ObjectNode offer = JsonCodec.objectNode();
        offer.put("credential_issuer", issuerId.toString());
        configurationIds.forEach(offer.putArray("credential_configuration_ids")::add);
        ObjectNode grant = offer.putObject("grants").putObject(PRE_AUTH_GRANT);
        grant.put("pre-authorized_code", code);
        tx.ifPresent(t -> grant.putObject("tx_code").put("input_mode", "numeric").put("length", 6)
                .put("description", "the code the organization gave you"));
        ObjectNode out = JsonCodec.objectNode();
        out.set("credential_offer", offer);
        out.put("offer_url", "openid-credential-offer://?credential_offer="
                + URLEncoder.encode(JsonCodec.writeString(offer), StandardCharsets.UTF_8));
        tx.ifPresent(t -> out.put("tx_code", t));
        return out;
    }

    /** The credential issuer metadata (OpenID4VCI 1.0 §12.2). */
    public ObjectNode metadata() {
        ObjectNode m = JsonCodec.objectNode();
        m.put("credential_issuer", issuerId.toString());
        m.putArray("authorization_servers").add(issuerId.toString());
        m.put("credential_endpoint", issuerId + "/oid4vci/credential");
        m.put("nonce_endpoint", issuerId + "/oid4vci/nonce");
        ObjectNode conf = m.putObject("credential_configurations_supported").putObject(CONFIGURATION_ID);
        conf.put("format", "vc+jwt");
        conf.putArray("cryptographic_binding_methods_supported").add("did:key").add("did:jwk");
        conf.putArray("credential_signing_alg_values_supported").add("EdDSA");
        conf.putObject("proof_types_supported").putObject("jwt").putArray("proof_signing_alg_values_supported")
                .add("EdDSA").add("Ed25519").add("ES256");
        ObjectNode def = conf.putObject("credential_definition");
        def.putArray("type").add("VerifiableCredential").add("AgentCredential");
        def.putArray("@context").add("https://www.w3.org/ns/credentials/v2").add("https://w3id.org/tabard/v1");
        ObjectNode sd = ((ObjectNode) m.get("credential_configurations_supported")).putObject(SD_JWT_CONFIGURATION_ID);
        sd.put("format", SdJwtVc.TYP);
        sd.put("vct", AgentSdJwtVc.VCT);
        sd.putArray("cryptographic_binding_methods_supported").add("jwk");
        sd.putArray("credential_signing_alg_values_supported").add("EdDSA");
        sd.putObject("proof_types_supported").putObject("jwt").putArray("proof_signing_alg_values_supported")
                .add("EdDSA").add("Ed25519").add("ES256");
        return m;
    }

    /** The authorization server metadata (RFC 8414): this issuer is its own. */
    public ObjectNode authorizationServerMetadata() {
        return JsonCodec.tree(Map.of("issuer", issuerId.toString(), "token_endpoint", issuerId + "/oid4vci/token",
                "pre-authorized_grant_anonymous_access_supported", true));
    }

    /** The token endpoint: the form's pre-authorized code (and tx_code) for a one-credential access token. */
    public OAuthResponse token(Map<String, String> form) {
        OAuthResponse r = tokenFor(form);
        return r.with("Cache-Control", "no-store");
    }

    private OAuthResponse tokenFor(Map<String, String> form) {
        if (!PRE_AUTH_GRANT.equals(form.get("grant_type"))) {
            return OAuthResponse.error(400, "unsupported_grant_type", "only the pre-authorized code grant is supported");
        }
        String code = form.get("pre-authorized_code");
        Grants.Offer offer = code == null ? null : grants.offer(code).orElse(null);
        if (offer == null) {
            return OAuthResponse.error(400, "invalid_grant", "unknown, used or expired pre-authorized code: ask the organization for a new offer");
        }
        String tx = form.get("tx_code");
        if (offer.txCodeSha256().isPresent()) {
            if (tx == null) {
                return OAuthResponse.error(400, "invalid_request", "this offer needs a tx_code");
            }
            if (!offer.txCodeIs(tx)) {
                grants.wrongTxCode(code, MAX_TX_CODE_ATTEMPTS);
                return OAuthResponse.error(400, "invalid_grant", "wrong tx_code");
            }
        } else if (tx != null) {
            return OAuthResponse.error(400, "invalid_request", "this offer has no tx_code");
        }
        String token = randomToken();
        try {
            // the token is held before the code is used up, so a refusal here leaves the offer redeemable
            grants.putToken(token, offer.agent(), offer.configurations());
        } catch (ProblemException e) {
            return OAuthResponse.tooMany(grants.tokenRetryAfter(offer.agent()), e.problem().detail());
        }
        if (!grants.redeemOffer(code)) {
            grants.useToken(token);
            return OAuthResponse.error(400, "invalid_grant", "the pre-authorized code was already used");
        }
        return OAuthResponse.ok(Map.of("access_token", token, "token_type", "Bearer", "expires_in", TOKEN_LIFETIME.toSeconds()));
    }

    /**
     * A fresh {@code c_nonce} for {@code client} (its address). OpenID4VCI 1.0 §7 defines no error for the nonce
     * endpoint, so a client over {@link #MAX_NONCES_PER_CLIENT} gets the problem every other endpoint gives.
     *
     * @throws ProblemException {@code CLIENT_LIMIT_EXCEEDED}; {@link #nonceRetryAfter} says when to come back
     */
    public String nonce(String client) {
        String n = randomToken();
        grants.putNonce(client, n, clock.instant().toString());
        return n;
    }

    /** When {@code client} may have a nonce again: its {@code Retry-After}. */
    public Duration nonceRetryAfter(String client) {
        return grants.nonceRetryAfter(client);
    }

    /**
     * The credential endpoint: one AgentCredential for the access token's agent, bound by a fresh key proof.
     *
     * @param authorization the {@code Authorization} header, if sent
     * @param body the request body, at most {@link #MAX_REQUEST_BYTES} + 1 bytes of it
     */
    public OAuthResponse credential(Optional<String> authorization, byte[] body) {
        String auth = authorization.orElse("");
        // the scheme name is case-insensitive (RFC 9110 §11.1), as the admin API already takes it
        String key = auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : "";
        Grants.Token token = key.isEmpty() ? null : grants.token(key).orElse(null);
        if (token == null) {
            return OAuthResponse.error(401, "invalid_token", "missing, unknown, used or expired access token: each token buys one credential; "
                    + "redeem a new offer for the next").with("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        }
        if (body.length > MAX_REQUEST_BYTES) {
            return refused(key, 413, "invalid_credential_request", "request too large");
        }
        ObjectNode request;
        try {
            request = JsonCodec.parseObject(body);
        } catch (ProblemException e) {
            return refused(key, 400, "invalid_credential_request", "the request is not a JSON object");
        }
        String configuration = request.path("credential_configuration_id").asText("");
        if (!CONFIGURATION_ID.equals(configuration) && !SD_JWT_CONFIGURATION_ID.equals(configuration)) {
            return refused(key, 400, "unknown_credential_configuration", "this issuer offers " + CONFIGURATION_ID + " and "
                    + SD_JWT_CONFIGURATION_ID);
        }
        if (!token.allows(configuration)) {
            return refused(key, 403, "insufficient_scope", "this access token buys " + String.join(" or ", token.configurations())
                    + ", the configurations its offer named: ask the organization for an offer of " + configuration)
                    .with("WWW-Authenticate", "Bearer error=\"insufficient_scope\"");
        }
        JsonNode proofs = request.path("proofs").path("jwt");
        if (!proofs.isArray() || proofs.size() != 1 || !proofs.get(0).isTextual()) {
            return refused(key, 400, "invalid_proof", "send exactly one key proof in proofs.jwt");
        }
        KeyProof.Checked proof;
        try {
            proof = keyProof.check(proofs.get(0).asText(), token.agent());
        } catch (ProblemException e) {
            return refused(key, 400, "invalid_proof", e.problem().detail());
        }
        if (!grants.takeNonce(proof.nonce())) {
            return refused(key, 400, "invalid_nonce", "the proof's nonce is unknown, used or expired: get a new one from "
                    + issuerId + "/oid4vci/nonce and sign a new proof");
        }
        Optional<Agent> agent = service.agents().find(token.agent());
        if (agent.isEmpty() || !agent.get().active()) {
            grants.useToken(key);
            return OAuthResponse.error(400, "credential_request_denied", "the agent is not registered or is deactivated");
        }
        // single use: of two requests racing with one token, at whichever instances, only the one that removes it is served
        if (!grants.useToken(key)) {
            return OAuthResponse.error(401, "invalid_token", "this access token was already used: redeem a new offer for the next credential")
                    .with("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        }
        String credential = SD_JWT_CONFIGURATION_ID.equals(configuration)
                ? service.sdJwt().issue(token.agent(), proof.key(), "oid4vci:" + token.agent()).sdJwt().serialize()
                : service.issuer().issue(token.agent(), IssuanceFormat.VC_JWT, "oid4vci:" + token.agent()).vcJwt();
        return OAuthResponse.ok(Map.of("credentials", List.of(Map.of("credential", credential))));
    }

    /** A refused credential request: answered, and counted against the token, which ends after too many. */
    private OAuthResponse refused(String key, int status, String error, String description) {
        grants.refused(key, MAX_FAILED_CREDENTIAL_REQUESTS);
        return OAuthResponse.error(status, error, description);
    }

    /**
     * Renewal without an administrator: a registered, active agent presents its current, unrevoked AgentCredential,
     * bound to a fresh {@code c_nonce} and addressed to this issuer, and gets a new pre-authorized offer of the same
     * format ({@link Renewal}).
     *
     * @param body the request body, {@code {"presentation": "<vp+jwt or SD-JWT VC with key binding>"}}, at most
     *     {@link #MAX_REQUEST_BYTES} of it
     */
    public OAuthResponse renew(byte[] body) {
        return renewal.renew(body);
    }

    private String randomToken() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64Url.encode(b);
    }
}
