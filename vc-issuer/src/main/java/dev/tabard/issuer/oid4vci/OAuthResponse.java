package dev.tabard.issuer.oid4vci;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an OpenID4VCI endpoint answers: a status, a JSON body (the result, or an OAuth error) and headers to add.
 *
 * @param headers response headers, such as {@code Retry-After} or {@code WWW-Authenticate}
 */
public record OAuthResponse(int status, ObjectNode body, Map<String, String> headers) {
    public OAuthResponse {
        Objects.requireNonNull(body, "body");
        headers = Map.copyOf(headers);
    }

    static OAuthResponse ok(Map<String, ?> body) {
        return new OAuthResponse(200, JsonCodec.tree(body), Map.of());
    }

    /** An OAuth 2.0 error response (RFC 6749 §5.2): {@code error} and {@code error_description}. */
    static OAuthResponse error(int status, String error, String description) {
        return new OAuthResponse(status, JsonCodec.objectNode().put("error", error).put("error_description", description),
                Map.of());
    }

    /**
     * OAuth 2.0 defines no error for a client over a per-client bound, so the OAuth endpoints answer 429 (RFC 6585) with
     * {@code temporarily_unavailable}, the OAuth error for "retry later", and {@code Retry-After}.
     */
    static OAuthResponse tooMany(Duration retryAfter, String description) {
        return error(429, "temporarily_unavailable", description).with("Retry-After", Long.toString(retryAfter.toSeconds()));
    }

    OAuthResponse with(String header, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(header, value);
        return new OAuthResponse(status, body, h);
    }

    /** The OAuth error code, or empty for a success. */
    public Optional<String> error() {
        return body.hasNonNull("error") && status >= 400 ? Optional.of(body.get("error").asText()) : Optional.empty();
    }
}
