package dev.tabard.vc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.Base64Url;
import dev.tabard.codec.JsonCodec;
import dev.tabard.vc.di.Jcs;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;

/**
 * A link's reference to the credential it derives from: its id and a digest of it as it is carried, so a
 * link cannot be moved onto another parent that happens to share an id or a subject.
 *
 * <p>The digest is a multibase ({@code u}, base64url) sha2-256 multihash, the form VC 2.0 uses for
 * {@code digestMultibase}, over the parent as carried: the compact JWS text of an enveloped credential, or
 * the RFC 8785 (JCS) form of a document with an embedded proof, proof included.
 *
 * @param id the parent credential's id
 * @param digestMultibase {@code u} + base64url(0x12 0x20 + sha-256)
 */
public record ParentReference(URI id, String digestMultibase) {

    private static final byte SHA2_256 = 0x12;
    private static final byte SHA2_256_LENGTH = 0x20;

    public ParentReference {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(digestMultibase, "digestMultibase");
        if (decodeDigest(digestMultibase) == null) {
            throw new IllegalArgumentException("digestMultibase is u + base64url of a sha2-256 multihash");
        }
    }

    /** The reference to an enveloped (vc+jwt) parent. */
    public static ParentReference ofToken(URI id, String compactJws) {
        return new ParentReference(id, encode(sha256(compactJws.getBytes(StandardCharsets.US_ASCII))));
    }

    /** The reference to a parent secured with an embedded proof. */
    public static ParentReference ofDocument(URI id, JsonNode securedDocument) {
        return new ParentReference(id, encode(sha256(Jcs.canonicalize(securedDocument))));
    }

    /** Whether this reference names exactly {@code other}: the same id and the same digest, compared in constant time. */
    public boolean matches(ParentReference other) {
        byte[] mine = decodeDigest(digestMultibase);
        byte[] theirs = decodeDigest(other.digestMultibase);
        return id.equals(other.id) && MessageDigest.isEqual(mine, theirs);
    }

    ObjectNode json() {
        ObjectNode o = JsonCodec.objectNode();
        o.put("id", id.toString());
        o.put("digestMultibase", digestMultibase);
        return o;
    }

    static ParentReference from(JsonNode node, String pointer) {
        if (node == null || !node.isObject() || node.size() != 2) {
            throw DataModel.malformed(pointer, "parentCredential is exactly {\"id\", \"digestMultibase\"}: the credential "
                    + "this link derives from");
        }
        URI id = DataModel.url(node.get("id"), pointer + "/id", "parent credential id");
        JsonNode digest = node.get("digestMultibase");
        if (digest == null || !digest.isTextual() || decodeDigest(digest.asText()) == null) {
            throw DataModel.malformed(pointer + "/digestMultibase", "digestMultibase is u + base64url of a sha2-256 multihash");
        }
        return new ParentReference(id, digest.asText());
    }

    private static byte[] decodeDigest(String multibase) {
        if (multibase.length() != 47 || multibase.charAt(0) != 'u' || !Base64Url.isStrict(multibase.substring(1))) {
            return null;
        }
        byte[] mh = Base64Url.decode(multibase.substring(1));
        if (mh.length != 34 || mh[0] != SHA2_256 || mh[1] != SHA2_256_LENGTH) {
            return null;
        }
        return Arrays.copyOfRange(mh, 2, 34);
    }

    private static String encode(byte[] digest) {
        byte[] mh = new byte[34];
        mh[0] = SHA2_256;
        mh[1] = SHA2_256_LENGTH;
        System.arraycopy(digest, 0, mh, 2, 32);
        return "u" + Base64Url.encode(mh);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
