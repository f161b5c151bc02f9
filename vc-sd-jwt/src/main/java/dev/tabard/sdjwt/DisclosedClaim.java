package dev.tabard.sdjwt;

import java.util.Objects;

/**
 * A disclosure and where it went in the processed payload. Array positions are those of the processed array, which
 * omits undisclosed elements; a holder that processes its full credential sees the issued positions.
 *
 * @param path the claim the disclosure revealed
 * @param disclosure the disclosure
 */
public record DisclosedClaim(ClaimPath path, Disclosure disclosure) {

    public DisclosedClaim {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(disclosure, "disclosure");
    }
}
