package dev.tabard.sdjwt;

import dev.tabard.problem.ProblemException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The holder's side: what an SD-JWT it holds can disclose, and a presentation revealing only the claims asked for.
 *
 * <pre>{@code
 * SdJwt shown = Presentations.select(held, List.of(ClaimPath.of("operator", "email")));
 * String presented = KeyBinding.sign(holderKey, shown, "https://verifier.example", nonce, clock.instant()).serialize();
 * }</pre>
 */
public final class Presentations {

    private Presentations() {
    }

    /**
     * Every claim {@code held} can disclose, with its disclosure, as the holder's full credential places them
     * (array positions are the issued ones). The issuer's signature is not checked here: the holder checked it on receipt.
     *
     * @throws ProblemException the {@link SdJwt#verify} processing problems for a malformed SD-JWT
     */
    public static List<DisclosedClaim> disclosable(SdJwt held) {
        Objects.requireNonNull(held, "held");
        return SdJwtProcessor.walk(held.issuerJws().payloadJson(), held.disclosures()).disclosed();
    }

    /**
     * A presentation of {@code held} (without key binding) disclosing the claims at {@code paths}: for each path, the
     * disclosure of that claim and of every claim it sits in (a nested disclosure is useless without its parent), and
     * of every disclosable claim inside it (asking for {@code ["operator"]} reveals the whole operator). A path that
     * is always visible needs no disclosure; a path that names nothing disclosable and nothing visible is skipped, since
     * the verifier decides what it requires.
     *
     * @throws ProblemException the {@link SdJwt#verify} processing problems for a malformed SD-JWT
     */
    public static SdJwt select(SdJwt held, Collection<ClaimPath> paths) {
        Objects.requireNonNull(paths, "paths");
        List<DisclosedClaim> all = disclosable(held);
        Set<Disclosure> chosen = new LinkedHashSet<>();
        for (ClaimPath wanted : paths) {
            Objects.requireNonNull(wanted, "path");
            for (DisclosedClaim c : all) {
                if (c.path().isPrefixOf(wanted) || wanted.isPrefixOf(c.path())) {
                    chosen.add(c.disclosure());
                }
            }
        }
        List<Disclosure> ordered = held.disclosures().stream().filter(chosen::contains).toList();
        return new SdJwt(held.issuerJwt(), ordered, Optional.empty());
    }
}
