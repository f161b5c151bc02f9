package dev.tabard.did.key;

import dev.tabard.codec.Multibase;
import dev.tabard.codec.Multicodec;
import dev.tabard.crypto.KeyType;
import dev.tabard.crypto.VerificationKey;
import dev.tabard.did.Did;
import dev.tabard.did.DidUrl;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.util.Objects;

/**
 * did:key encoding (did:key v0.9 §3): {@code did:key:z} + base58btc(multicodec ‖ public key). Only the
 * key types Tabard verifies with are accepted; a DID for any other type is {@code METHOD_NOT_SUPPORTED}
 * rather than a document whose methods cannot be used.
 */
public final class KeyDids {

    public static final String METHOD = "key";

    private KeyDids() {
    }

    public static Did of(VerificationKey key) {
        return new Did(METHOD, Objects.requireNonNull(key, "key").toMultibase());
    }

    /** The DID URL of the key's verification method: {@code did:key:z…#z…}. */
    public static DidUrl methodId(VerificationKey key) {
        Did did = of(key);
        return did.withFragment(did.methodSpecificId());
    }

    /**
     * The public key a did:key names.
     *
     * @throws ProblemException {@code INVALID_DID} for a DID that is not a well-formed did:key (wrong
     *     method, version other than 1, multibase other than {@code z}, bad length or point);
     *     {@code METHOD_NOT_SUPPORTED} for a well-formed did:key of a key type Tabard does not use
     */
    public static VerificationKey key(Did did) {
        Objects.requireNonNull(did, "did");
        if (!did.method().equals(METHOD)) {
            throw new ProblemException(ProblemType.INVALID_DID, did + " is not a did:key");
        }
        String msid = did.methodSpecificId();
        int colon = msid.indexOf(':');
        if (colon >= 0) {
            if (!msid.substring(0, colon).equals("1")) {
                throw new ProblemException(ProblemType.INVALID_DID, "did:key version must be 1 (" + did + ")");
            }
            msid = msid.substring(colon + 1);
        }
        if (msid.isEmpty() || msid.charAt(0) != 'z') {
            throw new ProblemException(ProblemType.INVALID_DID,
                    "did:key value must be base58btc multibase starting with 'z' (" + did + ")");
        }
        try {
            return VerificationKey.fromMultibase(msid);
        } catch (ProblemException e) {
            if (knownButUnsupported(msid)) {
                throw new ProblemException(ProblemType.METHOD_NOT_SUPPORTED,
                        "did:key of a key type Tabard does not verify with: " + did);
            }
            throw new ProblemException(ProblemType.INVALID_DID, "did:key " + did + ": " + e.problem().detail());
        }
    }

    private static boolean knownButUnsupported(String multibase) {
        try {
            Multicodec codec = Multicodec.decode(Multibase.decode(multibase)).codec();
            return KeyType.fromMulticodec(codec).isEmpty();
        } catch (ProblemException e) {
            return false;
        }
    }
}
