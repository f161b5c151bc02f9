package dev.tabard.did.key;

import dev.tabard.crypto.VerificationKey;
import dev.tabard.did.Did;
import dev.tabard.did.DidDocument;
import dev.tabard.did.DidDocumentBuilder;
import dev.tabard.did.DidResolver;
import dev.tabard.did.Relationship;
import dev.tabard.did.ResolutionResult;
import dev.tabard.did.VerificationMethod;
import java.time.Clock;
import java.util.Objects;

/**
 * Expands a did:key into its DID document, without I/O: one {@code Multikey} method
 * {@code did#<multibase>} listed under authentication, assertionMethod, capabilityInvocation and
 * capabilityDelegation (did:key v0.9 §3.1). No X25519 key-agreement method is derived: Tabard does not
 * encrypt to agents.
 */
public final class KeyDidResolver implements DidResolver {

    /** Expanded documents are pure functions of the DID, so they are kept; the map is bounded. */
    private static final int CACHE_ENTRIES = 4096;

    private final Clock clock;
    private final java.util.Map<Did, DidDocument> cache = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<Did, DidDocument> eldest) {
                    return size() > CACHE_ENTRIES;
                }
            });

    public KeyDidResolver() {
        this(Clock.systemUTC());
    }

    public KeyDidResolver(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public boolean supports(String method) {
        return KeyDids.METHOD.equals(method);
    }

    @Override
    public ResolutionResult resolve(Did did) {
        DidDocument doc = cache.get(did);
        if (doc == null) {
            doc = document(did);
            cache.put(did, doc);
        }
        return new ResolutionResult(doc, ResolutionResult.Metadata.local(clock.instant()));
    }

    /** The document a did:key expands to. */
    public static DidDocument document(Did did) {
        VerificationKey key = KeyDids.key(did);
        VerificationMethod vm = new VerificationMethod(did.withFragment(did.methodSpecificId()), did, key,
                VerificationMethod.MULTIKEY);
        return DidDocumentBuilder.forDid(did)
                .method(vm, Relationship.AUTHENTICATION, Relationship.ASSERTION_METHOD,
                        Relationship.CAPABILITY_INVOCATION, Relationship.CAPABILITY_DELEGATION)
                .build();
    }
}
