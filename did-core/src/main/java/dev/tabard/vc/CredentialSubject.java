package dev.tabard.vc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code credentialSubject}: its optional id and its claims. Immutable: the tree is the credential's own
 * checked copy, never handed out, so reading the claims needs neither serializing nor re-parsing.
 */
public final class CredentialSubject {

    private final Optional<String> id;
    private final ObjectNode claims;

    private CredentialSubject(Optional<String> id, ObjectNode claims) {
        this.id = Objects.requireNonNull(id, "id");
        this.claims = Objects.requireNonNull(claims, "claims");
    }

    /** A subject over a tree the caller will never change (the credential's own copy). */
    static CredentialSubject sharing(Optional<String> id, ObjectNode claims) {
        return new CredentialSubject(id, claims);
    }

    public Optional<String> id() {
        return id;
    }

    /** The subject's claims as a fresh tree. */
    public ObjectNode claims() {
        return claims.deepCopy();
    }

    /** The subject's claims as JSON text. */
    public String json() {
        return new String(JsonCodec.write(claims), StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CredentialSubject s && id.equals(s.id) && claims.equals(s.claims);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, claims);
    }

    @Override
    public String toString() {
        return "CredentialSubject[id=" + id.orElse("-") + "]";
    }
}
