package dev.tabard.issuer.oid4vci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.did.Did;
import dev.tabard.issuer.IssuerService;
import dev.tabard.issuer.agents.Agent;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.sdjwt.SdJwt;
import dev.tabard.sdjwt.vc.AgentSdJwtVc;
import dev.tabard.sdjwt.vc.SdJwtVcVerifier;
import dev.tabard.sdjwt.vc.VerifiedSdJwtVc;
import dev.tabard.vc.jose.CompactJws;
import dev.tabard.vc.jose.JoseOptions;
import dev.tabard.vc.jose.VcJose;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * OpenID4VCI renewal without an administrator ({@code POST /oid4vci/renew}): a registered, active agent proves its
 * current, unrevoked AgentCredential, bound to a fresh {@code c_nonce} and addressed to this issuer, and gets a new
 * pre-authorized offer of the format it holds. A vc+jwt is proved in a vp+jwt signed by the agent's DID; an SD-JWT VC
 * is presented as itself with a key-binding JWT by its {@code cnf} key and no disclosures, since nothing selectively
 * disclosable is needed to renew it.
 *
 * <p>The nonce is used up before the proof is checked, so a presentation cannot be replayed, refused or not.
 */
final class Renewal {

    /** Makes the offer a renewal answers with: for {@code agent}, of {@code configurationId}, without a tx_code. */
    @FunctionalInterface
    interface Offers {
        ObjectNode offer(Did agent, String configurationId);
    }

    /** What a checked presentation proved: whose credential, of which configuration, and whether it is current. */
    private record Proved(Did holder, String configuration, boolean current) {
    }

    private final IssuerService service;
    private final URI issuerId;
    private final Clock clock;
    private final Grants grants;
    private final Offers offers;

    Renewal(IssuerService service, URI issuerId, Clock clock, Grants grants, Offers offers) {
        this.service = Objects.requireNonNull(service, "service");
        this.issuerId = Objects.requireNonNull(issuerId, "issuerId");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.grants = Objects.requireNonNull(grants, "grants");
        this.offers = Objects.requireNonNull(offers, "offers");
    }

    OAuthResponse renew(byte[] body) {
        if (body.length > Oid4vci.MAX_REQUEST_BYTES) {
            return OAuthResponse.error(400, "invalid_request", "request too large");
        }
        ObjectNode request;
        try {
            request = JsonCodec.parseObject(body);
        } catch (ProblemException e) {
            return OAuthResponse.error(400, "invalid_request", "the request is not a JSON object");
        }
        String presentation = request.path("presentation").asText("");
        boolean sdJwt = SdJwt.looksLikeSdJwt(presentation);
        String nonce;
        try {
            nonce = sdJwt ? keyBindingNonce(presentation) : CompactJws.parse(presentation).payloadJson().path("nonce").asText("");
        } catch (ProblemException e) {
            return OAuthResponse.error(400, "invalid_request", "presentation: " + e.problem().detail());
        }
        if (!grants.takeNonce(nonce)) {
            return OAuthResponse.error(400, "invalid_nonce", "the presentation's nonce is unknown, used or expired: get a new one from "
                    + issuerId + "/oid4vci/nonce");
        }
        Proved proved;
        try {
            proved = sdJwt ? sdJwt(presentation, nonce) : vpJwt(presentation, nonce);
        } catch (ProblemException e) {
            if (e.type() == ProblemType.CREDENTIAL_EXPIRED) {
                return denied();
            }
            return OAuthResponse.error(400, "invalid_proof", e.problem().detail());
        }
        Optional<Agent> agent = service.agents().find(proved.holder());
        if (!proved.current() || agent.isEmpty() || !agent.get().active()) {
            return denied();
        }
        try {
            return new OAuthResponse(200, offers.offer(proved.holder(), proved.configuration()), Map.of());
        } catch (ProblemException e) {
            return OAuthResponse.tooMany(grants.offerRetryAfter(proved.holder()), e.problem().detail());
        }
    }

    private static OAuthResponse denied() {
        return OAuthResponse.error(400, "credential_request_denied",
                "renewal needs a current, unrevoked credential of a registered, active agent: ask the organization for a new offer");
    }

    private static String keyBindingNonce(String presentation) {
        String kb = SdJwt.parse(presentation).keyBindingJwt().orElseThrow(() -> new ProblemException(ProblemType.MALFORMED_VALUE_ERROR,
                "an SD-JWT VC is renewed with a key-binding JWT for this issuer and a fresh c_nonce; this one has none"));
        return CompactJws.parse(kb).payloadJson().path("nonce").asText("");
    }

    private Proved vpJwt(String vp, String nonce) {
        VcJose.VerifiedPresentation verified = VcJose.verifyPresentation(vp, service.orgKeys().localResolver(),
                JoseOptions.strict(clock, Duration.ofSeconds(60)), nonce, issuerId.toString());
        Did holder = verified.holder();
        boolean current = false;
        for (VcJose.VerifiedCredential c : verified.credentials()) {
            boolean ours = c.credential().issuer().id().toString().equals(service.did().toString());
            boolean forHolder = c.credential().subjects().stream().anyMatch(sub -> sub.id().map(holder.toString()::equals).orElse(false));
            boolean valid = c.credential().validUntil().map(u -> u.isAfter(clock.instant())).orElse(false);
            boolean live = c.credential().id().map(id -> service.statusLists().active(id.toString())).orElse(false);
            current |= ours && forHolder && valid && live;
        }
        return new Proved(holder, Oid4vci.CONFIGURATION_ID, current);
    }

    /**
     * An SD-JWT VC of this issuer's AgentCredential {@code vct}, its key binding for this issuer and {@code nonce}, and
     * its Token Status List entry VALID in this issuer's own store; the holder is its {@code sub}.
     */
    private Proved sdJwt(String presentation, String nonce) {
        VerifiedSdJwtVc v = SdJwtVcVerifier.builder(service.orgKeys().localResolver()).clock(clock).build()
                .verify(presentation, issuerId.toString(), nonce);
        JsonNode sub = v.claims().path("sub");
        if (!sub.isTextual()) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "the SD-JWT VC names no agent (sub)");
        }
        Did holder = Did.parse(sub.asText());
        boolean ours = v.issuerDid().map(service.did()::equals).orElse(false) && AgentSdJwtVc.VCT.equals(v.vct());
        boolean live = v.status().map(service.sdJwt().statusLists()::valid).orElse(false);
        return new Proved(holder, Oid4vci.SD_JWT_CONFIGURATION_ID, ours && live);
    }
}
