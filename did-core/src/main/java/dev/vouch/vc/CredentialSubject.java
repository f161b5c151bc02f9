package dev.vouch.vc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vouch.codec.JsonCodec;
import java.util.Objects;
import java.util.Optional;

/** One {@code credentialSubject}: its optional id and its claims, kept as JSON text. */
public record CredentialSubject(Optional<String> id, String json) {

    public CredentialSubject {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(json, "json");
    }

    /** The subject's claims as a fresh tree. */
    public ObjectNode claims() {
        return (ObjectNode) JsonCodec.parse(json);
    }
}
