package dev.vouch.example;

import dev.vouch.crypto.KeyPair;
import dev.vouch.crypto.KeyType;
import dev.vouch.did.Did;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/** A small end-to-end run of did-core: make a key, name it as a did:key, sign and verify. */
public final class KeyExample {

    private KeyExample() {
    }

    public static void main(String[] args) {
        SecureRandom random = new SecureRandom();
        for (KeyType type : KeyType.values()) {
            KeyPair key = KeyPair.generate(type, random);
            Did did = Did.parse("did:key:" + key.publicKey().toMultibase());
            byte[] message = ("hello from " + did).getBytes(StandardCharsets.UTF_8);
            byte[] signature = key.sign(message);
            key.publicKey().verifier().verify(message, signature);
            System.out.printf("%-8s %s  signature %d bytes verified%n", type, did, signature.length);
            key.destroy();
        }
    }
}
