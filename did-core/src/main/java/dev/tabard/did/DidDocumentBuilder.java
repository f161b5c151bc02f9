package dev.tabard.did;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a DID document from its parts and reads it back through {@link DidDocument#parse(byte[], Did)},
 * so that what we publish passes the same checks as what we receive. Single use.
 *
 * <p>{@code @context} is {@code did/v1} plus {@code multikey/v1} and, when a {@code JsonWebKey} method is
 * present, {@code jwk/v1} (SPEC-NOTES §1.4).
 */
public final class DidDocumentBuilder {

    public static final String DID_V1 = "https://www.w3.org/ns/did/v1";
    public static final String MULTIKEY_V1 = "https://w3id.org/security/multikey/v1";
    public static final String JWK_V1 = "https://w3id.org/security/jwk/v1";

    private final Did id;
    private final List<Did> controllers = new ArrayList<>();
    private final List<String> alsoKnownAs = new ArrayList<>();
    private final Map<DidUrl, VerificationMethod> methods = new LinkedHashMap<>();
    private final Map<Relationship, List<DidUrl>> relationships = new EnumMap<>(Relationship.class);
    private final List<ObjectNode> services = new ArrayList<>();
    private boolean built;

    private DidDocumentBuilder(Did id) {
        this.id = id;
    }

    public static DidDocumentBuilder forDid(Did id) {
        return new DidDocumentBuilder(Objects.requireNonNull(id, "id"));
    }

    public DidDocumentBuilder controller(Did controller) {
        controllers.add(Objects.requireNonNull(controller, "controller"));
        return this;
    }

    public DidDocumentBuilder alsoKnownAs(String uri) {
        alsoKnownAs.add(Objects.requireNonNull(uri, "uri"));
        return this;
    }

    /**
     * Adds a verification method (type {@code Multikey} or {@code JsonWebKey}) and lists it under each
     * relationship given.
     */
    public DidDocumentBuilder method(VerificationMethod method, Relationship... purposes) {
        Objects.requireNonNull(method, "method");
        if (!method.type().equals(VerificationMethod.MULTIKEY) && !method.type().equals(VerificationMethod.JSON_WEB_KEY)) {
            throw new IllegalArgumentException("only Multikey and JsonWebKey methods are written, not " + method.type());
        }
        if (methods.putIfAbsent(method.id(), method) != null) {
            throw new IllegalArgumentException("duplicate verification method " + method.id());
        }
        for (Relationship r : purposes) {
            relationships.computeIfAbsent(r, k -> new ArrayList<>()).add(method.id());
        }
        return this;
    }

    /** Adds a service whose endpoint is a single URL. */
    public DidDocumentBuilder service(DidUrl serviceId, String type, String endpoint) {
        ObjectNode s = JsonCodec.objectNode();
        s.put("id", serviceId.toString());
        s.put("type", type);
        s.put("serviceEndpoint", endpoint);
        services.add(s);
        return this;
    }

    /** The document as JSON bytes. */
    public byte[] toJson() {
        ObjectNode doc = JsonCodec.objectNode();
        ArrayNode ctx = doc.putArray("@context");
        ctx.add(DID_V1);
        ctx.add(MULTIKEY_V1);
        if (methods.values().stream().anyMatch(m -> m.type().equals(VerificationMethod.JSON_WEB_KEY))) {
            ctx.add(JWK_V1);
        }
        doc.put("id", id.toString());
        if (!controllers.isEmpty()) {
            ArrayNode c = doc.putArray("controller");
            controllers.forEach(d -> c.add(d.toString()));
        }
        if (!alsoKnownAs.isEmpty()) {
            ArrayNode a = doc.putArray("alsoKnownAs");
            alsoKnownAs.forEach(a::add);
        }
        if (!methods.isEmpty()) {
            ArrayNode vms = doc.putArray("verificationMethod");
            for (VerificationMethod m : methods.values()) {
                vms.add(methodJson(m));
            }
        }
        for (Relationship r : Relationship.values()) {
            List<DidUrl> ids = relationships.get(r);
            if (ids != null) {
                ArrayNode list = doc.putArray(r.property());
                ids.forEach(u -> list.add(u.toString()));
            }
        }
        if (!services.isEmpty()) {
            ArrayNode s = doc.putArray("service");
            services.forEach(s::add);
        }
        return JsonCodec.write(doc);
    }

    /** Writes the document and parses it back. */
    public DidDocument build() {
        if (built) {
            throw new IllegalStateException("a DidDocumentBuilder builds once");
        }
        built = true;
        return DidDocument.parse(toJson(), id);
    }

    /** A method's JSON as DID documents carry it. */
    public static ObjectNode methodJson(VerificationMethod m) {
        ObjectNode vm = JsonCodec.objectNode();
        vm.put("id", m.id().toString());
        vm.put("type", m.type());
        vm.put("controller", m.controller().toString());
        if (m.type().equals(VerificationMethod.JSON_WEB_KEY)) {
            ObjectNode jwk = vm.putObject("publicKeyJwk");
            m.key().toJwk().forEach(jwk::put);
        } else {
            vm.put("publicKeyMultibase", m.key().toMultibase());
        }
        return vm;
    }
}
