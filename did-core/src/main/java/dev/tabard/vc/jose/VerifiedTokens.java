package dev.tabard.vc.jose;

import dev.tabard.did.DidUrl;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Credential tokens whose signature, data model and claims already checked out, by their exact text.
 *
 * <p>An agent presents the same short-lived credential to a counterparty many times, each time inside a new
 * presentation. What a token's bytes and its issuer's key determine — the signature, the parse, the data model — cannot
 * change, so it is checked once; what can change is checked on every use: the key must still be the one the issuer's
 * current DID document lists for {@code kid}, and {@code exp}, {@code nbf} and {@code iat} are compared with the clock.
 * Status and policy are the caller's and are not cached here. Only tokens that verified are kept; bounded, cleared
 * when full.
 */
public final class VerifiedTokens {

    private static final VerifiedTokens NONE = new VerifiedTokens(0);

    private final int capacity;
    private final Map<String, Entry> entries;

    private VerifiedTokens(int capacity) {
        this.capacity = capacity;
        this.entries = capacity == 0 ? Map.of() : new ConcurrentHashMap<>();
    }

    /** Keeps up to {@code capacity} tokens. */
    public static VerifiedTokens bounded(int capacity) {
        if (capacity < 0 || capacity > 1_000_000) {
            throw new IllegalArgumentException("capacity must be 0..1000000");
        }
        return capacity == 0 ? NONE : new VerifiedTokens(capacity);
    }

    /** Keeps nothing: every token is checked in full. */
    public static VerifiedTokens none() {
        return NONE;
    }

    /** A token that verified: the result, the key it was verified with, and its JWT times for the checks on reuse. */
    record Entry(VcJose.VerifiedCredential verified, DidUrl kid, Optional<Instant> iat, Optional<Instant> nbf,
                 Optional<Instant> exp) {
        Entry {
            Objects.requireNonNull(verified, "verified");
            Objects.requireNonNull(kid, "kid");
        }
    }

    Entry get(String token) {
        return capacity == 0 ? null : entries.get(token);
    }

    void put(String token, Entry entry) {
        if (capacity == 0) {
            return;
        }
        if (entries.size() >= capacity) {
            entries.clear();
        }
        entries.put(token, entry);
    }

    /** How many tokens are kept. */
    public int size() {
        return entries.size();
    }
}
