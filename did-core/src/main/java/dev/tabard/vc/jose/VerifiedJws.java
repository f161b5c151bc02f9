package dev.tabard.vc.jose;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.crypto.VerificationKey;
import java.util.Objects;
import java.util.Optional;

/**
 * A compact JWS whose signature verified with {@link #key()}, under an algorithm that key's type allows. Only
 * {@link CompactJws#verify} makes one, so code that takes a {@code VerifiedJws} cannot be handed a token whose
 * signature nobody checked; a {@link CompactJws} is only parsed.
 */
public final class VerifiedJws {

    private final CompactJws jws;
    private final VerificationKey key;

    VerifiedJws(CompactJws jws, VerificationKey key) {
        this.jws = Objects.requireNonNull(jws, "jws");
        this.key = Objects.requireNonNull(key, "key");
    }

    /** The key the signature verified with. */
    public VerificationKey key() {
        return key;
    }

    public String token() {
        return jws.token();
    }

    public String alg() {
        return jws.alg();
    }

    public Optional<String> kid() {
        return jws.kid();
    }

    public Optional<String> typ() {
        return jws.typ();
    }

    public Optional<String> cty() {
        return jws.cty();
    }

    /** The protected header, a copy. */
    public ObjectNode header() {
        return jws.header();
    }

    /** The signed payload, a copy. */
    public byte[] payload() {
        return jws.payload();
    }

    /** The signed payload as a JSON object, parsed with the strict codec; the caller may change it. */
    public ObjectNode payloadJson() {
        return jws.payloadJson();
    }

    /** The payload object parsed once per token and shared: for this package's readers, which do not change it. */
    ObjectNode payloadObject() {
        return jws.payloadObject();
    }

    @Override
    public String toString() {
        return "VerifiedJws[alg=" + alg() + ", kid=" + kid().orElse("-") + ", key=" + key + "]";
    }
}
