package dev.tabard.vc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The VC data model's value rules, each failing with a pointer to the value that broke it. */
final class DataModel {

    static final String V2_CONTEXT = "https://www.w3.org/ns/credentials/v2";
    static final String V1_CONTEXT = "https://www.w3.org/2018/credentials/v1";

    private static final Set<String> LANGUAGE_KEYS = Set.of("@value", "@language", "@direction");

    private DataModel() {
    }

    static ProblemException malformed(String pointer, String detail) {
        return new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, pointer, detail));
    }

    static boolean isUrl(String s) {
        return parseUrl(s) != null;
    }

    /** The absolute URL {@code s} is, or null. */
    private static URI parseUrl(String s) {
        if (s.isEmpty()) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) <= ' ') {
                return null;
            }
        }
        try {
            URI u = new URI(s);
            return u.isAbsolute() ? u : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    static URI url(JsonNode node, String pointer, String what) {
        URI url = node == null || !node.isTextual() ? null : parseUrl(node.asText());
        if (url == null) {
            throw malformed(pointer, what + " must be a URL");
        }
        return url;
    }

    static Optional<URI> optionalUrl(JsonNode parent, String name, String pointer) {
        if (!parent.has(name)) {
            return Optional.empty();
        }
        return Optional.of(url(parent.get(name), pointer + "/" + name, name));
    }

    /** The values of a property that may be one value or an array of them. */
    static List<JsonNode> oneOrMany(JsonNode node) {
        List<JsonNode> out = new ArrayList<>();
        if (node == null) {
            return out;
        }
        if (node.isArray()) {
            node.forEach(out::add);
        } else {
            out.add(node);
        }
        return out;
    }

    static List<String> types(JsonNode node, String pointer, String required) {
        if (node == null) {
            throw malformed(pointer, "type is required");
        }
        List<String> types = new ArrayList<>();
        List<JsonNode> items = oneOrMany(node);
        for (int i = 0; i < items.size(); i++) {
            if (!items.get(i).isTextual() || items.get(i).asText().isEmpty()) {
                throw malformed(node.isArray() ? pointer + "/" + i : pointer, "type entries must be non-empty strings");
            }
            types.add(items.get(i).asText());
        }
        if (required != null && !types.contains(required)) {
            throw malformed(pointer, "type must include " + required);
        }
        return List.copyOf(types);
    }

    /** {@code name}/{@code description}: a string, a language value object, or an array of them. */
    static void languageValue(JsonNode parent, String name, String pointer) {
        JsonNode v = parent.get(name);
        if (v == null) {
            return;
        }
        List<JsonNode> items = oneOrMany(v);
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String p = pointer + "/" + name + (v.isArray() ? "/" + i : "");
            if (item.isTextual()) {
                continue;
            }
            if (!item.isObject() || !item.has("@value") || !item.get("@value").isTextual()) {
                throw malformed(p, name + " must be a string or a language value object");
            }
            item.fieldNames().forEachRemaining(k -> {
                if (!LANGUAGE_KEYS.contains(k)) {
                    throw malformed(p + "/" + k, name + " language value has the unexpected member '" + k + "'");
                }
            });
        }
    }

    /** {@code credentialSchema}, {@code termsOfUse}, {@code evidence}, {@code refreshService}: objects with a type. */
    static List<String> typedObjects(JsonNode parent, String name, String pointer, boolean idRequired) {
        JsonNode v = parent.get(name);
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        List<JsonNode> items = oneOrMany(v);
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String p = pointer + "/" + name + (v.isArray() ? "/" + i : "");
            if (!item.isObject()) {
                throw malformed(p, name + " entries must be objects");
            }
            types(item.get("type"), p + "/type", null);
            if (idRequired || item.has("id")) {
                url(item.get("id"), p + "/id", name + " id");
            }
            out.add(item.toString());
        }
        return out;
    }

    /** The @context rules: an array (or one string) whose first entry is {@code first}; URLs or objects after. */
    static List<String> contexts(JsonNode node, String first, String base) {
        if (node == null) {
            throw malformed(base + "/@context", "@context is required");
        }
        List<JsonNode> items = oneOrMany(node);
        if (items.isEmpty() || !items.get(0).isTextual() || !items.get(0).asText().equals(first)) {
            throw malformed(base + "/@context" + (node.isArray() ? "/0" : ""), "the first @context entry must be " + first);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode c = items.get(i);
            String p = base + "/@context" + (node.isArray() ? "/" + i : "");
            if (c.isTextual()) {
                if (!isUrl(c.asText())) {
                    throw malformed(p, "@context entries must be URLs or objects");
                }
                out.add(c.asText());
            } else if (c.isObject()) {
                out.add(c.toString());
            } else {
                throw malformed(p, "@context entries must be URLs or objects");
            }
        }
        return List.copyOf(out);
    }
}
