package dev.tabard.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.codec.Base64Url;
import dev.tabard.codec.Multibase;
import dev.tabard.codec.Multicodec;
import dev.tabard.crypto.internal.Ed25519;
import dev.tabard.crypto.internal.P256;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A validated public key. Construction rejects keys of the wrong length, Ed25519 keys that are
 * non-canonical or of small order, and P-256 points that are not on the curve.
 *
 * @param type the key type, which fixes the signature algorithm
 * @param publicKey raw Ed25519 key (32 bytes) or SEC1-compressed P-256 point (33 bytes)
 */
public record VerificationKey(KeyType type, Bytes publicKey) {

    public VerificationKey {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(publicKey, "publicKey");
        if (publicKey.size() != type.publicKeyLength()) {
            throw new IllegalArgumentException(type + " public key must be " + type.publicKeyLength() + " bytes");
        }
    }

    /**
     * Validates and wraps a raw public key. P-256 accepts compressed (33) or uncompressed (65) SEC1 points.
     *
     * @throws ProblemException {@code INVALID_VERIFICATION_METHOD} for a malformed or weak key
     */
    public static VerificationKey of(KeyType type, byte[] raw) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(raw, "raw");
        switch (type) {
            case ED25519:
                Ed25519.validatePublicKey(raw);
                return new VerificationKey(type, Bytes.copyFrom(raw));
            case P256:
                return new VerificationKey(type, Bytes.copyFrom(P256.compress(raw)));
            default:
                throw new IllegalStateException(type.name());
        }
    }

    /**
     * Reads a Multikey {@code publicKeyMultibase} value.
     *
     * @throws ProblemException {@code INVALID_VERIFICATION_METHOD} for an unknown header, a secret-key
     *     codec, an unsupported key type or a weak key
     */
    public static VerificationKey fromMultibase(String multibase) {
        Objects.requireNonNull(multibase, "multibase");
        Multicodec.Decoded decoded;
        try {
            decoded = Multicodec.decode(Multibase.decode(multibase));
        } catch (ProblemException e) {
            throw new ProblemException(ProblemType.INVALID_VERIFICATION_METHOD,
                    "publicKeyMultibase: " + e.problem().detail());
        }
        KeyType type = KeyType.fromMulticodec(decoded.codec()).orElseThrow(() -> new ProblemException(
                ProblemType.INVALID_VERIFICATION_METHOD,
                "publicKeyMultibase: unsupported key codec " + decoded.codec().name()));
        return of(type, decoded.raw());
    }

    /** The Multikey {@code publicKeyMultibase}: base58btc of multicodec header ‖ key. */
    public String toMultibase() {
        return Multibase.encodeBase58Btc(type.multicodec().wrap(publicKey.toByteArray()));
    }

    /**
     * Reads a public JWK.
     *
     * @throws ProblemException {@code INVALID_VERIFICATION_METHOD} for private members, an unsupported
     *     {@code kty}/{@code crv}, an {@code alg} that does not fit the key, a {@code use} or {@code key_ops}
     *     that forbids verifying, or a malformed or weak key
     */
    public static VerificationKey fromJwk(JsonNode jwk) {
        Objects.requireNonNull(jwk, "jwk");
        if (!jwk.isObject()) {
            throw invalid("publicKeyJwk must be a JSON object");
        }
        for (String secret : new String[] {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}) {
            if (jwk.has(secret)) {
                throw invalid("publicKeyJwk contains the private member '" + secret + "'");
            }
        }
        String kty = text(jwk, "kty");
        String crv = text(jwk, "crv");
        KeyType type = KeyType.fromJwk(kty, crv).orElseThrow(
                () -> invalid("unsupported JWK key type kty=" + kty + " crv=" + crv));
        if (jwk.has("alg") && !type.acceptedJwsAlgorithms().contains(jwk.get("alg").asText())) {
            throw invalid("JWK alg '" + jwk.get("alg").asText() + "' does not fit a " + crv + " key");
        }
        JsonNode use = jwk.get("use");
        if (use != null && !"sig".equals(use.asText())) {
            throw invalid("JWK 'use' is " + use + ": the key is not for signatures");
        }
        JsonNode ops = jwk.get("key_ops");
        if (ops != null) {
            boolean verify = false;
            if (ops.isArray()) {
                for (JsonNode op : ops) {
                    verify |= "verify".equals(op.asText());
                }
            }
            if (!verify) {
                throw invalid("JWK 'key_ops' " + ops + " does not allow 'verify'");
            }
        }
        try {
            byte[] x = Base64Url.decode(text(jwk, "x"));
            if (type == KeyType.ED25519) {
                if (jwk.has("y")) {
                    throw invalid("an OKP JWK has no 'y'");
                }
                return of(type, x);
            }
            byte[] y = Base64Url.decode(text(jwk, "y"));
            if (x.length != 32 || y.length != 32) {
                throw invalid("P-256 JWK coordinates must be 32 bytes each");
            }
            byte[] uncompressed = new byte[65];
            uncompressed[0] = 0x04;
            System.arraycopy(x, 0, uncompressed, 1, 32);
            System.arraycopy(y, 0, uncompressed, 33, 32);
            return of(type, uncompressed);
        } catch (ProblemException e) {
            if (e.type() == ProblemType.INVALID_VERIFICATION_METHOD) {
                throw e;
            }
            throw invalid("publicKeyJwk: " + e.problem().detail());
        }
    }

    /** The public JWK, members in RFC 7638 order ({@code crv, kty, x[, y]}). */
    public Map<String, String> toJwk() {
        Map<String, String> jwk = new LinkedHashMap<>();
        jwk.put("crv", type.jwkCrv());
        jwk.put("kty", type.jwkKty());
        if (type == KeyType.ED25519) {
            jwk.put("x", Base64Url.encode(publicKey.toByteArray()));
        } else {
            byte[] u = P256.decompress(publicKey.toByteArray());
            jwk.put("x", Base64Url.encode(java.util.Arrays.copyOfRange(u, 1, 33)));
            jwk.put("y", Base64Url.encode(java.util.Arrays.copyOfRange(u, 33, 65)));
        }
        return java.util.Collections.unmodifiableMap(jwk);
    }

    /** The RFC 7638 JWK thumbprint (SHA-256), base64url. */
    public String jwkThumbprint() {
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, String> e : toJwk().entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append('"').append(e.getKey()).append("\":\"").append(e.getValue()).append('"');
        }
        sb.append('}');
        try {
            return Base64Url.encode(MessageDigest.getInstance("SHA-256")
                    .digest(sb.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A verifier for this key.
     *
     * <p><b>Security:</b> BouncyCastle, not the JDK 17 provider (which accepts an appended byte on Ed25519
     * and short P1363 signatures). P-256 requires 64-byte r‖s with 0 &lt; r, s &lt; n.
     */
    public SignatureVerifier verifier() {
        byte[] key = publicKey.toByteArray();
        switch (type) {
            case ED25519:
                return (message, signature) -> Ed25519.verify(key, message, signature);
            case P256:
                P256.PublicKey pk = P256.publicKey(key);
                return (message, signature) -> P256.verifyP1363(pk, message, signature);
            default:
                throw new IllegalStateException(type.name());
        }
    }

    private static String text(JsonNode jwk, String name) {
        JsonNode v = jwk.get(name);
        if (v == null || !v.isTextual()) {
            throw invalid("JWK member '" + name + "' must be a string");
        }
        return v.asText();
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(ProblemType.INVALID_VERIFICATION_METHOD, detail);
    }

    @Override
    public String toString() {
        return type + ":" + toMultibase();
    }
}
