package dev.tabard.verifier.replay;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What one accepted presentation leaves in a {@link ReplayStore}: its holder and the keys it binds, each hashed
 * ({@link ReplayKey}), and until when they are remembered. The first key is the holder's nonce (challenge) with what
 * was signed; the second, when present, the presentation's {@code jti}.
 *
 * @param holder the holder, hashed: the per-holder bound counts under it
 * @param keys one or two keys, none remembered yet for the entry to be accepted
 * @param until the last instant the presentation would be accepted, clock skew included
 */
public record ReplayEntry(ReplayKey holder, List<ReplayKey> keys, Instant until) {

    public ReplayEntry {
        Objects.requireNonNull(holder, "holder");
        keys = List.copyOf(keys);
        Objects.requireNonNull(until, "until");
        if (keys.isEmpty() || keys.size() > 2) {
            throw new IllegalArgumentException("an entry binds one or two keys");
        }
    }

    /** A presentation without a {@code jti}: its holder's {@code nonce}. */
    public static ReplayEntry of(String holder, String nonce, Instant until) {
        return new ReplayEntry(ReplayKey.of("holder", holder, ""), List.of(ReplayKey.of("nonce", holder, nonce)), until);
    }

    /** A presentation with a {@code jti}: its holder's {@code nonce}, and the {@code jti}, each refused when seen again. */
    public static ReplayEntry of(String holder, String nonce, String jti, Instant until) {
        return new ReplayEntry(ReplayKey.of("holder", holder, ""),
                List.of(ReplayKey.of("nonce", holder, nonce), ReplayKey.of("jti", holder, jti)), until);
    }

    /** The epoch second through which the entry is remembered: {@link #until}, rounded up. */
    public long untilSecond() {
        return until.getEpochSecond() + (until.getNano() > 0 ? 1 : 0);
    }
}
