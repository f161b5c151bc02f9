package dev.tabard.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.codec.Base64Url;
import dev.tabard.codec.Multibase;
import dev.tabard.codec.Multicodec;
import dev.tabard.crypto.internal.Ed25519;
import dev.tabard.crypto.internal.Ecdsa;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated public key. There is one way to make one, {@link #of}, and every other path (Multikey, JWK, did:key, DID
 * documents, a key pair's public half) goes through it: Ed25519 keys must be canonical and not of small order, EC
 * points must be on their curve, not infinity, with coordinates below the field prime. So a key that exists has been
 * checked, and its verifier is ready (an EC point is decoded once, here, not on every signature).
 *
 * <p>A final class rather than a record: a record's canonical constructor would be public, and so a way around the
 * checks.
 */
public final class VerificationKey {

    private final KeyType type;
    private final Bytes publicKey;
    private final SignatureVerifier verifier;

    private VerificationKey(KeyType type, Bytes publicKey, SignatureVerifier verifier) {
        this.type = type;
        this.publicKey = publicKey;
        this.verifier = verifier;
    }

    /** The key type, which fixes the signature algorithm. */
    public KeyType type() {
        return type;
    }

    /** The raw Ed25519 key (32 bytes), or the SEC1-compressed EC point (P-256: 33 bytes, P-384: 49). */
    public Bytes publicKey() {
        return publicKey;
    }

    /**
     * Validates and wraps a raw public key. The EC types accept a compressed or an uncompressed SEC1 point and hold
     * it compressed.
     *
     * @throws ProblemException {@code INVALID_VERIFICATION_METHOD} for a malformed or weak key
     */
    public static VerificationKey of(KeyType type, byte[] raw) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(raw, "raw");
        switch (type) {
            case ED25519: {
                Ed25519.validatePublicKey(raw);
                byte[] key = raw.clone();
                return new VerificationKey(type, Bytes.copyFrom(key),
                        (message, signature) -> Ed25519.verify(key, message, signature));
            }
            case P256:
            case P384: {
                Ecdsa curve = curve(type);
                Ecdsa.PublicKey point = curve.publicKey(raw);
                return new VerificationKey(type, Bytes.copyFrom(point.compressed()),
                        (message, signature) -> curve.verifyP1363(point, message, signature));
            }
            default:
                throw new IllegalStateException(type.name());
        }
    }

    private static Ecdsa curve(KeyType type) {
        return type == KeyType.P384 ? Ecdsa.P384 : Ecdsa.P256;
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

    /** JWK members that hold private or symmetric key material (RFC 7518 §6.2.2, §6.3.2, §6.4.1). */
    private static final List<String> PRIVATE_MEMBERS = List.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

    /** The first private or symmetric key member {@code jwk} carries, if any: a public key carries none. */
    public static Optional<String> privateMember(JsonNode jwk) {
        Objects.requireNonNull(jwk, "jwk");
        return PRIVATE_MEMBERS.stream().filter(jwk::has).findFirst();
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
        privateMember(jwk).ifPresent(secret -> {
            throw invalid("publicKeyJwk contains the private member '" + secret + "'");
        });
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
            int length = curve(type).fieldLength();
            if (x.length != length || y.length != length) {
                throw invalid(crv + " JWK coordinates must be " + length + " bytes each (RFC 7518 §6.2.1.2)");
            }
            byte[] uncompressed = new byte[1 + 2 * length];
            uncompressed[0] = 0x04;
            System.arraycopy(x, 0, uncompressed, 1, length);
            System.arraycopy(y, 0, uncompressed, 1 + length, length);
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
            Ecdsa curve = curve(type);
            int length = curve.fieldLength();
            byte[] u = curve.publicKey(publicKey.toByteArray()).uncompressed();
            jwk.put("x", Base64Url.encode(java.util.Arrays.copyOfRange(u, 1, 1 + length)));
            jwk.put("y", Base64Url.encode(java.util.Arrays.copyOfRange(u, 1 + length, 1 + 2 * length)));
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
     * <p><b>Security:</b> BouncyCastle, not the JDK 17 provider (which accepts an appended byte on Ed25519 and short
     * P1363 signatures). ECDSA requires r‖s of exactly twice the coordinate length with 0 &lt; r, s &lt; n.
     */
    public SignatureVerifier verifier() {
        return verifier;
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
    public boolean equals(Object o) {
        return o instanceof VerificationKey other && type == other.type && publicKey.equals(other.publicKey);
    }

    @Override
    public int hashCode() {
        return 31 * type.hashCode() + publicKey.hashCode();
    }

    @Override
    public String toString() {
        return type + ":" + toMultibase();
    }
}
