package dev.tabard.http;

import dev.tabard.codec.JsonCodec;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemJson;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's error pages as problem details: the parser's 400, 413, 414 and 431 (bad path encodings, both
 * Content-Length and Transfer-Encoding, oversize URIs and headers) and any error Jetty raises outside Javalin.
 * Jetty's default answers with an HTML page that quotes its own reason; this one sends our detail only.
 */
final class ProblemErrorHandler extends ErrorHandler {

    ProblemErrorHandler() {
        setShowStacks(false);
        setShowServlet(false);
    }

    /** Errors found while parsing, before any request exists: the body is all there is to shape. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, ProblemJson.MEDIA_TYPE);
        Problem problem = ProblemResponses.forStatus(status);
        return ByteBuffer.wrap(JsonCodec.write(ProblemResponses.json(List.of(problem), null, status)));
    }

    /** Errors raised once a request exists (sendError by Jetty, for any method, not only GET and POST). */
    @Override
    public void handle(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response) throws IOException {
        baseRequest.setHandled(true);
        if (response.isCommitted()) {
            return;
        }
        int status = response.getStatus();
        ProblemResponses.write(response, status, ProblemResponses.forStatus(status), null, status == 400 || status >= 408);
    }
}
