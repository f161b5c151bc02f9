package dev.tabard.sdjwt;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.crypto.VerificationKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code cnf.jwk} keys already read: validating a public key (decompressing and checking the point) costs a good part of
 * a signature verification, and a holder presents the same key again and again. Reading a JWK is a pure function of
 * its members, so a key found here is exactly the key {@link VerificationKey#fromJwk} would return; a JWK it refuses is
 * never stored. Bounded: cleared when full.
 */
final class HolderKeys {

    static final int MAX_ENTRIES = 4_096;
    private static final Map<String, VerificationKey> KNOWN = new ConcurrentHashMap<>();

    private HolderKeys() {
    }

    static VerificationKey fromJwk(JsonNode jwk) {
        String text = jwk.toString();
        VerificationKey known = KNOWN.get(text);
        if (known != null) {
            return known;
        }
        VerificationKey key = VerificationKey.fromJwk(jwk);
        if (KNOWN.size() >= MAX_ENTRIES) {
            KNOWN.clear();
        }
        KNOWN.put(text, key);
        return key;
    }
}
