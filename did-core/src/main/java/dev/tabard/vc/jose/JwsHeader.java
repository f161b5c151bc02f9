package dev.tabard.vc.jose;

import java.util.Objects;
import java.util.Optional;

/**
 * The protected-header members a signer chooses. {@code alg} is not among them: it always follows the
 * signing key's type.
 *
 * @param kid the verification method the verifier resolves, usually a DID URL
 * @param typ the media type of the whole JWS, for example {@code vc+jwt}
 * @param cty the media type of the payload, for example {@code vc}
 */
public record JwsHeader(Optional<String> kid, Optional<String> typ, Optional<String> cty) {

    public JwsHeader {
        Objects.requireNonNull(kid, "kid");
        Objects.requireNonNull(typ, "typ");
        Objects.requireNonNull(cty, "cty");
    }

    public static JwsHeader of(String kid, String typ) {
        return new JwsHeader(Optional.of(kid), Optional.of(typ), Optional.empty());
    }

    public static JwsHeader of(String kid, String typ, String cty) {
        return new JwsHeader(Optional.of(kid), Optional.of(typ), Optional.of(cty));
    }
}
