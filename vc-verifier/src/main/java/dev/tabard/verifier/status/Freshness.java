package dev.tabard.verifier.status;

import dev.tabard.fetch.CacheControl;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How long a status list stays fresh once fetched or revalidated. The server's {@code Cache-Control} decides within
 * the cache's own bounds, and the list credential's {@code validUntil} is a ceiling nothing raises: a list is never
 * used past the time its issuer signed it for.
 *
 * <ul>
 *   <li>{@code no-store}: not kept; it serves the verification that fetched it.</li>
 *   <li>{@code no-cache}: kept with its entity-tag but stale at once, so every use revalidates (a {@code 304} is
 *       cheap); the configured minimum does not override an issuer that asked for this.</li>
 *   <li>{@code max-age}: that long, raised to the minimum and lowered to the maximum the cache was built with.</li>
 *   <li>no lifetime in {@code Cache-Control}: the rule from before caching headers were read, {@code validUntil}
 *       (or {@link #WITHOUT_VALID_UNTIL}), shortened by an {@code Expires} header, lowered to the maximum.</li>
 * </ul>
 */
final class Freshness {

    /** How long a list without {@code validUntil} or caching headers is kept. */
    static final Duration WITHOUT_VALID_UNTIL = Duration.ofMinutes(5);

    private Freshness() {
    }

    /**
     * @param validUntil the list credential's own end, if it has one
     * @param cacheControl the directives of the response (or of the stored response a {@code 304} revalidated)
     * @param headerFreshness what the response's {@code max-age} or {@code Expires} allow, read by the fetcher
     */
    static Instant expires(Instant now, Optional<Instant> validUntil, Optional<CacheControl> cacheControl,
                           Optional<Duration> headerFreshness, Duration min, Duration max) {
        Instant ceiling = validUntil.orElse(Instant.MAX);
        if (cacheControl.isPresent() && (cacheControl.get().noStore() || cacheControl.get().noCache())) {
            return earlier(now, ceiling);
        }
        if (cacheControl.isPresent() && cacheControl.get().maxAge().isPresent()) {
            Duration age = cacheControl.get().maxAge().get();
            age = age.compareTo(min) < 0 ? min : age;
            age = age.compareTo(max) > 0 ? max : age;
            return earlier(now.plus(age), ceiling);
        }
        Instant expires = validUntil.orElse(now.plus(WITHOUT_VALID_UNTIL));
        if (headerFreshness.isPresent()) {
            expires = earlier(expires, now.plus(headerFreshness.get()));
        }
        return earlier(expires, now.plus(max));
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
