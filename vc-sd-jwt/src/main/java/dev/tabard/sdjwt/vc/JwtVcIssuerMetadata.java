package dev.tabard.sdjwt.vc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import java.util.Optional;

/**
 * JWT VC Issuer Metadata (draft-ietf-oauth-sd-jwt-vc, "JWT VC Issuer Metadata"): how an issuer named by an https URL in
 * {@code iss} publishes its keys. The document lives at {@link #location}, names the {@code issuer} it speaks for, which
 * must be the credential's {@code iss} exactly, and carries the keys inline ({@code jwks}) or links to them
 * ({@code jwks_uri}), never both.
 *
 * @param jwks the keys, when inline
 * @param jwksUri where the keys are, when not inline
 */
public record JwtVcIssuerMetadata(URI issuer, Optional<IssuerJwks> jwks, Optional<URI> jwksUri) {

    /** The well-known path segment inserted between the host and the path of the issuer's URL. */
    public static final String WELL_KNOWN = "/.well-known/jwt-vc-issuer";

    public JwtVcIssuerMetadata {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(jwks, "jwks");
        Objects.requireNonNull(jwksUri, "jwksUri");
        if (jwks.isPresent() == jwksUri.isPresent()) {
            throw new IllegalArgumentException("JWT VC Issuer Metadata has jwks or jwks_uri, exactly one");
        }
    }

    /**
     * Reads {@code iss} as an issuer identifier: an absolute https URL with a host and no user info, query or fragment.
     *
     * @throws ProblemException {@code UNTRUSTED_ISSUER} for anything else (an {@code iss} that is neither a DID nor such
     *     a URL names no key source this verifier knows)
     */
    public static URI issuerUrl(String iss) {
        Objects.requireNonNull(iss, "iss");
        try {
            URI u = new URI(iss);
            if ("https".equals(u.getScheme()) && u.getHost() != null && u.getRawUserInfo() == null && u.getRawQuery() == null
                    && u.getRawFragment() == null && iss.length() <= 2_048) {
                return u;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new ProblemException(ProblemType.UNTRUSTED_ISSUER,
                "the issuer '" + abbreviated(iss) + "' is neither a DID nor an https URL without query or fragment");
    }

    /**
     * Where {@code issuer}'s metadata is: {@value #WELL_KNOWN} between its host and its path, the path's trailing
     * {@code /} dropped ({@code https://example.com/tenant/1} → {@code https://example.com/.well-known/jwt-vc-issuer/tenant/1}).
     */
    public static URI location(URI issuer) {
        String path = Optional.ofNullable(issuer.getRawPath()).orElse("").replaceAll("/+$", "");
        String port = issuer.getPort() == -1 ? "" : ":" + issuer.getPort();
        return URI.create("https://" + issuer.getHost() + port + WELL_KNOWN + path);
    }

    /**
     * Reads the metadata document fetched from {@code location(expectedIssuer)}.
     *
     * @throws ProblemException the JSON parsing problems; {@code MALFORMED_VALUE_ERROR} for a document that is not
     *     metadata, has both or neither of {@code jwks} and {@code jwks_uri}, or a {@code jwks_uri} that is not https;
     *     {@code INVALID_CONTROLLED_IDENTIFIER_DOCUMENT_ID} when its {@code issuer} is not {@code expectedIssuer}, exactly;
     *     the {@link IssuerJwks#parse} problems
     */
    public static JwtVcIssuerMetadata parse(byte[] json, URI expectedIssuer) {
        ObjectNode doc = JsonCodec.parseObject(json);
        JsonNode issuer = doc.get("issuer");
        if (issuer == null || !issuer.isTextual()) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "JWT VC Issuer Metadata names its 'issuer'");
        }
        if (!issuer.asText().equals(expectedIssuer.toString())) {
            throw new ProblemException(ProblemType.INVALID_CONTROLLED_IDENTIFIER_DOCUMENT_ID, "the metadata at "
                    + location(expectedIssuer) + " speaks for '" + abbreviated(issuer.asText()) + "', not " + expectedIssuer);
        }
        boolean inline = doc.has("jwks");
        boolean linked = doc.has("jwks_uri");
        if (inline == linked) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR,
                    "JWT VC Issuer Metadata carries 'jwks' or 'jwks_uri', exactly one");
        }
        if (inline) {
            return new JwtVcIssuerMetadata(expectedIssuer, Optional.of(IssuerJwks.parse(doc.get("jwks"))), Optional.empty());
        }
        JsonNode uri = doc.get("jwks_uri");
        URI jwksUri;
        try {
            jwksUri = uri.isTextual() ? new URI(uri.asText()) : null;
        } catch (URISyntaxException e) {
            jwksUri = null;
        }
        if (jwksUri == null || !"https".equals(jwksUri.getScheme()) || jwksUri.getHost() == null) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "the metadata's 'jwks_uri' must be an https URL");
        }
        return new JwtVcIssuerMetadata(expectedIssuer, Optional.empty(), Optional.of(jwksUri));
    }

    private static String abbreviated(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }
}
