package dev.tabard.verifier.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.did.Relationship;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.verifier.VerifyOptions;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** Reading VC-API request bodies into what the verifier takes: options, secured documents, checked strings. */
final class VcApiRequests {

    /** Three base64url segments: the only form a bare string may take. */
    private static final java.util.regex.Pattern COMPACT_JWS =
            java.util.regex.Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    /** An SD-JWT presentation's shape (RFC 9901 §4): the issuer's JWS, disclosures, each ended by '~', then a key-binding JWS or nothing. */
    private static final java.util.regex.Pattern SD_JWT = java.util.regex.Pattern.compile(
            "[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+~([A-Za-z0-9_-]+~)*([A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+)?");

    private VcApiRequests() {}

    /**
     * The VC-API options this endpoint acts on: {@code expectedProofPurpose}, {@code challenge}, {@code domain}.
     * Others, such as the suites' {@code checks}, are accepted and ignored: every check always runs.
     */
    static VerifyOptions credentialOptions(JsonNode options) {
        if (options.isMissingNode() || options.isNull()) {
            return VerifyOptions.defaults();
        }
        if (!options.isObject()) {
            throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/options", "options must be an object"));
        }
        Relationship purpose = Relationship.ASSERTION_METHOD;
        if (options.has("expectedProofPurpose")) {
            String p = optionalText(options, "expectedProofPurpose").orElse("");
            purpose = Relationship.fromProperty(p).filter(r -> r == Relationship.ASSERTION_METHOD || r == Relationship.AUTHENTICATION)
                    .orElseThrow(() -> new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/options/expectedProofPurpose",
                            "expectedProofPurpose is assertionMethod or authentication")));
        }
        VerifyOptions expected = VerifyOptions.defaults().withProofPurpose(purpose);
        Optional<String> challenge = optionalText(options, "challenge");
        if (challenge.isPresent()) {
            expected = expected.withChallenge(challenge.get());
        }
        Optional<String> domain = optionalText(options, "domain");
        if (domain.isPresent()) {
            expected = expected.withDomain(domain.get());
        }
        return expected;
    }

    static Optional<String> optionalText(JsonNode options, String name) {
        return optionalText(options, name, "/options/" + name);
    }

    static Optional<String> optionalText(JsonNode node, String name, String pointer) {
        JsonNode v = node.get(name);
        if (v == null) {
            return Optional.empty();
        }
        if (!v.isTextual() || v.asText().isEmpty() || v.asText().length() > 1024) {
            throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, pointer,
                    name + " must be a non-empty string up to 1024 characters"));
        }
        return Optional.of(v.asText());
    }

    /** Text for a JWT (given bare or enveloped in a data: URL), JSON text for a Data Integrity document. */
    static String secured(JsonNode v, String dataPrefix, String envelopeType) {
        if (v.isTextual()) {
            // a bare string is a compact JWS or nothing: a JSON document sent as a string is not a secured document
            if (envelopeType.equals("EnvelopedVerifiablePresentation") && SD_JWT.matcher(v.asText()).matches()) {
                return v.asText(); // an SD-JWT VC presentation (dc+sd-jwt): issuer JWT~disclosures~key-binding JWT
            }
            if (!COMPACT_JWS.matcher(v.asText()).matches()) {
                throw new ProblemException(Problem.of(ProblemType.PARSING_ERROR,
                        "a string here is a compact JWS (header.payload.signature in base64url); send a secured document as a "
                                + "JSON object, or a JWT bare or in an " + envelopeType));
            }
            return v.asText();
        }
        if (v.isObject() && envelopeType.equals(v.path("type").asText())) {
            // VC DM 2.0 §4.13.2: an envelope carries the base context and a data: URL of the secured form
            JsonNode context = v.path("@context");
            String first = context.isArray() ? context.path(0).asText("") : context.asText("");
            if (!first.equals("https://www.w3.org/ns/credentials/v2")) {
                throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/@context",
                        "an envelope's @context begins with https://www.w3.org/ns/credentials/v2"));
            }
            if (!v.path("id").asText().startsWith(dataPrefix)) {
                throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/id", "an " + envelopeType + " id is a "
                        + dataPrefix + " URL"));
            }
            return v.path("id").asText().substring(dataPrefix.length());
        }
        if (v.isObject()) {
            return v.toString();
        }
        throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "expected a secured document or a JWT");
    }

    /** The body as a JSON object; the transport has already received it whole and bounded its size. */
    static ObjectNode body(Context ctx) {
        byte[] bytes;
        try (InputStream in = ctx.bodyInputStream()) {
            bytes = in.readNBytes(VerifierServer.MAX_BODY_BYTES + 1);
        } catch (IOException e) {
            throw new ProblemException(ProblemType.PARSING_ERROR, "could not read the request body");
        }
        if (bytes.length > VerifierServer.MAX_BODY_BYTES) {
            throw new ProblemException(ProblemType.INPUT_TOO_LARGE, "request body exceeds " + VerifierServer.MAX_BODY_BYTES + " bytes");
        }
        return JsonCodec.parseObject(bytes);
    }
}
