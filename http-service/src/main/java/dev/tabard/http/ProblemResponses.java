package dev.tabard.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemJson;
import dev.tabard.problem.ProblemType;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;

/**
 * Problem details (RFC 9457) as the servers send them, below Javalin as well as inside it, so every answer,
 * Jetty's own included, has the same shape. The {@code status} member is always the HTTP status sent.
 */
public final class ProblemResponses {

    private ProblemResponses() {}

    /**
     * The problem-details object for {@code problems}, with {@code status} set to the status actually sent (RFC 9457
     * §3.1.4: the member must match the response).
     */
    public static ObjectNode json(List<Problem> problems, String instance, int status) {
        ObjectNode o = ProblemJson.of(problems, instance);
        o.put("status", status);
        return o;
    }

    /**
     * Writes one problem straight to a servlet response (for answers given before Javalin runs: timeouts, oversize
     * bodies, rate limits) and closes the connection when {@code close} is set, since the rest of the request is
     * then unread.
     */
    static void write(HttpServletResponse res, int status, Problem problem, String instance, boolean close) throws IOException {
        byte[] body = JsonCodec.write(json(List.of(problem), instance, status));
        res.setStatus(status);
        res.setContentType(ProblemJson.MEDIA_TYPE);
        if (close) {
            res.setHeader("Connection", "close");
        }
        res.setContentLength(body.length);
        res.getOutputStream().write(body);
    }

    /**
     * The problem for an HTTP status that Jetty or Javalin chose (a parse error, an unknown route): our own detail,
     * never the library's message, saying what to change.
     */
    static Problem forStatus(int status) {
        switch (status) {
            case 400:
                return Problem.of(ProblemType.MALFORMED_VALUE_ERROR, "the request is not valid HTTP/1.1 as this server accepts it "
                        + "(for example an encoded '/' or NUL in the path, a bad header, or both Content-Length and "
                        + "Transfer-Encoding); send a plain path and one way of framing the body");
            case 404:
                return Problem.of(ProblemType.ROUTE_NOT_FOUND, "no endpoint at this path; check the URL against the API");
            case 405:
                return Problem.of(ProblemType.METHOD_NOT_ALLOWED, "this endpoint does not take this method; the Allow header lists "
                        + "the ones it takes");
            case 408:
                return Problem.of(ProblemType.REQUEST_TIMEOUT, "the request did not arrive in time; send it again, all at once");
            case 413:
                return Problem.of(ProblemType.INPUT_TOO_LARGE, "the request body is too large for this endpoint");
            case 414:
                return Problem.of(ProblemType.INPUT_TOO_LARGE, "the request URI is too long; send data in the body instead");
            case 415:
                return Problem.of(ProblemType.UNSUPPORTED_MEDIA_TYPE, "this endpoint reads application/json; set Content-Type");
            case 431:
                return Problem.of(ProblemType.INPUT_TOO_LARGE, "the request headers are too large; send fewer or shorter headers");
            case 503:
                return Problem.of(ProblemType.SERVICE_UNAVAILABLE, "the service is busy; try again shortly");
            default:
                return status >= 500
                        ? Problem.of(ProblemType.INTERNAL_ERROR, "the request could not be processed")
                        : Problem.of(ProblemType.MALFORMED_VALUE_ERROR, "the request was refused (HTTP " + status + ")");
        }
    }
}
