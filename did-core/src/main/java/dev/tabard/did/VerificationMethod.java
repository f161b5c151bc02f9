package dev.tabard.did;

import dev.tabard.crypto.VerificationKey;
import java.util.Objects;

/**
 * A verification method (CID 1.0 §2.2) reduced to what verification needs: its id, its controller and
 * its validated key. Parsed from {@code Multikey}, {@code JsonWebKey} and the legacy types
 * {@code Ed25519VerificationKey2020} and {@code JsonWebKey2020}.
 *
 * @param id absolute DID URL of the method
 * @param controller the DID that controls the key
 * @param key the public key
 * @param type the {@code type} as written in the document
 */
public record VerificationMethod(DidUrl id, Did controller, VerificationKey key, String type) {

    public static final String MULTIKEY = "Multikey";
    public static final String JSON_WEB_KEY = "JsonWebKey";

    public VerificationMethod {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(controller, "controller");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
    }
}
