package dev.tabard.vc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.Signer;
import dev.tabard.did.Did;
import dev.tabard.did.DidUrl;
import dev.tabard.vc.jose.CompactJws;
import dev.tabard.vc.jose.JwsHeader;
import java.time.Instant;
import java.util.List;

/**
 * The request an agent sends its organization's issuer ({@code POST /delegations}, as {@code {"request": …}}) to
 * register a delegation link before signing it: a JWS of type {@value #TYPE} signed by the agent's own key, whose
 * payload names the issuer ({@code aud}), the time ({@code iat}), the unsigned link ({@code delegation}) and the chain
 * it extends ({@code chain}: the organization's AgentCredential, then any links before this one, each as carried).
 */
public final class DelegationRegistration {

    public static final String TYPE = "tabard-delegation-registration+jwt";

    private DelegationRegistration() {
    }

    /**
     * A registration request.
     *
     * @param chain each credential as carried: a vc+jwt string as a text node, or a document with its proof
     */
    public static String request(Signer agentKey, DidUrl kid, Did issuer, ObjectNode unsignedLink, List<JsonNode> chain, Instant now) {
        ObjectNode payload = JsonCodec.objectNode();
        payload.put("aud", issuer.toString());
        payload.put("iat", now.getEpochSecond());
        payload.set("delegation", unsignedLink);
        ArrayNode c = payload.putArray("chain");
        chain.forEach(c::add);
        return CompactJws.sign(agentKey, JwsHeader.of(kid.toString(), TYPE), JsonCodec.write(payload));
    }
}
