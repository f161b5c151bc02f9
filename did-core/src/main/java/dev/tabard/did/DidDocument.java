package dev.tabard.did;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.VerificationKey;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed DID document (DID Core §5). Embedded verification methods are normalized into
 * {@link #methods()}; relationships hold absolute DID URLs. The original JSON is kept, so unknown
 * properties survive a round trip through {@link #json()}.
 *
 * <p>Methods of types Tabard cannot verify with (X25519 key agreement, BLS, …) are left out of
 * {@link #methods()} but stay in the JSON; a supported type with bad key material fails the document.
 *
 * @param id the DID the document describes
 * @param controllers the document's {@code controller} DIDs
 * @param alsoKnownAs URIs, as written
 * @param methods verification methods Tabard can use
 * @param relationships each relationship's method ids
 * @param services service entries
 * @param json the document as received
 */
public record DidDocument(Did id, List<Did> controllers, List<String> alsoKnownAs, List<VerificationMethod> methods,
                          Map<Relationship, List<DidUrl>> relationships, List<Service> services, String json) {

    /** DID documents larger than this are refused before parsing. */
    public static final int MAX_BYTES = 256 * 1024;

    private static final Map<String, String> KEY_PROPERTY = Map.of(
            "Multikey", "publicKeyMultibase",
            "Ed25519VerificationKey2020", "publicKeyMultibase",
            "JsonWebKey", "publicKeyJwk",
            "JsonWebKey2020", "publicKeyJwk");

    public DidDocument {
        Objects.requireNonNull(id, "id");
        controllers = List.copyOf(controllers);
        alsoKnownAs = List.copyOf(alsoKnownAs);
        methods = List.copyOf(methods);
        EnumMap<Relationship, List<DidUrl>> rel = new EnumMap<>(Relationship.class);
        for (Relationship r : Relationship.values()) {
            rel.put(r, List.copyOf(relationships.getOrDefault(r, List.of())));
        }
        relationships = java.util.Collections.unmodifiableMap(rel);
        services = List.copyOf(services);
        Objects.requireNonNull(json, "json");
    }

    /**
     * Parses a DID document and checks that it describes {@code expectedId}.
     *
     * @throws ProblemException {@code INVALID_CONTROLLED_IDENTIFIER_DOCUMENT_ID} when {@code id} is not
     *     {@code expectedId}; {@code INVALID_DID_DOCUMENT} for anything else malformed, with a JSON pointer
     */
    public static DidDocument parse(byte[] json, Did expectedId) {
        Objects.requireNonNull(expectedId, "expectedId");
        DidDocument doc = parse(json);
        if (!doc.id.equals(expectedId)) {
            throw new ProblemException(ProblemType.INVALID_CONTROLLED_IDENTIFIER_DOCUMENT_ID,
                    "document id " + doc.id + " is not the requested DID " + expectedId);
        }
        return doc;
    }

    /**
     * Parses a DID document.
     *
     * @throws ProblemException {@code INVALID_DID_DOCUMENT} for malformed input, with a JSON pointer
     */
    public static DidDocument parse(byte[] json) {
        Objects.requireNonNull(json, "json");
        if (json.length > MAX_BYTES) {
            throw new ProblemException(ProblemType.INVALID_DID_DOCUMENT,
                    "DID document exceeds " + MAX_BYTES + " bytes");
        }
        JsonNode root;
        try {
            root = JsonCodec.parse(json);
        } catch (ProblemException e) {
            throw new ProblemException(ProblemType.INVALID_DID_DOCUMENT, e.problem().detail());
        }
        if (!root.isObject()) {
            throw invalid("", "a DID document is a JSON object");
        }
        Did id = did(root.get("id"), "/id");
        List<Did> controllers = new ArrayList<>();
        JsonNode c = root.get("controller");
        if (c != null) {
            if (c.isArray()) {
                for (int i = 0; i < c.size(); i++) {
                    controllers.add(did(c.get(i), "/controller/" + i));
                }
            } else {
                controllers.add(did(c, "/controller"));
            }
        }
        List<String> aka = new ArrayList<>();
        JsonNode a = root.get("alsoKnownAs");
        if (a != null) {
            if (!a.isArray()) {
                throw invalid("/alsoKnownAs", "alsoKnownAs must be an array");
            }
            for (int i = 0; i < a.size(); i++) {
                if (!a.get(i).isTextual()) {
                    throw invalid("/alsoKnownAs/" + i, "alsoKnownAs entries must be strings");
                }
                aka.add(a.get(i).asText());
            }
        }
        Map<DidUrl, VerificationMethod> methods = new LinkedHashMap<>();
        JsonNode vms = root.get("verificationMethod");
        if (vms != null) {
            if (!vms.isArray()) {
                throw invalid("/verificationMethod", "verificationMethod must be an array");
            }
            for (int i = 0; i < vms.size(); i++) {
                method(vms.get(i), id, "/verificationMethod/" + i).ifPresent(vm -> put(methods, vm));
            }
        }
        Map<Relationship, List<DidUrl>> relationships = new EnumMap<>(Relationship.class);
        for (Relationship r : Relationship.values()) {
            JsonNode list = root.get(r.property());
            if (list == null) {
                continue;
            }
            String ptr = "/" + r.property();
            if (!list.isArray()) {
                throw invalid(ptr, r.property() + " must be an array");
            }
            List<DidUrl> ids = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                JsonNode item = list.get(i);
                if (item.isTextual()) {
                    ids.add(url(item.asText(), id, ptr + "/" + i));
                } else if (item.isObject()) {
                    Optional<VerificationMethod> vm = method(item, id, ptr + "/" + i);
                    if (vm.isPresent()) {
                        put(methods, vm.get());
                        ids.add(vm.get().id());
                    } else {
                        ids.add(url(item.path("id").asText(""), id, ptr + "/" + i + "/id"));
                    }
                } else {
                    throw invalid(ptr + "/" + i, "a relationship entry is a DID URL or a verification method");
                }
            }
            relationships.put(r, ids);
        }
        List<Service> services = new ArrayList<>();
        JsonNode svc = root.get("service");
        if (svc != null) {
            if (!svc.isArray()) {
                throw invalid("/service", "service must be an array");
            }
            for (int i = 0; i < svc.size(); i++) {
                services.add(service(svc.get(i), id, "/service/" + i));
            }
        }
        return new DidDocument(id, controllers, aka, List.copyOf(methods.values()), relationships, services,
                new String(json, StandardCharsets.UTF_8));
    }

    /** The method with this id, if the document has one Tabard can use. */
    public Optional<VerificationMethod> method(DidUrl methodId) {
        Objects.requireNonNull(methodId, "methodId");
        for (VerificationMethod vm : methods) {
            if (vm.id().equals(methodId)) {
                return Optional.of(vm);
            }
        }
        return Optional.empty();
    }

    /** The methods listed under {@code purpose}, in document order. */
    public List<VerificationMethod> methodsFor(Relationship purpose) {
        List<VerificationMethod> out = new ArrayList<>();
        for (DidUrl u : relationships.get(purpose)) {
            method(u).ifPresent(out::add);
        }
        return out;
    }

    /**
     * Retrieves a verification method for a purpose, as CID 1.0 §3.3 requires for every proof and JWS
     * {@code kid}.
     *
     * @throws ProblemException {@code INVALID_VERIFICATION_METHOD} when the document has no usable method with
     *     that id or its controller is not this document's DID; {@code INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD}
     *     when the method is not listed under {@code purpose}
     */
    public VerificationMethod authorize(DidUrl methodId, Relationship purpose) {
        Objects.requireNonNull(purpose, "purpose");
        if (!methodId.did().equals(id)) {
            throw new ProblemException(ProblemType.INVALID_VERIFICATION_METHOD,
                    "verification method " + methodId + " does not belong to " + id);
        }
        VerificationMethod vm = method(methodId).orElseThrow(() -> new ProblemException(
                ProblemType.INVALID_VERIFICATION_METHOD,
                "no usable verification method " + methodId + " in the document of " + id));
        if (!vm.controller().equals(id)) {
            throw new ProblemException(ProblemType.INVALID_VERIFICATION_METHOD,
                    "verification method " + methodId + " is controlled by " + vm.controller() + ", not " + id);
        }
        if (!relationships.get(purpose).contains(methodId)) {
            throw new ProblemException(ProblemType.INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD,
                    "verification method " + methodId + " is not authorized for " + purpose.property());
        }
        return vm;
    }

    private static void put(Map<DidUrl, VerificationMethod> methods, VerificationMethod vm) {
        VerificationMethod prev = methods.putIfAbsent(vm.id(), vm);
        if (prev != null && !prev.equals(vm)) {
            throw new ProblemException(ProblemType.INVALID_DID_DOCUMENT,
                    "two different verification methods share the id " + vm.id());
        }
    }

    private static Optional<VerificationMethod> method(JsonNode vm, Did docId, String ptr) {
        if (!vm.isObject()) {
            throw invalid(ptr, "a verification method is a JSON object");
        }
        DidUrl vmId = url(text(vm, "id", ptr), docId, ptr + "/id");
        if (!vmId.did().equals(docId)) {
            throw invalid(ptr + "/id", "verification method " + vmId + " does not belong to " + docId);
        }
        Did controller = did(vm.get("controller"), ptr + "/controller");
        String type = text(vm, "type", ptr);
        boolean hasMultibase = vm.has("publicKeyMultibase");
        boolean hasJwk = vm.has("publicKeyJwk");
        if (hasMultibase && hasJwk) {
            throw invalid(ptr, "a verification method has one of publicKeyMultibase and publicKeyJwk, not both");
        }
        String property = KEY_PROPERTY.get(type);
        if (property == null) {
            return Optional.empty(); // a type Tabard does not verify with; kept in the JSON only
        }
        JsonNode material = vm.get(property);
        if (material == null) {
            throw invalid(ptr, type + " requires " + property);
        }
        VerificationKey key;
        try {
            if (property.equals("publicKeyMultibase")) {
                if (!material.isTextual()) {
                    throw invalid(ptr + "/publicKeyMultibase", "publicKeyMultibase must be a string");
                }
                key = VerificationKey.fromMultibase(material.asText());
            } else {
                key = VerificationKey.fromJwk(material);
            }
        } catch (ProblemException e) {
            if (e.type() == ProblemType.INVALID_DID_DOCUMENT) {
                throw e;
            }
            throw invalid(ptr + "/" + property, e.problem().detail());
        }
        return Optional.of(new VerificationMethod(vmId, controller, key, type));
    }

    private static Service service(JsonNode s, Did docId, String ptr) {
        if (!s.isObject()) {
            throw invalid(ptr, "a service is a JSON object");
        }
        DidUrl sid = url(text(s, "id", ptr), docId, ptr + "/id");
        List<String> types = new ArrayList<>();
        JsonNode t = s.get("type");
        if (t != null && t.isTextual()) {
            types.add(t.asText());
        } else if (t != null && t.isArray()) {
            for (Iterator<JsonNode> it = t.elements(); it.hasNext(); ) {
                JsonNode e = it.next();
                if (!e.isTextual()) {
                    throw invalid(ptr + "/type", "service types are strings");
                }
                types.add(e.asText());
            }
        } else {
            throw invalid(ptr + "/type", "a service needs a type");
        }
        JsonNode ep = s.get("serviceEndpoint");
        if (ep == null || !(ep.isTextual() || ep.isObject() || ep.isArray())) {
            throw invalid(ptr + "/serviceEndpoint", "serviceEndpoint must be a URL, a map or a set of them");
        }
        return new Service(sid, types, ep.toString());
    }

    private static String text(JsonNode node, String name, String ptr) {
        JsonNode v = node.get(name);
        if (v == null || !v.isTextual()) {
            throw invalid(ptr + "/" + name, "'" + name + "' must be a string");
        }
        return v.asText();
    }

    private static Did did(JsonNode node, String ptr) {
        if (node == null || !node.isTextual()) {
            throw invalid(ptr, "expected a DID string");
        }
        try {
            return Did.parse(node.asText());
        } catch (ProblemException e) {
            throw invalid(ptr, e.problem().detail());
        }
    }

    private static DidUrl url(String ref, Did base, String ptr) {
        try {
            return DidUrl.resolve(base, ref);
        } catch (ProblemException e) {
            throw invalid(ptr, e.problem().detail());
        }
    }

    private static ProblemException invalid(String pointer, String detail) {
        return new ProblemException(dev.tabard.problem.Problem.at(ProblemType.INVALID_DID_DOCUMENT, pointer, detail));
    }
}
