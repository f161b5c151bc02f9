package dev.tabard.issuer.keys;

import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeySealer;
import dev.tabard.issuer.store.IssuerStore;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sealer of the org keys at rest: made for a new store, opened from the stored parameters otherwise, and moved from
 * scrypt to Argon2id once when a store sealed before Argon2id is opened.
 */
final class OrgKeySealing {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(OrgKeySealing.class);

    private OrgKeySealing() {
    }

    /**
     * The sealer of {@code store}'s keys; a new store gets a fresh one, with its parameters stored before any key.
     *
     * @throws dev.tabard.problem.ProblemException as {@link KeySealer#open(char[], String, SecureRandom)}
     */
    static KeySealer openOrCreate(IssuerStore store, char[] secret, SecureRandom random) {
        var stored = store.meta("sealing");
        if (stored.isPresent()) {
            return KeySealer.open(secret, stored.get(), random);
        }
        KeySealer sealer = KeySealer.create(secret, random);
        store.putMeta("sealing", sealer.parameters(), null);
        return sealer;
    }

    /** The associated data an org key is sealed with, so that a sealed key cannot be moved to another key's row. */
    static String label(String keyId) {
        return "org-key " + keyId;
    }

    /**
     * Returns {@code current} when it needs no upgrade. Otherwise re-seals every org key, retired ones included, under a
     * fresh Argon2id sealer and stores its parameters with them in one transaction audited as {@code keys.reseal}, and
     * returns that sealer. Run it once the audit heads are signed, so that the entry is signed like every other.
     *
     * @throws dev.tabard.problem.ProblemException {@code UNAUTHORIZED} when a stored key does not open (nothing is changed)
     */
    static KeySealer upgrade(IssuerStore store, KeySealer current, char[] secret, SecureRandom random) {
        if (!current.needsUpgrade()) {
            return current;
        }
        KeySealer upgraded = KeySealer.create(secret, random);
        Map<String, String> resealed = new LinkedHashMap<>();
        for (OrgKey k : store.keys()) {
            resealed.put(k.id(), current.resealUnder(upgraded, k.sealedPrivateKey(), label(k.id())));
        }
        List<String> ids = List.copyOf(resealed.keySet());
        store.resealKeys(current.parameters(), upgraded.parameters(), resealed, new IssuerStore.Audit("system", "keys.reseal", "sealing",
                JsonCodec.writeString(Map.of("from", "scrypt", "to", "argon2id", "keys", ids))));
        log.atInfo().setMessage("org keys re-sealed under Argon2id").addKeyValue("event", "keys.reseal").addKeyValue("keys", ids).log();
        return upgraded;
    }
}
