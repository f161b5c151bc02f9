package dev.tabard.verifier.http;

import dev.tabard.problem.ProblemException;
import java.time.Instant;
import java.util.Optional;

/**
 * Where the challenges this endpoint issued wait to be redeemed: in memory ({@link Challenges}), or in Redis
 * ({@link RedisStore}) so that a challenge issued by one instance is redeemed once, by any.
 */
interface ChallengeStore {

    /**
     * A challenge as issued: its value, the domain a presentation answering it must be addressed to, its expiry, and
     * the client it was issued to.
     */
    record Issued(String challenge, String domain, Instant expires, String client) {
    }

    /**
     * Issues a challenge to {@code client} for {@code domain}.
     *
     * @throws ProblemException {@code CLIENT_LIMIT_EXCEEDED} when the client already holds its maximum of unexpired
     *     challenges; {@code REPLAY_STORE_UNAVAILABLE} when a shared store did not answer
     */
    Issued issue(String client, String domain);

    /**
     * Takes {@code challenge} out of the store: present only if it was issued, unused and unexpired.
     *
     * @throws ProblemException {@code REPLAY_STORE_UNAVAILABLE} when a shared store did not answer
     */
    Optional<Issued> redeem(String challenge);

    /**
     * Puts back a challenge {@link #redeem} took, when the verification it was taken for failed on this verifier's
     * side: the presenter did nothing wrong and may answer it again. Best effort: a store that cannot take it back
     * leaves the presenter to ask for a new one.
     */
    void restore(Issued issued);

    /** Challenges open, or -1 when the store cannot count them cheaply (a shared one). */
    int open();
}
