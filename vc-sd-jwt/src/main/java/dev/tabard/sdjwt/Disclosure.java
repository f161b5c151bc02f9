package dev.tabard.sdjwt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tabard.codec.Base64Url;
import dev.tabard.codec.JsonCodec;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.Optional;

/**
 * One SD-JWT disclosure (RFC 9901 §4.2): base64url of the JSON array {@code [salt, name, value]} for an object property
 * or {@code [salt, value]} for an array element. Its digest is taken over the encoded text exactly as received, so the
 * issuer's JSON spelling never needs to be reproduced. Only {@link #parse}, {@link #ofProperty} and
 * {@link #ofElement} make one, so its name and value are always those its encoded text (and so its digest) says.
 */
public final class Disclosure {

    /** Largest encoded disclosure accepted, in characters. */
    public static final int MAX_CHARS = 100_000;
    /** Salt entropy in bytes: 128 bits, the minimum RFC 9901 §9.3 recommends. */
    public static final int SALT_BYTES = 16;

    private final String encoded;
    private final String salt;
    private final Optional<String> name;
    private final String valueJson;

    private Disclosure(String encoded, String salt, Optional<String> name, String valueJson) {
        this.encoded = encoded;
        this.salt = salt;
        this.name = name;
        this.valueJson = valueJson;
    }

    /** The base64url text, as issued and presented. */
    public String encoded() {
        return encoded;
    }

    public String salt() {
        return salt;
    }

    /** The property name; empty for an array element. */
    public Optional<String> name() {
        return name;
    }

    /** The disclosed value, as JSON text. */
    public String valueJson() {
        return valueJson;
    }

    /** Two disclosures are equal when their encoded text is: the text is what the digest covers. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Disclosure d && d.encoded.equals(encoded);
    }

    @Override
    public int hashCode() {
        return encoded.hashCode();
    }

    /**
     * Decodes a disclosure.
     *
     * @throws ProblemException {@code INPUT_TOO_LARGE} past {@link #MAX_CHARS}; {@code SD_JWT_DISCLOSURE_INVALID} for
     *     text that is not strict base64url of a 2- or 3-element JSON array with a string salt and name, or that
     *     discloses the reserved names {@code _sd} or {@code ...}
     */
    public static Disclosure parse(String encoded) {
        Objects.requireNonNull(encoded, "encoded");
        if (encoded.length() > MAX_CHARS) {
            throw new ProblemException(ProblemType.INPUT_TOO_LARGE, "a disclosure exceeds " + MAX_CHARS + " characters");
        }
        if (encoded.isEmpty() || !Base64Url.isStrict(encoded)) {
            throw invalid("a disclosure is not canonical unpadded base64url");
        }
        JsonNode array;
        try {
            array = JsonCodec.parse(Base64Url.decode(encoded));
        } catch (ProblemException e) {
            throw invalid("a disclosure is not JSON: " + e.problem().detail());
        }
        if (!array.isArray() || (array.size() != 2 && array.size() != 3) || !array.get(0).isTextual()) {
            throw invalid("a disclosure is a JSON array [salt, name, value] or [salt, value]");
        }
        Optional<String> name = Optional.empty();
        if (array.size() == 3) {
            if (!array.get(1).isTextual()) {
                throw invalid("a disclosure's claim name must be a string");
            }
            name = Optional.of(array.get(1).asText());
            if (name.get().equals("_sd") || name.get().equals("...")) {
                throw invalid("a disclosure must not disclose the reserved name '" + name.get() + "'");
            }
        }
        return new Disclosure(encoded, array.get(0).asText(), name, JsonCodec.writeString(array.get(array.size() - 1)));
    }

    /** A new disclosure of the object property {@code name}, with a fresh 128-bit salt from {@code random}. */
    public static Disclosure ofProperty(SecureRandom random, String name, JsonNode value) {
        Objects.requireNonNull(name, "name");
        if (name.equals("_sd") || name.equals("...")) {
            throw new IllegalArgumentException("'" + name + "' is reserved and cannot be disclosed");
        }
        return create(random, Optional.of(name), value);
    }

    /** A new disclosure of an array element, with a fresh 128-bit salt from {@code random}. */
    public static Disclosure ofElement(SecureRandom random, JsonNode value) {
        return create(random, Optional.empty(), value);
    }

    private static Disclosure create(SecureRandom random, Optional<String> name, JsonNode value) {
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(value, "value");
        String salt = salt(random);
        ArrayNode array = JsonCodec.arrayNode().add(salt);
        name.ifPresent(array::add);
        array.add(value);
        return new Disclosure(Base64Url.encode(JsonCodec.write(array)), salt, name, JsonCodec.writeString(value));
    }

    static String salt(SecureRandom random) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return Base64Url.encode(salt);
    }

    /** The disclosed value, freshly parsed. */
    public JsonNode value() {
        return JsonCodec.parse(valueJson);
    }

    /** Whether this discloses an array element rather than an object property. */
    public boolean isArrayElement() {
        return name.isEmpty();
    }

    /** base64url(SHA-256(ASCII(encoded))), the digest the issuer-signed JWT lists (RFC 9901 §4.2.3). */
    public String digest() {
        return sha256(encoded);
    }

    static String sha256(String ascii) {
        try {
            return Base64Url.encode(MessageDigest.getInstance("SHA-256").digest(ascii.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(ProblemType.SD_JWT_DISCLOSURE_INVALID, detail);
    }

    /** Names the claim, never the value or the salt: disclosures carry personal data. */
    @Override
    public String toString() {
        return "Disclosure[" + name.orElse("(array element)") + ", digest=" + digest() + "]";
    }
}
