package dev.tabard.issuer.oid4vci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.Base64Url;
import dev.tabard.codec.JsonCodec;
import dev.tabard.did.Did;
import dev.tabard.issuer.IssuanceFormat;
import dev.tabard.issuer.IssuerService;
import dev.tabard.issuer.agents.Agent;
import dev.tabard.issuer.store.PerClientTable;
import dev.tabard.problem.ProblemException;
import dev.tabard.vc.jose.CompactJws;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * OpenID4VCI 1.0, pre-authorized code flow, for the org's agents: an admin makes a credential offer for a
 * registered agent; the agent's wallet trades the code (and tx_code, when set) for an access token, gets a
 * nonce, and proves possession of the agent's key with an {@code openid4vci-proof+jwt} whose {@code kid} is a
 * did:key or did:jwk URL of the registered agent DID. Codes, tokens and nonces are single-use, short-lived and
 * held in memory: a restart invalidates them, which only means a new offer.
 *
 * <p><b>Security.</b> Nothing here lets one client lock out another: nonces are counted per client address, offers
 * and access tokens per agent, each table has a total bound, and a full table sheds its largest holder rather than
 * refusing a newcomer ({@link PerClientTable}). An access token buys one credential: it is used up by the issuance
 * it authorizes, or after {@link #MAX_FAILED_CREDENTIAL_REQUESTS} refused requests; a wallet renews with a new offer.
 */
public final class Oid4vciEndpoints {

    public static final String PRE_AUTH_GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code";
    public static final String CONFIGURATION_ID = "AgentCredential_vc+jwt";
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
    private static final int MAX_TX_CODE_ATTEMPTS = 5;
    private static final int MAX_REQUEST_BYTES = 64 * 1024;

    private record Offer(Did agent, Optional<String> txCode, AtomicInteger attempts) {
    }

    /** An access token's grant: one credential for {@code agent}. */
    private record Token(Did agent, AtomicInteger failures) {
    }

    private final IssuerService service;
    private final URI issuerId;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final PerClientTable<Offer> offers;
    private final PerClientTable<Token> tokens;
    /** Nonces, each with when it was handed out. */
    private final PerClientTable<Instant> nonces;
    private final KeyProof keyProof;

    public Oid4vciEndpoints(IssuerService service, URI issuerId, Clock clock) {
        this.service = service;
        this.issuerId = URI.create(issuerId.toString().replaceAll("/+$", ""));
        this.clock = clock;
        this.offers = new PerClientTable<>("offer", CODE_LIFETIME, MAX_OFFERS_PER_AGENT, MAX_OFFERS, clock);
        this.tokens = new PerClientTable<>("access token", TOKEN_LIFETIME, MAX_TOKENS_PER_AGENT, MAX_TOKENS, clock);
        this.nonces = new PerClientTable<>("nonce", PROOF_FRESHNESS, MAX_NONCES_PER_CLIENT, MAX_NONCES, clock);
        this.keyProof = new KeyProof(this.issuerId, clock);
    }

    public void register(Javalin app) {
        app.get("/.well-known/openid-credential-issuer", this::metadata);
        app.get("/.well-known/oauth-authorization-server", this::asMetadata);
        app.post("/oid4vci/token", this::token);
        app.post("/oid4vci/nonce", this::nonce);
        app.post("/oid4vci/credential", this::credential);
        app.post("/oid4vci/renew", this::renew);
    }

    /**
     * Renewal without an administrator: a registered, active agent presents its current, unrevoked AgentCredential in a
     * vp+jwt addressed to this issuer and bound to a fresh {@code c_nonce}, and gets a new pre-authorized offer.
     */
    private void renew(Context ctx) {
        ObjectNode body;
        try {
            body = JsonCodec.parseObject(ctx.bodyInputStream().readNBytes(MAX_REQUEST_BYTES));
        } catch (ProblemException | java.io.IOException e) {
            oauthError(ctx, 400, "invalid_request", "the request is not a JSON object");
            return;
        }
        String vp = body.path("presentation").asText("");
        String nonce;
        try {
            ObjectNode payload = CompactJws.parse(vp).payloadJson();
            nonce = payload.path("nonce").asText("");
        } catch (ProblemException e) {
            oauthError(ctx, 400, "invalid_request", "presentation: " + e.problem().detail());
            return;
        }
        if (nonces.take(nonce).isEmpty()) {
            oauthError(ctx, 400, "invalid_nonce", "the presentation's nonce is unknown, used or expired: get a new one from "
                    + issuerId + "/oid4vci/nonce");
            return;
        }
        dev.tabard.vc.jose.VcJose.VerifiedPresentation verified;
        try {
            verified = dev.tabard.vc.jose.VcJose.verifyPresentation(vp, service.localResolver(),
                    new dev.tabard.vc.jose.JoseOptions(clock, Duration.ofSeconds(60), false), nonce, issuerId.toString());
        } catch (ProblemException e) {
            oauthError(ctx, 400, "invalid_proof", e.problem().detail());
            return;
        }
        Did holder = verified.holder();
        boolean current = false;
        for (dev.tabard.vc.jose.VcJose.VerifiedCredential c : verified.credentials()) {
            boolean ours = c.credential().issuer().id().toString().equals(service.did().toString());
            boolean forHolder = c.credential().subjects().stream().anyMatch(sub -> sub.id().map(holder.toString()::equals).orElse(false));
            boolean valid = c.credential().validUntil().map(u -> u.isAfter(clock.instant())).orElse(false);
            boolean live = c.credential().id().map(id -> service.active(id.toString())).orElse(false);
            current |= ours && forHolder && valid && live;
        }
        Optional<Agent> agent = service.store().agent(holder);
        if (!current || agent.isEmpty() || !agent.get().active()) {
            oauthError(ctx, 400, "credential_request_denied", "renewal needs a current, unrevoked credential of a registered, active agent");
            return;
        }
        ObjectNode renewal;
        try {
            renewal = offer(holder, false);
        } catch (ProblemException e) {
            tooMany(ctx, offers.retryAfter(holder.toString()), e.problem().detail());
            return;
        }
        ctx.contentType("application/json").result(JsonCodec.writeString(renewal));
    }

    /**
     * A credential offer for a registered agent, with a numeric tx_code when {@code withTxCode}.
     *
     * @throws ProblemException {@link dev.tabard.problem.ProblemType#CLIENT_LIMIT_EXCEEDED} (429) when the agent
     *     already has {@link #MAX_OFFERS_PER_AGENT} open offers
     */
    public ObjectNode offer(Did agent, boolean withTxCode) {
        String code = randomToken();
        Optional<String> tx = withTxCode ? Optional.of(String.format("%06d", random.nextInt(1_000_000))) : Optional.empty();
        offers.put(agent.toString(), code, new Offer(agent, tx, new AtomicInteger()));
        ObjectNode offer = JsonCodec.mapper().createObjectNode();
        offer.put("credential_issuer", issuerId.toString());
        offer.putArray("credential_configuration_ids").add(CONFIGURATION_ID);
        ObjectNode grant = offer.putObject("grants").putObject(PRE_AUTH_GRANT);
        grant.put("pre-authorized_code", code);
        tx.ifPresent(t -> grant.putObject("tx_code").put("input_mode", "numeric").put("length", 6)
                .put("description", "the code the organization gave you"));
        ObjectNode out = JsonCodec.mapper().createObjectNode();
        out.set("credential_offer", offer);
        out.put("offer_url", "openid-credential-offer://?credential_offer="
                + URLEncoder.encode(JsonCodec.writeString(offer), StandardCharsets.UTF_8));
        tx.ifPresent(t -> out.put("tx_code", t));
        return out;
    }

    private void metadata(Context ctx) {
        ObjectNode m = JsonCodec.mapper().createObjectNode();
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
        ctx.contentType("application/json").result(JsonCodec.writeString(m));
    }

    private void asMetadata(Context ctx) {
        ctx.contentType("application/json").result(JsonCodec.writeString(Map.of("issuer", issuerId.toString(),
                "token_endpoint", issuerId + "/oid4vci/token", "pre-authorized_grant_anonymous_access_supported", true)));
    }

    private void token(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        if (!PRE_AUTH_GRANT.equals(ctx.formParam("grant_type"))) {
            oauthError(ctx, 400, "unsupported_grant_type", "only the pre-authorized code grant is supported");
            return;
        }
        String code = ctx.formParam("pre-authorized_code");
        Offer offer = code == null ? null : offers.peek(code).orElse(null);
        if (offer == null) {
            oauthError(ctx, 400, "invalid_grant", "unknown, used or expired pre-authorized code: ask the organization for a new offer");
            return;
        }
        String tx = ctx.formParam("tx_code");
        if (offer.txCode().isPresent()) {
            if (tx == null) {
                oauthError(ctx, 400, "invalid_request", "this offer needs a tx_code");
                return;
            }
            if (!MessageDigest.isEqual(tx.getBytes(StandardCharsets.UTF_8), offer.txCode().get().getBytes(StandardCharsets.UTF_8))) {
                if (offer.attempts().incrementAndGet() >= MAX_TX_CODE_ATTEMPTS) {
                    offers.remove(code, offer);
                }
                oauthError(ctx, 400, "invalid_grant", "wrong tx_code");
                return;
            }
        } else if (tx != null) {
            oauthError(ctx, 400, "invalid_request", "this offer has no tx_code");
            return;
        }
        String token = randomToken();
        Token grant = new Token(offer.agent(), new AtomicInteger());
        try {
            // the token is held before the code is used up, so a refusal here leaves the offer redeemable
            tokens.put(offer.agent().toString(), token, grant);
        } catch (ProblemException e) {
            tooMany(ctx, tokens.retryAfter(offer.agent().toString()), e.problem().detail());
            return;
        }
        if (!offers.remove(code, offer)) {
            tokens.remove(token, grant);
            oauthError(ctx, 400, "invalid_grant", "the pre-authorized code was already used");
            return;
        }
        ctx.contentType("application/json").result(JsonCodec.writeString(Map.of("access_token", token, "token_type", "Bearer",
                "expires_in", TOKEN_LIFETIME.toSeconds())));
    }

    /**
     * OpenID4VCI 1.0 §7 defines no error for the nonce endpoint, so a client over {@link #MAX_NONCES_PER_CLIENT} gets
     * the problem details every other endpoint gives: 429 {@code CLIENT_LIMIT_EXCEEDED}, with {@code Retry-After}.
     */
    private void nonce(Context ctx) {
        String client = dev.tabard.http.ClientAddress.of(ctx);
        String n = randomToken();
        try {
            nonces.put(client, n, clock.instant());
        } catch (ProblemException e) {
            ctx.header("Retry-After", Long.toString(nonces.retryAfter(client).toSeconds()));
            throw e;
        }
        ctx.header("Cache-Control", "no-store").contentType("application/json").result(JsonCodec.writeString(Map.of("c_nonce", n)));
    }

    private void credential(Context ctx) {
        String auth = ctx.header("Authorization");
        String key = auth != null && auth.startsWith("Bearer ") ? auth.substring(7).trim() : "";
        Token token = tokens.peek(key).orElse(null);
        if (token == null) {
            ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            oauthError(ctx, 401, "invalid_token", "missing, unknown, used or expired access token: each token buys one credential; "
                    + "redeem a new offer for the next");
            return;
        }
        ObjectNode body;
        try {
            byte[] bytes = ctx.bodyInputStream().readNBytes(MAX_REQUEST_BYTES + 1);
            if (bytes.length > MAX_REQUEST_BYTES) {
                refused(ctx, key, token, 413, "invalid_credential_request", "request too large");
                return;
            }
            body = JsonCodec.parseObject(bytes);
        } catch (ProblemException | java.io.IOException e) {
            refused(ctx, key, token, 400, "invalid_credential_request", "the request is not a JSON object");
            return;
        }
        if (!CONFIGURATION_ID.equals(body.path("credential_configuration_id").asText(null))) {
            refused(ctx, key, token, 400, "unknown_credential_configuration", "this issuer offers " + CONFIGURATION_ID);
            return;
        }
        JsonNode proofs = body.path("proofs").path("jwt");
        if (!proofs.isArray() || proofs.size() != 1 || !proofs.get(0).isTextual()) {
            refused(ctx, key, token, 400, "invalid_proof", "send exactly one key proof in proofs.jwt");
            return;
        }
        String nonce;
        try {
            nonce = keyProof.check(proofs.get(0).asText(), token.agent());
        } catch (ProblemException e) {
            refused(ctx, key, token, 400, "invalid_proof", e.problem().detail());
            return;
        }
        if (nonces.take(nonce).isEmpty()) {
            refused(ctx, key, token, 400, "invalid_nonce", "the proof's nonce is unknown, used or expired: get a new one from "
                    + issuerId + "/oid4vci/nonce and sign a new proof");
            return;
        }
        Optional<Agent> agent = service.store().agent(token.agent());
        if (agent.isEmpty() || !agent.get().active()) {
            tokens.remove(key, token);
            oauthError(ctx, 400, "credential_request_denied", "the agent is not registered or is deactivated");
            return;
        }
        // single use: of two requests racing with one token, only the one that removes it is served
        if (!tokens.remove(key, token)) {
            ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            oauthError(ctx, 401, "invalid_token", "this access token was already used: redeem a new offer for the next credential");
            return;
        }
        IssuerService.Issued issued = service.issue(token.agent(), IssuanceFormat.VC_JWT, "oid4vci:" + token.agent());
        ctx.contentType("application/json").result(JsonCodec.writeString(Map.of("credentials",
                java.util.List.of(Map.of("credential", issued.vcJwt())))));
    }

    /** A refused credential request: answered, and counted against the token, which ends after too many. */
    private void refused(Context ctx, String key, Token token, int status, String error, String description) {
        if (token.failures().incrementAndGet() >= MAX_FAILED_CREDENTIAL_REQUESTS) {
            tokens.remove(key, token);
        }
        oauthError(ctx, status, error, description);
    }

    /**
     * OAuth 2.0 defines no error for a client over a per-client bound, so the OAuth endpoints answer 429 (RFC 6585) with
     * {@code temporarily_unavailable}, the OAuth error for "retry later", and {@code Retry-After}.
     */
    private static void tooMany(Context ctx, Duration retryAfter, String description) {
        ctx.header("Retry-After", Long.toString(retryAfter.toSeconds()));
        oauthError(ctx, 429, "temporarily_unavailable", description);
    }

    private static void oauthError(Context ctx, int status, String error, String description) {
        ctx.status(status).contentType("application/json").result(JsonCodec.writeString(Map.of("error", error,
                "error_description", description)));
    }

    private String randomToken() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64Url.encode(b);
    }
}
