package dev.tabard.vc.jose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.Base64Url;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.Signer;
import dev.tabard.crypto.VerificationKey;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A JWS in compact serialization whose structure has been checked but whose signature has not.
 *
 * <p>Parsing is strict before any cryptography runs: exactly three segments of canonical unpadded
 * base64url (nimbus-jose-jwt accepts {@code ==}, {@code !!} or a newline inside the signature), a header
 * that is one JSON object without duplicate members, no {@code alg: none}, no key material or key
 * locations in the header, no {@code crit} entry we do not process and no unencoded payload. The
 * algorithm is then checked against the key the caller resolved, never taken on the token's word.
 */
public final class CompactJws {

    /** Largest token accepted, in characters. */
    public static final int MAX_TOKEN_CHARS = 1_000_000;

    /** Largest encoded protected header, in characters (the cap nimbus-jose-jwt also holds). */
    public static final int MAX_HEADER_CHARS = 20_000;

    private static final Set<String> KEY_BEARING_MEMBERS = Set.of("jwk", "jku", "x5u", "x5c");

    private final String token;
    private final int signingInputLength;
    private final ObjectNode header;
    private final byte[] payload;
    private final byte[] signature;
    private final String alg;
    private ObjectNode payloadObject;

    private CompactJws(String token, int signingInputLength, ObjectNode header, byte[] payload, byte[] signature,
                       String alg) {
        this.token = token;
        this.signingInputLength = signingInputLength;
        this.header = header;
        this.payload = payload;
        this.signature = signature;
        this.alg = alg;
    }

    /**
     * Checks the token's structure and header.
     *
     * @throws ProblemException {@code INPUT_TOO_LARGE} past the size caps; {@code PARSING_ERROR} for a
     *     token that is not three strict base64url segments or whose header is not a JSON object;
     *     {@code ALGORITHM_NOT_ALLOWED} for a missing or {@code none} algorithm;
     *     {@code CRYPTOGRAPHIC_SECURITY_ERROR} for keys in the header, unprocessed {@code crit} entries
     *     or {@code b64: false}
     */
    public static CompactJws parse(String token) {
        Objects.requireNonNull(token, "token");
        if (token.length() > MAX_TOKEN_CHARS) {
            throw new ProblemException(ProblemType.INPUT_TOO_LARGE, "JWS exceeds " + MAX_TOKEN_CHARS + " characters");
        }
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (first < 0 || second < 0 || token.indexOf('.', second + 1) >= 0) {
            throw new ProblemException(ProblemType.PARSING_ERROR, "a compact JWS has exactly three segments");
        }
        String headerPart = token.substring(0, first);
        String payloadPart = token.substring(first + 1, second);
        String signaturePart = token.substring(second + 1);
        if (headerPart.length() > MAX_HEADER_CHARS) {
            throw new ProblemException(ProblemType.INPUT_TOO_LARGE,
                    "JWS header exceeds " + MAX_HEADER_CHARS + " characters");
        }
        byte[] headerBytes = segment(headerPart, "header");
        if (headerBytes.length == 0) {
            throw new ProblemException(ProblemType.PARSING_ERROR, "JWS header must not be empty");
        }
        ObjectNode header;
        try {
            header = JsonCodec.parseObject(headerBytes);
        } catch (ProblemException e) {
            throw new ProblemException(e.type(), "JWS header: " + e.problem().detail());
        }
        String alg = checkHeader(header);
        byte[] payload = segment(payloadPart, "payload");
        byte[] signature = segment(signaturePart, "signature");
        if (signature.length == 0) {
            throw new ProblemException(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, "JWS signature is empty");
        }
        return new CompactJws(token, second, header, payload, signature, alg);
    }

    private static byte[] segment(String part, String name) {
        if (!Base64Url.isStrict(part)) {
            throw new ProblemException(ProblemType.PARSING_ERROR,
                    "JWS " + name + " is not canonical unpadded base64url");
        }
        return Base64Url.decode(part);
    }

    private static String checkHeader(ObjectNode header) {
        JsonNode alg = header.get("alg");
        if (alg == null || !alg.isTextual() || alg.asText().isEmpty()) {
            throw new ProblemException(ProblemType.ALGORITHM_NOT_ALLOWED, "JWS header has no 'alg'");
        }
        if (alg.asText().equalsIgnoreCase("none")) {
            throw new ProblemException(ProblemType.ALGORITHM_NOT_ALLOWED, "unsecured JWS ('alg: none') is not accepted");
        }
        for (String member : KEY_BEARING_MEMBERS) {
            if (header.has(member)) {
                throw new ProblemException(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR,
                        "JWS header member '" + member + "' is not accepted: keys come from the issuer's DID document");
            }
        }
        JsonNode crit = header.get("crit");
        if (crit != null) {
            if (!crit.isArray() || crit.isEmpty()) {
                throw new ProblemException(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR,
                        "JWS 'crit' must be a non-empty array");
            }
            throw new ProblemException(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR,
                    "JWS 'crit' names " + crit + ", which this verifier does not process");
        }
        JsonNode b64 = header.get("b64");
        if (b64 != null && !(b64.isBoolean() && b64.booleanValue())) {
            throw new ProblemException(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, "unencoded JWS payloads are not accepted");
        }
        for (String member : new String[] {"kid", "typ", "cty"}) {
            JsonNode value = header.get(member);
            if (value != null && !value.isTextual()) {
                throw new ProblemException(ProblemType.PARSING_ERROR, "JWS header '" + member + "' must be a string");
            }
        }
        return alg.asText();
    }

    /**
     * Verifies the signature with {@code key}. The header's {@code alg} must be one the key's type allows
     * (Ed25519: {@code EdDSA} or {@code Ed25519}; P-256: {@code ES256} only; P-384: {@code ES384} only).
     *
     * @return the token as verified, the only way to get one
     * @throws ProblemException {@code ALGORITHM_NOT_ALLOWED} when it is not; {@code CRYPTOGRAPHIC_SECURITY_ERROR}
     *     when the signature does not verify
     */
    public VerifiedJws verify(VerificationKey key) {
        Objects.requireNonNull(key, "key");
        if (!key.type().acceptedJwsAlgorithms().contains(alg)) {
            throw new ProblemException(ProblemType.ALGORITHM_NOT_ALLOWED,
                    "JWS algorithm '" + alg + "' is not allowed for a " + key.type() + " key");
        }
        byte[] signingInput = token.substring(0, signingInputLength).getBytes(StandardCharsets.US_ASCII);
        try {
            key.verifier().verify(signingInput, signature);
        } catch (ProblemException e) {
            throw new ProblemException(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, "JWS signature does not verify");
        }
        return new VerifiedJws(this, key);
    }

    /** Signs {@code payload}; {@code alg} follows {@code signer}'s key type. */
    public static String sign(Signer signer, JwsHeader header, byte[] payload) {
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(payload, "payload");
        ObjectNode h = JsonCodec.objectNode();
        h.put("alg", signer.keyType().jwsAlgorithm());
        header.kid().ifPresent(v -> h.put("kid", v));
        header.typ().ifPresent(v -> h.put("typ", v));
        header.cty().ifPresent(v -> h.put("cty", v));
        String signingInput = Base64Url.encode(JsonCodec.write(h)) + "." + Base64Url.encode(payload);
        byte[] signature = signer.sign(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + Base64Url.encode(signature);
    }

    public String token() {
        return token;
    }

    /** The protected header, a copy. */
    public ObjectNode header() {
        return header.deepCopy();
    }

    public String alg() {
        return alg;
    }

    public Optional<String> kid() {
        return text("kid");
    }

    public Optional<String> typ() {
        return text("typ");
    }

    public Optional<String> cty() {
        return text("cty");
    }

    public byte[] payload() {
        return payload.clone();
    }

    /** The payload as a JSON object, parsed with the strict codec; not yet covered by a verified signature. */
    public ObjectNode payloadJson() {
        return JsonCodec.parseObject(payload);
    }

    /** The payload object, parsed once and shared: for this package's readers, which do not change it. */
    ObjectNode payloadObject() {
        ObjectNode parsed = payloadObject;
        if (parsed == null) {
            parsed = JsonCodec.parseObject(payload);
            payloadObject = parsed;
        }
        return parsed;
    }

    byte[] signature() {
        return signature.clone();
    }

    private Optional<String> text(String member) {
        JsonNode v = header.get(member);
        return v == null ? Optional.empty() : Optional.of(v.asText());
    }

    @Override
    public String toString() {
        return "CompactJws[alg=" + alg + ", kid=" + kid().orElse("-") + ", payload=" + payload.length + " bytes"
                + "]";
    }
}
