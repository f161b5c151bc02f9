package dev.tabard.vc;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * A credential's issuer: a URL (usually a DID), with a name when it was given as an object.
 */
public record Issuer(URI id, Optional<String> name) {

    public Issuer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
    }
}
