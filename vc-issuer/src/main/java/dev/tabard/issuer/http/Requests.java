package dev.tabard.issuer.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.did.Did;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;

/** Reading requests at the edge: bounded bodies, and the typed values the routes take from them. */
final class Requests {

    private Requests() {
    }

    /** The request body as a JSON object, bounded by the bytes actually read (a chunked body has no length to trust). */
    static ObjectNode body(Context ctx) {
        byte[] bytes;
        try (InputStream in = ctx.bodyInputStream()) {
            bytes = in.readNBytes(IssuerServer.MAX_BODY_BYTES + 1);
        } catch (IOException e) {
            throw new ProblemException(ProblemType.PARSING_ERROR, "could not read the request body");
        }
        if (bytes.length > IssuerServer.MAX_BODY_BYTES) {
            throw new ProblemException(ProblemType.INPUT_TOO_LARGE, "request body exceeds " + IssuerServer.MAX_BODY_BYTES + " bytes");
        }
        return JsonCodec.parseObject(bytes);
    }

    /**
     * A non-empty string member of at most 256 characters.
     *
     * @throws ProblemException {@code MALFORMED_VALUE_ERROR} at {@code pointer} otherwise
     */
    static String text(JsonNode o, String name, String pointer) {
        JsonNode v = o.get(name);
        if (v == null || !v.isTextual() || v.asText().isBlank() || v.asText().length() > 256) {
            throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, pointer, name + " must be a non-empty string up to 256 characters"));
        }
        return v.asText();
    }

    /** A DID from a path or body, with {@code MALFORMED_VALUE_ERROR} at {@code pointer} when it is not one. */
    static Did did(String text, String pointer) {
        return Did.tryParse(text).orElseThrow(() -> new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, pointer,
                "'" + text + "' is not a DID")));
    }

    /** A number from a query parameter, {@code dflt} when absent. */
    static long parseLong(String s, long dflt) {
        if (s == null) {
            return dflt;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "'" + s + "' is not a number");
        }
    }
}
