package dev.tabard.vc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.problem.ProblemException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A verifiable presentation's document, checked against the data model. Each
 * {@code verifiableCredential} entry is an object: an embedded credential (checked as one) or an
 * {@code EnvelopedVerifiableCredential} whose {@code id} is a {@code data:} URL.
 */
public final class Presentation {

    public static final String TYPE = "VerifiablePresentation";
    public static final String ENVELOPED_CREDENTIAL = "EnvelopedVerifiableCredential";

    /** The most credentials a presentation may carry (SECURITY-NOTES). */
    public static final int MAX_CREDENTIALS = 10;

    private final ObjectNode json;
    private final Credential.Version version;
    private final List<String> contexts;
    private final Optional<URI> id;
    private final List<String> types;
    private final Optional<URI> holder;
    private final List<Credential> credentials;
    private final List<String> enveloped;

    private Presentation(ObjectNode json) {
        this.json = json;
        JsonNode first = json.path("@context").isArray() ? json.path("@context").path(0) : json.path("@context");
        this.version = DataModel.V1_CONTEXT.equals(first.asText()) ? Credential.Version.V1_1 : Credential.Version.V2_0;
        this.contexts = DataModel.contexts(json.get("@context"),
                version == Credential.Version.V1_1 ? DataModel.V1_CONTEXT : DataModel.V2_CONTEXT, "");
        if (json.has("id") && !json.get("id").isTextual()) {
            throw DataModel.malformed("/id", "id must be a single URL");
        }
        this.id = DataModel.optionalUrl(json, "id", "");
        this.types = DataModel.types(json.get("type"), "/type", TYPE);
        this.holder = holder(json.get("holder"));
        List<Credential> creds = new ArrayList<>();
        List<String> env = new ArrayList<>();
        JsonNode vcs = json.get("verifiableCredential");
        List<JsonNode> items = DataModel.oneOrMany(vcs);
        if (items.size() > MAX_CREDENTIALS) {
            throw new ProblemException(dev.tabard.problem.ProblemType.LIMIT_EXCEEDED,
                    "a presentation carries at most " + MAX_CREDENTIALS + " credentials, not " + items.size());
        }
        for (int i = 0; i < items.size(); i++) {
            JsonNode vc = items.get(i);
            String p = "/verifiableCredential" + (vcs.isArray() ? "/" + i : "");
            if (!vc.isObject()) {
                throw DataModel.malformed(p, "verifiableCredential entries must be objects, not bare tokens");
            }
            if (DataModel.oneOrMany(vc.get("type")).stream().anyMatch(t -> t.asText().equals(ENVELOPED_CREDENTIAL))) {
                if (!vc.has("@context")) {
                    throw DataModel.malformed(p + "/@context", "an enveloped credential has an @context");
                }
                JsonNode dataUrl = vc.get("id");
                if (dataUrl == null || !dataUrl.isTextual() || !dataUrl.asText().startsWith("data:")) {
                    throw DataModel.malformed(p + "/id", "an enveloped credential's id is a data: URL");
                }
                env.add(dataUrl.asText());
            } else if (!vc.has("type") && vc.path("id").asText().startsWith("data:")) {
                throw DataModel.malformed(p + "/type", "an enveloped credential needs type " + ENVELOPED_CREDENTIAL);
            } else {
                creds.add(Credential.embedded((ObjectNode) vc, p));
            }
        }
        this.credentials = List.copyOf(creds);
        this.enveloped = List.copyOf(env);
    }

    /**
     * @throws ProblemException {@code PARSING_ERROR}, {@code MALFORMED_VALUE_ERROR} with a pointer, or
     *     {@code LIMIT_EXCEEDED} past {@link #MAX_CREDENTIALS}
     */
    public static Presentation parse(byte[] json) {
        return of(JsonCodec.parseObject(Objects.requireNonNull(json, "json")));
    }

    public static Presentation of(ObjectNode json) {
        return new Presentation(json.deepCopy());
    }

    private static Optional<URI> holder(JsonNode node) {
        if (node == null) {
            return Optional.empty();
        }
        if (node.isTextual()) {
            return Optional.of(DataModel.url(node, "/holder", "holder"));
        }
        if (node.isObject()) {
            return Optional.of(DataModel.url(node.get("id"), "/holder/id", "holder id"));
        }
        throw DataModel.malformed("/holder", "holder must be a URL or an object with an id");
    }

    public Credential.Version version() {
        return version;
    }

    public List<String> contexts() {
        return contexts;
    }

    public Optional<URI> id() {
        return id;
    }

    public List<String> types() {
        return types;
    }

    public Optional<URI> holder() {
        return holder;
    }

    /** Credentials embedded as documents (secured by their own proofs). */
    public List<Credential> credentials() {
        return credentials;
    }

    /** The {@code data:} URLs of enveloped credentials, in order. */
    public List<String> envelopedCredentials() {
        return enveloped;
    }

    public ObjectNode json() {
        return json.deepCopy();
    }

    public byte[] toBytes() {
        return JsonCodec.write(json);
    }
}
