package dev.tabard.http;

import dev.tabard.codec.JsonCodec;
import dev.tabard.problem.Incident;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemJson;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's error pages as problem details: the parser's 400, 413, 414 and 431 (bad path encodings, both
 * Content-Length and Transfer-Encoding, oversize URIs and headers) and any error Jetty raises outside Javalin.
 * Jetty's default answers with an HTML page that quotes its own reason; this one sends our detail only, and a 500 is
 * an {@link Incident} as in a handler.
 */
final class ProblemErrorHandler extends ErrorHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemErrorHandler.class);

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
        if (status == 500) {
            // an exception that escaped below Javalin (a filter, the servlet container): the same incident as in a handler
            Object thrown = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
            Throwable cause = thrown instanceof Throwable t ? t : new IllegalStateException("HTTP 500 raised without an exception");
            Incident incident = Incident.report(log, "below the routes, handling " + request.getMethod() + " " + request.getRequestURI(), cause);
            ProblemResponses.write(response, status, incident.problem(), HttpService.INCIDENT_URN + incident.id(), true);
            return;
        }
        ProblemResponses.write(response, status, ProblemResponses.forStatus(status), null, status == 400 || status >= 408);
    }
}
