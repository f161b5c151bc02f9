package dev.tabard.sdjwt.vc;

import dev.tabard.crypto.VerificationKey;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Where an {@link SdJwtVcVerifier} finds the keys of issuers named by an https URL: from their JWT VC Issuer Metadata.
 * vc-verifier's implementation fetches and caches the documents for the issuers its trust policy names; {@link #of}
 * answers from documents already in hand. A verifier without one accepts DID issuers only.
 */
@FunctionalInterface
public interface IssuerMetadataKeys {

    /**
     * The key that signed a JWT of {@code issuer} with header {@code kid}.
     *
     * @throws ProblemException {@code UNTRUSTED_ISSUER} for an issuer this source does not serve; the fetching and
     *     {@link JwtVcIssuerMetadata#parse} problems; {@code INVALID_VERIFICATION_METHOD_URL} when no key answers
     */
    VerificationKey key(URI issuer, Optional<String> kid);

    /** Keys from metadata documents with inline {@code jwks}, and no others: for offline verification and tests. */
    static IssuerMetadataKeys of(JwtVcIssuerMetadata... documents) {
        Map<URI, IssuerJwks> byIssuer = Stream.of(documents).collect(Collectors.toUnmodifiableMap(JwtVcIssuerMetadata::issuer,
                d -> d.jwks().orElseThrow(() -> new IllegalArgumentException(d.issuer() + ": only inline jwks are in hand")),
                (a, b) -> {
                    throw new IllegalArgumentException("two metadata documents for one issuer");
                }));
        return (issuer, kid) -> Optional.ofNullable(byIssuer.get(issuer)).orElseThrow(() -> new ProblemException(
                ProblemType.UNTRUSTED_ISSUER, "no JWT VC Issuer Metadata is held for " + issuer)).select(kid);
    }

    /** Accepts no https issuer: the default, so that no credential makes a verifier fetch keys it was not told to. */
    IssuerMetadataKeys NONE = (issuer, kid) -> {
        throw new ProblemException(ProblemType.UNTRUSTED_ISSUER, issuer + " publishes its keys as JWT VC Issuer Metadata, "
                + "and this verifier takes keys from DIDs only; trust the issuer's URL in the policy to fetch them");
    };

}
