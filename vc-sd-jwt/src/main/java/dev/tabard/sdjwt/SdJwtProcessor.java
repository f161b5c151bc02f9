package dev.tabard.sdjwt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.jose.VerifiedJws;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * RFC 9901 §7.1 steps 3-5: puts each disclosure back where its digest stands, and refuses everything the RFC says to
 * refuse — a digest listed twice, a disclosure presented twice or referenced by no digest, a property disclosure where
 * an array element stands (or the reverse), and a disclosure that would overwrite a claim. Bounded in depth and in the
 * number of JSON nodes it builds, since disclosures nest inside one another.
 */
final class SdJwtProcessor {

    /** Deepest processed payload, disclosures nested in disclosures included (the JSON depth limit). */
    static final int MAX_DEPTH = JsonCodec.MAX_DEPTH;
    /** Most JSON values in one processed payload. */
    static final int MAX_NODES = 20_000;

    private final Map<String, Disclosure> byDigest = new HashMap<>();
    private final Set<String> seenDigests = new HashSet<>();
    private final List<DisclosedClaim> disclosed = new ArrayList<>();
    private final Set<ClaimPath> withheld = new java.util.LinkedHashSet<>();
    private int nodes;

    private SdJwtProcessor(List<Disclosure> disclosures) {
        for (Disclosure d : disclosures) {
            if (byDigest.put(d.digest(), d) != null) {
                throw invalid("the same disclosure is presented twice (" + d.name().orElse("an array element") + ")");
            }
        }
    }

    static ProcessedSdJwt process(VerifiedJws jws, List<Disclosure> disclosures) {
        Walk walk = walk(jws.payloadJson(), disclosures);
        return new ProcessedSdJwt(jws.typ(), jws.kid(), jws.key(), walk.claims(), walk.disclosed(), walk.withheld());
    }

    /** The processed payload and where each disclosure went, without any signature check (the holder's view). */
    static Walk walk(ObjectNode payload, List<Disclosure> disclosures) {
        JsonNode alg = payload.get("_sd_alg");
        if (alg != null && !(alg.isTextual() && alg.asText().equals("sha-256"))) {
            throw new ProblemException(ProblemType.ALGORITHM_NOT_ALLOWED, "_sd_alg " + alg + " is not supported: only sha-256");
        }
        SdJwtProcessor p = new SdJwtProcessor(disclosures);
        ObjectNode claims = p.object(payload, null, 1, true);
        if (p.disclosed.size() != disclosures.size()) {
            // every disclosure went somewhere exactly once, or one of them is an orphan
            Set<Disclosure> used = new HashSet<>();
            p.disclosed.forEach(c -> used.add(c.disclosure()));
            for (Disclosure d : disclosures) {
                if (!used.contains(d)) {
                    throw invalid("a disclosure is referenced by no digest in the SD-JWT (" + d + ")");
                }
            }
        }
        return new Walk(claims, List.copyOf(p.disclosed), Set.copyOf(p.withheld));
    }

    record Walk(ObjectNode claims, List<DisclosedClaim> disclosed, Set<ClaimPath> withheld) {
    }

    private JsonNode value(JsonNode node, ClaimPath path, int depth) {
        if (depth > MAX_DEPTH) {
            throw new ProblemException(ProblemType.LIMIT_EXCEEDED, "an SD-JWT payload nests deeper than " + MAX_DEPTH);
        }
        if (++nodes > MAX_NODES) {
            throw new ProblemException(ProblemType.LIMIT_EXCEEDED, "an SD-JWT payload has more than " + MAX_NODES + " values");
        }
        if (node.isObject()) {
            return object((ObjectNode) node, path, depth, false);
        }
        if (node.isArray()) {
            return array((ArrayNode) node, path, depth);
        }
        return node;
    }

    private ObjectNode object(ObjectNode in, ClaimPath path, int depth, boolean root) {
        ObjectNode out = JsonCodec.objectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = in.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (f.getKey().equals("_sd") || (root && f.getKey().equals("_sd_alg"))) {
                continue;
            }
            out.set(f.getKey(), value(f.getValue(), child(path, f.getKey()), depth + 1));
        }
        JsonNode sd = in.get("_sd");
        if (sd == null) {
            return out;
        }
        if (!sd.isArray()) {
            throw invalid("'_sd' must be an array of digests");
        }
        for (JsonNode digest : sd) {
            if (!digest.isTextual()) {
                throw invalid("'_sd' must be an array of digests");
            }
            Disclosure d = reference(digest.asText());
            if (d == null) {
                if (path != null) {
                    withheld.add(path);
                }
                continue;
            }
            if (d.isArrayElement()) {
                throw invalid("an array-element disclosure is referenced from an object's '_sd' (" + d + ")");
            }
            String name = d.name().orElseThrow();
            if (out.has(name) || in.has(name)) {
                throw invalid("a disclosure would overwrite the claim '" + name + "'");
            }
            ClaimPath p = child(path, name);
            disclosed.add(new DisclosedClaim(p, d));
            out.set(name, value(d.value(), p, depth + 1));
        }
        return out;
    }

    private ArrayNode array(ArrayNode in, ClaimPath path, int depth) {
        ArrayNode out = JsonCodec.arrayNode();
        for (JsonNode element : in) {
            if (element.isObject() && element.size() == 1 && element.has("...")) {
                JsonNode digest = element.get("...");
                if (!digest.isTextual()) {
                    throw invalid("an array element's '...' must be a digest");
                }
                Disclosure d = reference(digest.asText());
                if (d == null) {
                    withheld.add(path);
                    continue;
                }
                if (!d.isArrayElement()) {
                    throw invalid("a property disclosure is referenced from an array element (" + d + ")");
                }
                ClaimPath p = path.child(out.size());
                disclosed.add(new DisclosedClaim(p, d));
                out.add(value(d.value(), p, depth + 1));
            } else {
                out.add(value(element, path.child(out.size()), depth + 1));
            }
        }
        return out;
    }

    /** The disclosure a digest names, or null for a decoy or an undisclosed claim; each digest may appear once. */
    private Disclosure reference(String digest) {
        if (!seenDigests.add(digest)) {
            throw invalid("the digest " + digest + " appears more than once in the SD-JWT");
        }
        return byDigest.get(digest);
    }

    private static ClaimPath child(ClaimPath path, String name) {
        return path == null ? ClaimPath.of(name) : path.child(name);
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(ProblemType.SD_JWT_DISCLOSURE_INVALID, detail);
    }
}
