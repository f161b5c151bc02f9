package dev.tabard.wallet.card;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.Base64Url;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.Signer;
import dev.tabard.did.DidUrl;
import dev.tabard.vc.di.Jcs;
import dev.tabard.vc.jose.EnvelopedCredential;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * An A2A agent card (v1.0) for an agent, carrying its AgentCredential in an extension and signed as A2A §8
 * says: a JWS with detached payload over the RFC 8785 form of the card without {@code signatures}, with
 * {@code typ: JOSE} and the agent's key as {@code kid}. A counterparty checks card, key and organization
 * together with the verifier's {@code verifyAgentCard}.
 *
 * @param skills each skill's id, name and description
 */
public record AgentCard(String name, String description, String version, String organization, URI organizationUrl,
                        URI endpoint, List<Skill> skills) {

    /** The extension that carries the AgentCredential. */
    public static final String CREDENTIAL_EXTENSION = "https://w3id.org/tabard/a2a/agent-credential/v1";

    public record Skill(String id, String name, String description, List<String> tags) {
        public Skill {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(description, "description");
            tags = List.copyOf(tags);
        }
    }

    public AgentCard {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(organization, "organization");
        Objects.requireNonNull(organizationUrl, "organizationUrl");
        Objects.requireNonNull(endpoint, "endpoint");
        skills = List.copyOf(skills);
        if (skills.isEmpty()) {
            throw new IllegalArgumentException("an agent card lists at least one skill");
        }
    }

    /** The signed card JSON, carrying {@code vcJwt} and signed by {@code signer} as {@code kid}. */
    public ObjectNode sign(String vcJwt, Signer signer, DidUrl kid) {
        ObjectNode card = JsonCodec.objectNode();
        card.put("name", name);
        card.put("description", description);
        card.put("version", version);
        card.putObject("provider").put("organization", organization).put("url", organizationUrl.toString());
        card.putArray("supportedInterfaces").addObject().put("url", endpoint.toString()).put("protocolBinding", "JSONRPC")
                .put("protocolVersion", "1.0");
        ObjectNode ext = card.putObject("capabilities").putArray("extensions").addObject();
        ext.put("uri", CREDENTIAL_EXTENSION);
        ext.put("description", "The organization's AgentCredential for this agent");
        ext.put("required", false);
        ext.putObject("params").put("did", kid.did().toString()).set("credential", EnvelopedCredential.of(vcJwt));
        card.putArray("defaultInputModes").add("application/json");
        card.putArray("defaultOutputModes").add("application/json");
        ArrayNode sk = card.putArray("skills");
        for (Skill s : skills) {
            ObjectNode o = sk.addObject().put("id", s.id()).put("name", s.name()).put("description", s.description());
            ArrayNode tags = o.putArray("tags");
            s.tags().forEach(tags::add);
        }
        ObjectNode header = JsonCodec.objectNode();
        header.put("alg", signer.keyType().jwsAlgorithm()).put("typ", "JOSE").put("kid", kid.toString());
        String protectedHeader = Base64Url.encode(JsonCodec.write(header));
        String signingInput = protectedHeader + "." + Base64Url.encode(Jcs.canonicalize(card));
        String signature = Base64Url.encode(signer.sign(signingInput.getBytes(StandardCharsets.US_ASCII)));
        card.putArray("signatures").addObject().put("protected", protectedHeader).put("signature", signature);
        return card;
    }
}
