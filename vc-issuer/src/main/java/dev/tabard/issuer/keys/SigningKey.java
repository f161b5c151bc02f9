package dev.tabard.issuer.keys;

import dev.tabard.crypto.KeyPair;
import dev.tabard.did.DidUrl;
import java.util.Objects;

/**
 * An org key ready to sign, with the ids its proofs name: the JOSE {@code kid} (a JsonWebKey method of a did:web
 * document, or the did:key method) and the Multikey verification method Data Integrity proofs name.
 */
public record SigningKey(String id, KeyPair pair, DidUrl joseKid, DidUrl multikeyVm) {

    public SigningKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(pair, "pair");
        Objects.requireNonNull(joseKid, "joseKid");
        Objects.requireNonNull(multikeyVm, "multikeyVm");
    }
}
