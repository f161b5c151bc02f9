package dev.tabard.vc.jose;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.util.Objects;

/**
 * {@code EnvelopedVerifiableCredential}: a vc+jwt carried inside a presentation as the {@code data:} URL
 * {@code data:application/vc+jwt,<token>} (VC-JOSE-COSE §3.2).
 */
public final class EnvelopedCredential {

    public static final String PREFIX = "data:application/vc+jwt,";

    private EnvelopedCredential() {
    }

    /** The object to put in a presentation's {@code verifiableCredential}. */
    public static ObjectNode of(String vcJwt) {
        Objects.requireNonNull(vcJwt, "vcJwt");
        ObjectNode o = JsonCodec.objectNode();
        o.put("@context", "https://www.w3.org/ns/credentials/v2");
        o.put("id", PREFIX + vcJwt);
        o.put("type", "EnvelopedVerifiableCredential");
        return o;
    }

    /**
     * The token inside a data URL.
     *
     * @throws ProblemException {@code MALFORMED_VALUE_ERROR} for any other media type or encoding
     */
    public static String token(String dataUrl) {
        if (!dataUrl.startsWith(PREFIX)) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR,
                    "an enveloped credential must be a data:application/vc+jwt, URL");
        }
        return dataUrl.substring(PREFIX.length());
    }
}
