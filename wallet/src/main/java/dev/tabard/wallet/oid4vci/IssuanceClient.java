package dev.tabard.wallet.oid4vci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.codec.Timestamps;
import dev.tabard.crypto.Signer;
import dev.tabard.did.DidUrl;
import dev.tabard.fetch.FetchedResource;
import dev.tabard.fetch.SafeFetcher;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.sdjwt.KeyBinding;
import dev.tabard.sdjwt.Presentations;
import dev.tabard.sdjwt.SdJwt;
import dev.tabard.vc.jose.CompactJws;
import dev.tabard.vc.jose.JwsHeader;
import dev.tabard.vc.jose.VcJose;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The wallet's client for its issuer — delegation registration, and the wallet side of OpenID4VCI's pre-authorized
 * code flow: read the offer, read the issuer's metadata, trade the
 * code for a token, get a nonce, prove possession of the agent's key, receive the credential. Every request goes
 * through {@link SafeFetcher}.
 */
public final class IssuanceClient {

    private static final Set<String> JSON = Set.of("application/json");
    private final SafeFetcher fetcher;
    private final Clock clock;

    public IssuanceClient(SafeFetcher fetcher, Clock clock) {
        this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A credential offer from an {@code openid-credential-offer://} URL or its JSON. */
    public static ObjectNode parseOffer(String offer) {
        String json = offer.trim();
        if (json.startsWith("openid-credential-offer://")) {
            int q = json.indexOf("credential_offer=");
            if (q < 0) {
                throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "the offer URL carries no credential_offer");
            }
            String value = json.substring(q + "credential_offer=".length());
            int amp = value.indexOf('&');
            json = URLDecoder.decode(amp < 0 ? value : value.substring(0, amp), StandardCharsets.UTF_8);
        }
        ObjectNode o = JsonCodec.parseObject(json.getBytes(StandardCharsets.UTF_8));
        if (!o.path("credential_issuer").isTextual() || !o.path("grants").path(PRE_AUTH).path("pre-authorized_code").isTextual()) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "not a pre-authorized credential offer");
        }
        return o;
    }

    static final String PRE_AUTH = "urn:ietf:params:oauth:grant-type:pre-authorized_code";

    /**
     * Runs the flow for an offer that asks for no one-time code and returns the credential (a vc+jwt).
     *
     * @throws ProblemException {@code FETCH_*} problems, or {@code MALFORMED_VALUE_ERROR} / {@code UNAUTHORIZED} with the
     *     issuer's OAuth error; {@code MALFORMED_VALUE_ERROR} when the offer asks for a one-time code
     */
    public String receive(ObjectNode offer, Signer signer, DidUrl kid) {
        return run(offer, signer, kid, Optional.empty());
    }

    /**
     * Runs the flow with the one-time code the issuer gave out with the offer, and returns the credential (a vc+jwt).
     *
     * @throws ProblemException as {@link #receive(ObjectNode, Signer, DidUrl)}
     */
    public String receive(ObjectNode offer, Signer signer, DidUrl kid, String txCode) {
        return run(offer, signer, kid, Optional.of(Objects.requireNonNull(txCode, "txCode")));
    }

    private String run(ObjectNode offer, Signer signer, DidUrl kid, Optional<String> txCode) {
        String issuer = offer.get("credential_issuer").asText();
        JsonNode grant = offer.get("grants").get(PRE_AUTH);
        if (grant.has("tx_code") && txCode.isEmpty()) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "this offer needs the one-time code the issuer gave out");
        }
        String configId = offer.path("credential_configuration_ids").path(0).asText();
        ObjectNode meta = json(fetcher.get(URI.create(issuer + "/.well-known/openid-credential-issuer"), JSON), "issuer metadata");
        if (!issuer.equals(meta.path("credential_issuer").asText())) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "the metadata names another issuer");
        }
        String as = meta.path("authorization_servers").path(0).asText(issuer);
        ObjectNode asMeta = json(fetcher.get(URI.create(as + "/.well-known/oauth-authorization-server"), JSON), "authorization server metadata");
        String form = "grant_type=" + enc(PRE_AUTH) + "&pre-authorized_code=" + enc(grant.get("pre-authorized_code").asText())
                + txCode.map(t -> "&tx_code=" + enc(t)).orElse("");
        ObjectNode token = json(fetcher.postForm(URI.create(asMeta.path("token_endpoint").asText()), form, JSON, Map.of()), "token");
        String access = token.path("access_token").asText();
        ObjectNode nonce = json(fetcher.postJson(URI.create(meta.path("nonce_endpoint").asText()), new byte[0], JSON, Map.of()), "nonce");
        ObjectNode claims = JsonCodec.objectNode();
        claims.put("aud", issuer).put("iat", Timestamps.toNumericDate(clock.instant())).put("nonce", nonce.path("c_nonce").asText());
        String proof = CompactJws.sign(signer, new JwsHeader(Optional.of(kid.toString()), Optional.of("openid4vci-proof+jwt"),
                Optional.empty()), JsonCodec.write(claims));
        ObjectNode req = JsonCodec.objectNode();
        req.put("credential_configuration_id", configId);
        req.putObject("proofs").putArray("jwt").add(proof);
        ObjectNode resp = json(fetcher.postJson(URI.create(meta.path("credential_endpoint").asText()), JsonCodec.write(req), JSON,
                Map.of("Authorization", "Bearer " + access)), "credential");
        JsonNode cred = resp.path("credentials").path(0).path("credential");
        if (!cred.isTextual()) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "the issuer returned no credential");
        }
        return cred.asText();
    }

    /**
     * Asks the issuer for a renewal offer, proving the current credential bound to a fresh nonce and addressed to the
     * issuer: a vc+jwt in a vp+jwt signed with {@code kid}; an SD-JWT VC as itself, with no disclosures (renewal needs
     * none) and a key-binding JWT signed by {@code signer}, its {@code cnf} key. The offer is of the format held.
     *
     * @throws ProblemException as {@link #receive(ObjectNode, Signer, DidUrl)}
     */
    public ObjectNode renewalOffer(String issuer, String currentCredential, Signer signer, DidUrl kid) {
        ObjectNode meta = json(fetcher.get(URI.create(issuer + "/.well-known/openid-credential-issuer"), JSON), "issuer metadata");
        ObjectNode nonceResponse = json(fetcher.postJson(URI.create(meta.path("nonce_endpoint").asText()), new byte[0], JSON, Map.of()),
                "nonce");
        String nonce = nonceResponse.path("c_nonce").asText();
        Instant now = clock.instant();
        String proof;
        if (SdJwt.looksLikeSdJwt(currentCredential)) {
            SdJwt shown = Presentations.select(SdJwt.parse(currentCredential).withoutKeyBinding(), List.of());
            proof = KeyBinding.sign(signer, shown, issuer, nonce, now).serialize();
        } else {
            proof = VcJose.securePresentation(VcJose.presentationOf(List.of(currentCredential)), signer, kid, nonce, issuer,
                    "urn:uuid:" + UUID.randomUUID(), now, now.plusSeconds(60));
        }
        ObjectNode req = JsonCodec.objectNode().put("presentation", proof);
        ObjectNode out = json(fetcher.postJson(URI.create(issuer + "/oid4vci/renew"), JsonCodec.write(req), JSON, Map.of()), "renewal");
        JsonNode offer = out.get("credential_offer");
        if (offer == null || !offer.isObject()) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "the issuer returned no renewal offer");
        }
        return (ObjectNode) offer;
    }

    /**
     * Registers a delegation link with the issuer of its chain's root ({@code POST {issuer}/delegations}): the request
     * is a {@link dev.tabard.vc.DelegationRegistration} signed by the delegating agent.
     *
     * @return the link with the organization's status entries, unsigned: the agent signs exactly this
     * @throws ProblemException the issuer's own problem (its type and detail) when it refuses
     */
    public ObjectNode registerDelegation(String issuer, String request) {
        byte[] body = JsonCodec.write(JsonCodec.objectNode().put("request", request));
        FetchedResource r = fetcher.postJson(URI.create(issuer + "/delegations"), body, Set.of("application/json",
                "application/problem+json"), Map.of());
        ObjectNode o = JsonCodec.parseObject(r.body().toByteArray());
        if (r.status() != 201 || !o.path("delegation").isObject()) {
            ProblemType type = ProblemType.fromType(o.path("type").asText("")).orElse(ProblemType.FETCH_FAILED);
            throw new ProblemException(type, "the issuer " + issuer + " refused to register the delegation: "
                    + o.path("detail").asText("HTTP " + r.status()));
        }
        return (ObjectNode) o.get("delegation");
    }

    private static ObjectNode json(FetchedResource r, String what) {
        ObjectNode o = JsonCodec.parseObject(r.body().toByteArray());
        if (r.status() / 100 != 2) {
            throw new ProblemException(r.status() == 401 ? ProblemType.UNAUTHORIZED : ProblemType.MALFORMED_VALUE_ERROR,
                    what + " request failed: " + o.path("error").asText("HTTP " + r.status()) + " " + o.path("error_description").asText(""));
        }
        return o;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
