package dev.tabard.vc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.codec.Multibase;
import dev.tabard.jsonld.BundledContexts;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * VC DM 2.0 §5.3 {@code relatedResource}: one or more objects, each with an {@code id} URL unique in the list and
 * at least one well-formed digest ({@code digestSRI}, {@code digestMultibase}). A credential that pins a resource
 * this jar holds (a bundled JSON-LD context) with a digest of other bytes is refused: the issuer would be asserting
 * a context other than the one every verifier processes.
 *
 * @see <a href="https://www.w3.org/TR/vc-data-model-2.0/#integrity-of-related-resources">VC DM 2.0 §5.3</a>
 * @see <a href="https://www.w3.org/TR/vc-data-integrity/#resource-integrity">VC Data Integrity §2.6</a>
 */
final class RelatedResources {

    /** Related resources per credential; a credential pins a handful of contexts, schemas or images. */
    static final int MAX_RESOURCES = 64;
    /** Digests in one {@code digestSRI} or {@code digestMultibase} value. */
    static final int MAX_DIGESTS_PER_VALUE = 4;

    /** SRI §3.5 hash-expression; base64-value as CSP defines it (either base64 alphabet, padding optional). */
    private static final Pattern SRI = Pattern.compile("(sha256|sha384|sha512)-([A-Za-z0-9+/_-]+={0,2})");

    /** The SRI algorithms and the JCA name and digest length of each. */
    private static final Map<String, Algorithm> SRI_ALGORITHMS = Map.of(
            "sha256", new Algorithm("SHA-256", 32),
            "sha384", new Algorithm("SHA-384", 48),
            "sha512", new Algorithm("SHA-512", 64));

    /** The multihash codes VC Data Integrity §2.6 allows (SHA-2 and SHA-3), each one varint byte. */
    private static final Map<Integer, Algorithm> MULTIHASH_ALGORITHMS = Map.of(
            0x12, new Algorithm("SHA-256", 32),
            0x20, new Algorithm("SHA-384", 48),
            0x13, new Algorithm("SHA-512", 64),
            0x16, new Algorithm("SHA3-256", 32),
            0x15, new Algorithm("SHA3-384", 48),
            0x14, new Algorithm("SHA3-512", 64));

    private record Algorithm(String jcaName, int length) {
        byte[] digest(byte[] data) {
            try {
                return MessageDigest.getInstance(jcaName).digest(data);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(jcaName + " is part of every Java 17 runtime", e);
            }
        }
    }

    private RelatedResources() {
    }

    /** Checks {@code relatedResource} of {@code credential} if present; pointers start at {@code base}. */
    static void check(JsonNode credential, String base) {
        JsonNode v = credential.get("relatedResource");
        if (v == null) {
            return;
        }
        String pointer = base + "/relatedResource";
        List<JsonNode> items = DataModel.oneOrMany(v);
        if (items.isEmpty()) {
            throw DataModel.malformed(pointer, "relatedResource must hold one or more objects");
        }
        if (items.size() > MAX_RESOURCES) {
            throw DataModel.malformed(pointer, "relatedResource holds more than " + MAX_RESOURCES + " objects");
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            String p = v.isArray() ? pointer + "/" + i : pointer;
            JsonNode item = items.get(i);
            if (!item.isObject()) {
                throw DataModel.malformed(p, "relatedResource entries must be objects with an id and a digest, not "
                        + item.getNodeType().toString().toLowerCase(Locale.ROOT) + " values");
            }
            String id = DataModel.url(item.get("id"), p + "/id", "relatedResource id").toString();
            if (!ids.add(item.get("id").asText())) {
                throw DataModel.malformed(p + "/id", "relatedResource id " + id + " appears twice; each resource is listed once");
            }
            if (!item.has("digestSRI") && !item.has("digestMultibase")) {
                throw DataModel.malformed(p, "a relatedResource needs digestSRI or digestMultibase, so the resource can be checked");
            }
            if (item.has("mediaType") && (!item.get("mediaType").isTextual() || item.get("mediaType").asText().isEmpty())) {
                throw DataModel.malformed(p + "/mediaType", "mediaType must be a media type string such as application/ld+json");
            }
            Optional<byte[]> held = BundledContexts.standard().bytes(item.get("id").asText());
            for (String digest : values(item, "digestSRI", p)) {
                sri(digest, held, p + "/digestSRI");
            }
            for (String digest : values(item, "digestMultibase", p)) {
                multibase(digest, held, p + "/digestMultibase");
            }
        }
    }

    /** The digests of one property: a string or an array of strings (SRI also allows several in one string). */
    private static List<String> values(JsonNode item, String name, String p) {
        JsonNode v = item.get(name);
        if (v == null) {
            return List.of();
        }
        List<JsonNode> items = DataModel.oneOrMany(v);
        List<String> out = new ArrayList<>();
        for (JsonNode d : items) {
            if (!d.isTextual() || d.asText().isBlank()) {
                throw DataModel.malformed(p + "/" + name, name + " must be a non-empty string");
            }
            if (name.equals("digestSRI")) {
                out.addAll(List.of(d.asText().trim().split(" +")));
            } else {
                out.add(d.asText());
            }
        }
        if (out.isEmpty() || out.size() > MAX_DIGESTS_PER_VALUE) {
            throw DataModel.malformed(p + "/" + name, name + " holds 1 to " + MAX_DIGESTS_PER_VALUE + " digests");
        }
        return out;
    }

    private static void sri(String expression, Optional<byte[]> held, String pointer) {
        var m = SRI.matcher(expression);
        if (!m.matches()) {
            throw DataModel.malformed(pointer, "digestSRI must be sha256-, sha384- or sha512- followed by the base64 digest");
        }
        Algorithm algorithm = SRI_ALGORITHMS.get(m.group(1));
        byte[] digest;
        try {
            String unpadded = m.group(2).replace('-', '+').replace('_', '/').replace("=", "");
            digest = Base64.getDecoder().decode(pad(unpadded));
        } catch (IllegalArgumentException e) {
            throw DataModel.malformed(pointer, "digestSRI's digest is not base64");
        }
        if (digest.length != algorithm.length()) {
            throw DataModel.malformed(pointer, "a " + m.group(1) + " digest is " + algorithm.length() + " bytes, not " + digest.length);
        }
        matchHeld(algorithm, digest, held, pointer);
    }

    private static void multibase(String value, Optional<byte[]> held, String pointer) {
        byte[] multihash;
        try {
            multihash = Multibase.decode(value);
        } catch (ProblemException e) {
            throw DataModel.malformed(pointer, "digestMultibase must be a multibase value (header u or z): "
                    + e.problem().detail());
        }
        Algorithm algorithm = multihash.length < 2 ? null : MULTIHASH_ALGORITHMS.get(multihash[0] & 0xff);
        if (algorithm == null) {
            throw DataModel.malformed(pointer, "digestMultibase must hold a multihash of SHA-2 or SHA-3 (codes 0x12, 0x20, "
                    + "0x13, 0x16, 0x15, 0x14); a bare digest has no algorithm");
        }
        if ((multihash[1] & 0xff) != algorithm.length() || multihash.length != 2 + algorithm.length()) {
            throw DataModel.malformed(pointer, "digestMultibase's " + algorithm.jcaName() + " multihash must carry "
                    + algorithm.length() + " digest bytes");
        }
        matchHeld(algorithm, Arrays.copyOfRange(multihash, 2, multihash.length), held, pointer);
    }

    private static void matchHeld(Algorithm algorithm, byte[] digest, Optional<byte[]> held, String pointer) {
        if (held.isPresent() && !MessageDigest.isEqual(algorithm.digest(held.get()), digest)) {
            throw new ProblemException(Problem.at(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, pointer,
                    "the digest does not match the " + algorithm.jcaName() + " of the context this processor holds for "
                            + "that URL; pin the context as published, or leave it out of relatedResource"));
        }
    }

    private static String pad(String b64) {
        return b64 + "=".repeat((4 - b64.length() % 4) % 4);
    }
}
