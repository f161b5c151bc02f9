package dev.tabard.issuer.store;

import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Short-lived, single-use values of one kind (OpenID4VCI offers, access tokens, nonces), each held on behalf of one
 * owner (a client address or an agent DID) under a random key. Every issuer instance on one store sees the same
 * values, so a code handed out by one instance is redeemed, once, at whichever instance the wallet reaches next.
 * Values are strings, compared by equality. Thread-safe.
 */
public interface OneUseValues {

    /**
     * One kind of value and its bounds.
     *
     * @param name what the values are, for messages ("nonce")
     * @param lifetime how long a value lives
     * @param perOwner the most live values one owner may hold
     * @param total the most values held at once; when full, expired values go first, then the one that expires first
     *     of the owner holding the most (a full table sheds the largest holder, never the newcomer)
     */
    record Kind(String name, Duration lifetime, int perOwner, int total) {
        public Kind {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(lifetime, "lifetime");
            if (perOwner < 1 || total < perOwner) {
                throw new IllegalArgumentException("need 1 <= perOwner <= total");
            }
        }
    }

    /**
     * Holds {@code value} under {@code key} for {@code owner} for the kind's lifetime.
     *
     * @throws ProblemException {@link ProblemType#CLIENT_LIMIT_EXCEEDED} when the owner already holds
     *     {@code perOwner} live values
     */
    void put(String owner, String key, String value);

    /** Removes and returns the value under {@code key} when it is there and live: of two callers, one gets it. */
    Optional<String> take(String key);

    /** The live value under {@code key}, left in place. */
    Optional<String> peek(String key);

    /** Removes {@code key} only while it holds {@code expected}; true when this call removed it. */
    boolean remove(String key, String expected);

    /** Replaces the value under {@code key} only while it holds {@code expected}, keeping its expiry; true when replaced. */
    boolean replace(String key, String expected, String replacement);

    /** How long until {@code owner}'s oldest value expires (zero when it holds none): the {@code Retry-After} hint. */
    Duration retryAfter(String owner);
}
