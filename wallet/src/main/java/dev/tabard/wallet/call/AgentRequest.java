package dev.tabard.wallet.call;

import dev.tabard.httpsig.HttpFields;
import java.net.URI;
import java.util.Objects;
import java.util.Set;

/**
 * A call to another organization's agent: method, URI, fields and body, and the capabilities the call exercises (so
 * the wallet presents the credential or delegation chain that holds them on first contact).
 */
public record AgentRequest(String method, URI uri, HttpFields fields, byte[] body, Set<String> capabilities) {

    /** The largest body the client signs and sends. */
    public static final int MAX_BODY_BYTES = 1_000_000;

    public AgentRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(fields, "fields");
        Objects.requireNonNull(body, "body");
        capabilities = Set.copyOf(capabilities);
        if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
            throw new IllegalArgumentException("an agent call goes to an http(s) URI, not " + uri);
        }
        if (body.length > MAX_BODY_BYTES) {
            throw new IllegalArgumentException("the body is larger than " + MAX_BODY_BYTES + " bytes");
        }
    }

    public static AgentRequest get(URI uri) {
        return new AgentRequest("GET", uri, HttpFields.empty(), new byte[0], Set.of());
    }

    /** A POST of {@code body}, whose media type is {@code contentType}. */
    public static AgentRequest post(URI uri, String contentType, byte[] body) {
        return new AgentRequest("POST", uri, HttpFields.empty().with("content-type", contentType), body.clone(), Set.of());
    }

    /** This request with {@code name} set to {@code value}. */
    public AgentRequest header(String name, String value) {
        return new AgentRequest(method, uri, fields.with(name, value), body, capabilities);
    }

    /** This request exercising {@code capabilities}: what the first-contact presentation must hold. */
    public AgentRequest exercising(String... capabilities) {
        return new AgentRequest(method, uri, fields, body, Set.of(capabilities));
    }

    /** {@code scheme://authority}: the audience of the presentation. */
    String origin() {
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }
}
