package dev.tabard.httpsig;

import dev.tabard.httpsig.internal.StructuredFields;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The message a signature covers: a request (method, absolute target URI, header fields), or a response (status,
 * header fields) with the request it answers, so that a response signature can cover request components with
 * {@code ;req} (RFC 9421 §2.4). The content is not part of it: a signature covers content through a
 * {@code Content-Digest} field ({@link ContentDigest}).
 */
public final class HttpMessage {

    private final String method;
    private final URI targetUri;
    private final int status;
    private final HttpFields fields;
    private final HttpMessage request;

    private HttpMessage(String method, URI targetUri, int status, HttpFields fields, HttpMessage request) {
        this.method = method;
        this.targetUri = targetUri;
        this.status = status;
        this.fields = fields;
        this.request = request;
    }

    /**
     * A request. The target URI is the absolute URI the request was sent to (RFC 9110 §7.1): scheme http or https, a
     * host, no user information and no fragment.
     *
     * @throws ProblemException {@code MALFORMED_VALUE_ERROR} for a method that is not a token or such a URI
     */
    public static HttpMessage request(String method, URI targetUri, HttpFields fields) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(targetUri, "targetUri");
        Objects.requireNonNull(fields, "fields");
        if (method.isEmpty() || !method.chars().allMatch(c -> StructuredFields.isTchar((char) c))) {
            throw malformed("the request method is not a token");
        }
        String scheme = targetUri.getScheme() == null ? "" : targetUri.getScheme().toLowerCase(Locale.ROOT);
        if (!targetUri.isAbsolute() || targetUri.isOpaque() || !(scheme.equals("http") || scheme.equals("https"))) {
            throw malformed("the target URI must be an absolute http or https URI");
        }
        if (targetUri.getHost() == null || targetUri.getRawUserInfo() != null) {
            throw malformed("the target URI must name a host, without user information");
        }
        if (targetUri.getRawFragment() != null) {
            throw malformed("a target URI has no fragment");
        }
        return new HttpMessage(method, targetUri, 0, fields, null);
    }

    /**
     * A response to {@code request}.
     *
     * @throws IllegalArgumentException when {@code request} is itself a response
     * @throws ProblemException {@code MALFORMED_VALUE_ERROR} for a status outside 100-999
     */
    public static HttpMessage response(int status, HttpFields fields, HttpMessage request) {
        Objects.requireNonNull(fields, "fields");
        Objects.requireNonNull(request, "request");
        if (!request.isRequest()) {
            throw new IllegalArgumentException("a response answers a request");
        }
        if (status < 100 || status > 999) {
            throw malformed("an HTTP status is three digits");
        }
        return new HttpMessage(null, null, status, fields, request);
    }

    public boolean isRequest() {
        return request == null;
    }

    public HttpFields fields() {
        return fields;
    }

    /** A copy with other fields (for instance with the Signature-Input and Signature fields added). */
    public HttpMessage withFields(HttpFields newFields) {
        Objects.requireNonNull(newFields, "newFields");
        return new HttpMessage(method, targetUri, status, newFields, request);
    }

    /**
     * The request method, case kept.
     *
     * @throws IllegalStateException for a response
     */
    public String method() {
        requireRequest();
        return method;
    }

    /**
     * The absolute target URI.
     *
     * @throws IllegalStateException for a response
     */
    public URI targetUri() {
        requireRequest();
        return targetUri;
    }

    /**
     * The status code.
     *
     * @throws IllegalStateException for a request
     */
    public int status() {
        if (isRequest()) {
            throw new IllegalStateException("a request has no status");
        }
        return status;
    }

    /** The request a response answers; empty for a request. */
    public Optional<HttpMessage> request() {
        return Optional.ofNullable(request);
    }

    private void requireRequest() {
        if (!isRequest()) {
            throw new IllegalStateException("a response has no method or target URI");
        }
    }

    private static ProblemException malformed(String detail) {
        return new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, detail);
    }

    @Override
    public String toString() {
        return isRequest() ? "HttpMessage(" + method + " " + targetUri + ")" : "HttpMessage(" + status + " answering "
                + request.method + " " + request.targetUri + ")";
    }
}
