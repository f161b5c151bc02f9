package dev.tabard.issuer.oid4vci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.Base64Url;
import dev.tabard.codec.JsonCodec;
import dev.tabard.did.Did;
import dev.tabard.did.DidResolvers;
import dev.tabard.did.DidUrl;
import dev.tabard.did.Relationship;
import dev.tabard.did.VerificationMethod;
import dev.tabard.did.jwk.JwkDidResolver;
import dev.tabard.did.key.KeyDidResolver;
import dev.tabard.issuer.IssuanceFormat;
import dev.tabard.issuer.IssuerService;
import dev.tabard.issuer.agents.Agent;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * OpenID4VCI 1.0, pre-authorized code flow, for the org's agents: an admin makes a credential offer for a
 * registered agent; the agent's wallet trades the code (and tx_code, when set) for an access token, gets a
 * nonce, and proves possession of the agent's key with an {@code openid4vci-proof+jwt} whose {@code kid} is a
 * did:key or did:jwk URL of the registered agent DID. Codes, tokens and nonces are single-use, short-lived and
 * held in memory: a restart invalidates them, which only means a new offer.
 */
public final class Oid4vciEndpoints {

    public static final String PRE_AUTH_GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code";
    public static final String CONFIGURATION_ID = "AgentCredential_vc+jwt";
    public static final Duration CODE_LIFETIME = Duration.ofMinutes(10);
    public static final Duration TOKEN_LIFETIME = Duration.ofMinutes(5);
    public static final Duration PROOF_FRESHNESS = Duration.ofMinutes(5);
    private static final int MAX_PENDING = 100_000;
    private static final int MAX_TX_CODE_ATTEMPTS = 5;

    private record Offer(Did agent, Optional<String> txCode, Instant expires, AtomicInteger attempts) {
    }

    private record Token(Did agent, Instant expires) {
    }

    private final IssuerService service;
    private final URI issuerId;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Offer> offers = new ConcurrentHashMap<>();
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final Map<String, Instant> nonces = new ConcurrentHashMap<>();
    private final KeyDidResolver keyDids = new KeyDidResolver();

    public Oid4vciEndpoints(IssuerService service, URI issuerId, Clock clock) {
        this.service = service;
        this.issuerId = URI.create(issuerId.toString().replaceAll("/+$", ""));
        this.clock = clock;
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
            body = JsonCodec.parseObject(ctx.bodyInputStream().readNBytes(64 * 1024));
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
        Instant nonceExpires = nonces.remove(nonce);
        if (nonceExpires == null || nonceExpires.isBefore(clock.instant())) {
            oauthError(ctx, 400, "invalid_nonce", "the presentation's nonce is unknown, used or expired");
            return;
        }
        dev.tabard.vc.jose.VcJose.VerifiedPresentation verified;
        try {
            dev.tabard.did.DidResolver self = new dev.tabard.did.DidResolver() {
                @Override
                public boolean supports(String method) {
                    return method.equals(service.did().method());
                }

                @Override
                public dev.tabard.did.ResolutionResult resolve(Did d) {
                    if (!d.equals(service.did())) {
                        throw new ProblemException(dev.tabard.problem.ProblemType.NOT_FOUND, d + " is not this issuer");
                    }
                    return new dev.tabard.did.ResolutionResult(service.did().method().equals("key")
                            ? KeyDidResolver.document(d) : dev.tabard.did.DidDocument.parse(service.didDocument(), d),
                            dev.tabard.did.ResolutionResult.Metadata.local(clock.instant()));
                }
            };
            verified = dev.tabard.vc.jose.VcJose.verifyPresentation(vp, DidResolvers.of(self, keyDids, new JwkDidResolver()),
                    new dev.tabard.vc.jose.JoseOptions(clock, java.time.Duration.ofSeconds(60), false), nonce, issuerId.toString());
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
        ctx.contentType("application/json").result(JsonCodec.writeString(offer(holder, false)));
    }

    /** A credential offer for a registered agent, with a numeric tx_code when {@code withTxCode}. */
    public ObjectNode offer(Did agent, boolean withTxCode) {
        purge();
        if (offers.size() >= MAX_PENDING) {
            throw new ProblemException(dev.tabard.problem.ProblemType.SERVICE_UNAVAILABLE, "too many open offers");
        }
        String code = randomToken();
        Optional<String> tx = withTxCode ? Optional.of(String.format("%06d", random.nextInt(1_000_000))) : Optional.empty();
        offers.put(code, new Offer(agent, tx, clock.instant().plus(CODE_LIFETIME), new AtomicInteger()));
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
        Offer offer = code == null ? null : offers.get(code);
        if (offer == null || offer.expires().isBefore(clock.instant())) {
            oauthError(ctx, 400, "invalid_grant", "unknown, used or expired pre-authorized code");
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
                    offers.remove(code);
                }
                oauthError(ctx, 400, "invalid_grant", "wrong tx_code");
                return;
            }
        } else if (tx != null) {
            oauthError(ctx, 400, "invalid_request", "this offer has no tx_code");
            return;
        }
        if (!offers.remove(code, offer)) {
            oauthError(ctx, 400, "invalid_grant", "the pre-authorized code was already used");
            return;
        }
        String token = randomToken();
        tokens.put(token, new Token(offer.agent(), clock.instant().plus(TOKEN_LIFETIME)));
        ctx.contentType("application/json").result(JsonCodec.writeString(Map.of("access_token", token, "token_type", "Bearer",
                "expires_in", TOKEN_LIFETIME.toSeconds())));
    }

    private void nonce(Context ctx) {
        purge();
        if (nonces.size() >= MAX_PENDING) {
            oauthError(ctx, 503, "temporarily_unavailable", "too many open nonces");
            return;
        }
        String n = randomToken();
        nonces.put(n, clock.instant().plus(PROOF_FRESHNESS));
        ctx.header("Cache-Control", "no-store").contentType("application/json").result(JsonCodec.writeString(Map.of("c_nonce", n)));
    }

    private void credential(Context ctx) {
        String auth = ctx.header("Authorization");
        Token token = auth != null && auth.startsWith("Bearer ") ? tokens.get(auth.substring(7).trim()) : null;
        if (token == null || token.expires().isBefore(clock.instant())) {
            ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            oauthError(ctx, 401, "invalid_token", "missing, unknown or expired access token");
            return;
        }
        ObjectNode body;
        try {
            byte[] bytes = ctx.bodyInputStream().readNBytes(64 * 1024 + 1);
            if (bytes.length > 64 * 1024) {
                oauthError(ctx, 413, "invalid_credential_request", "request too large");
                return;
            }
            body = JsonCodec.parseObject(bytes);
        } catch (ProblemException | java.io.IOException e) {
            oauthError(ctx, 400, "invalid_credential_request", "the request is not a JSON object");
            return;
        }
        if (!CONFIGURATION_ID.equals(body.path("credential_configuration_id").asText(null))) {
            oauthError(ctx, 400, "unknown_credential_configuration", "this issuer offers " + CONFIGURATION_ID);
            return;
        }
        JsonNode proofs = body.path("proofs").path("jwt");
        if (!proofs.isArray() || proofs.size() != 1 || !proofs.get(0).isTextual()) {
            oauthError(ctx, 400, "invalid_proof", "send exactly one key proof in proofs.jwt");
            return;
        }
        try {
            checkProof(proofs.get(0).asText(), token.agent());
        } catch (ProblemException e) {
            String code = e.problem().detail().contains("nonce") ? "invalid_nonce" : "invalid_proof";
            oauthError(ctx, 400, code, e.problem().detail());
            return;
        }
        Optional<Agent> agent = service.store().agent(token.agent());
        if (agent.isEmpty() || !agent.get().active()) {
            oauthError(ctx, 400, "credential_request_denied", "the agent is not registered or is deactivated");
            return;
        }
        IssuerService.Issued issued = service.issue(token.agent(), IssuanceFormat.VC_JWT, "oid4vci:" + token.agent());
        ctx.contentType("application/json").result(JsonCodec.writeString(Map.of("credentials",
                java.util.List.of(Map.of("credential", issued.vcJwt())))));
    }

    /** The key proof: typed, signed by a key of the agent DID, for this issuer, fresh, with an unused nonce. */
    private void checkProof(String jwt, Did agent) {
        CompactJws jws = CompactJws.parse(jwt);
        if (!"openid4vci-proof+jwt".equals(jws.typ().orElse(""))) {
            throw bad("the proof's typ must be openid4vci-proof+jwt");
        }
        DidUrl kid = jws.kid().flatMap(DidUrl::tryParse).orElseThrow(() -> bad("the proof's kid must be a DID URL of the agent's key"));
        if (!kid.did().equals(agent)) {
            throw bad("the proof was signed by " + kid.did() + ", not by the registered agent " + agent);
        }
        VerificationMethod vm = DidResolvers.of(keyDids, new JwkDidResolver()).resolve(agent).document()
                .authorize(kid, Relationship.AUTHENTICATION);
        jws.verify(vm.key());
        ObjectNode p = jws.payloadJson();
        if (!issuerId.toString().equals(p.path("aud").asText())) {
            throw bad("the proof's aud must be " + issuerId);
        }
        long iat = p.path("iat").asLong(-1);
        Instant now = clock.instant();
        if (!p.path("iat").isIntegralNumber() || Instant.ofEpochSecond(iat).isBefore(now.minus(PROOF_FRESHNESS))
                || Instant.ofEpochSecond(iat).isAfter(now.plusSeconds(60))) {
            throw bad("the proof's iat is missing or not fresh");
        }
        Instant nonceExpires = nonces.remove(p.path("nonce").asText(""));
        if (nonceExpires == null || nonceExpires.isBefore(now)) {
            throw bad("the proof's nonce is unknown, used or expired");
        }
    }

    private static ProblemException bad(String detail) {
        return new ProblemException(dev.tabard.problem.ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, detail);
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

    private void purge() {
        Instant now = clock.instant();
        offers.values().removeIf(o -> o.expires().isBefore(now));
        tokens.values().removeIf(t -> t.expires().isBefore(now));
        nonces.values().removeIf(n -> n.isBefore(now));
    }
}
