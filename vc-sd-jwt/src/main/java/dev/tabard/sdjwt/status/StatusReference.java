package dev.tabard.sdjwt.status;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;

/**
 * A referenced token's {@code status.status_list} (draft-ietf-oauth-status-list §6.2): which entry of which list
 * holds its status.
 *
 * @param idx the entry's index
 * @param uri the Status List Token's URI, its {@code sub}
 */
public record StatusReference(long idx, URI uri) {

    public StatusReference {
        Objects.requireNonNull(uri, "uri");
        if (idx < 0) {
            throw new IllegalArgumentException("idx >= 0");
        }
    }

    /**
     * Reads {@code {"status_list": {"idx": …, "uri": "…"}}}, the value of a {@code status} claim.
     *
     * @throws ProblemException {@code MALFORMED_VALUE_ERROR} for any other shape, a negative or non-integral index, or
     *     a URI that is not an absolute http(s) URI (whether plain http is reachable is the fetch policy's decision)
     */
    public static StatusReference parse(JsonNode status) {
        Objects.requireNonNull(status, "status");
        JsonNode list = status.path("status_list");
        JsonNode idx = list.get("idx");
        JsonNode uri = list.get("uri");
        if (!list.isObject() || idx == null || !idx.isIntegralNumber() || !idx.canConvertToLong() || idx.asLong() < 0
                || uri == null || !uri.isTextual()) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR,
                    "status must be {\"status_list\": {\"idx\": <non-negative integer>, \"uri\": <https URI>}}");
        }
        try {
            URI u = new URI(uri.asText());
            boolean web = "https".equalsIgnoreCase(u.getScheme()) || "http".equalsIgnoreCase(u.getScheme());
            if (!web || u.getHost() == null) {
                throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "status_list uri must be an absolute http(s) URI");
            }
            return new StatusReference(idx.asLong(), u);
        } catch (URISyntaxException e) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "status_list uri is not a URI");
        }
    }

    /** The {@code status} claim's value. */
    public com.fasterxml.jackson.databind.node.ObjectNode toJson() {
        var status = dev.tabard.codec.JsonCodec.objectNode();
        status.putObject("status_list").put("idx", idx).put("uri", uri.toString());
        return status;
    }
}
