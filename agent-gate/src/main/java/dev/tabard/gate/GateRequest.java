package dev.tabard.gate;

import dev.tabard.httpsig.HttpFields;
import dev.tabard.httpsig.HttpMessage;
import java.net.URI;
import java.util.Objects;

/**
 * A request as it reached the gate: the method, the target URI the client addressed (scheme and authority as the
 * client saw them, which is what its signature covers), the fields and the body actually read.
 */
public record GateRequest(String method, URI targetUri, HttpFields fields, byte[] body) {

    public GateRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(targetUri, "targetUri");
        Objects.requireNonNull(fields, "fields");
        Objects.requireNonNull(body, "body");
    }

    /** The request as its signature sees it. */
    public HttpMessage message() {
        return HttpMessage.request(method, targetUri, fields);
    }

    /** {@code scheme://authority} of the target: the audience a first presentation is addressed to. */
    public String origin() {
        return targetUri.getScheme() + "://" + targetUri.getRawAuthority();
    }

    @Override
    public String toString() {
        return "GateRequest[" + method + " " + targetUri + ", " + body.length + " bytes]";
    }
}
