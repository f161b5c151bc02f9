package dev.tabard.verifier.replay;

import dev.tabard.problem.ProblemException;
import java.time.Duration;

/**
 * Where a verifier remembers the presentations it accepted, so that none is accepted twice. One store per verifier,
 * or one store shared by several verifier instances (a Redis implementation lives with the verifier endpoint), so that
 * a presentation accepted by one instance is refused by every other.
 *
 * <p>Every implementation keeps the guarantees {@link ReplayGuard} documents: it is keyed on what a presentation binds
 * ({@link ReplayEntry}, hashed, never the presentation's content), it refuses an entry remembered longer than
 * {@link #MAX_REMEMBERED}, it bounds what one holder may hold, and it bounds what it holds in total.
 *
 * <p><b>Security:</b> a store that cannot answer fails closed: it throws {@code REPLAY_STORE_UNAVAILABLE} and the
 * presentation is refused; it never lets one through unchecked.
 */
public interface ReplayStore {

    /**
     * The longest an entry is remembered: the verifier's presentation lifetime cap (10 minutes) plus the largest
     * clock skew a trust policy may allow (10 minutes).
     */
    Duration MAX_REMEMBERED = Duration.ofMinutes(20);

    /**
     * Records a presentation, or refuses it.
     *
     * @throws ProblemException {@code PRESENTATION_REPLAYED} when one of the entry's keys was seen before;
     *     {@code LIFETIME_TOO_LONG} when the entry would be remembered longer than {@link #MAX_REMEMBERED};
     *     {@code CLIENT_LIMIT_EXCEEDED} when its holder already holds its share of the store;
     *     {@code REPLAY_STORE_UNAVAILABLE} when a shared store did not answer
     */
    void remember(ReplayEntry entry);
}
