package dev.tabard.vc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.codec.Timestamps;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A verifiable credential's document, parsed once and checked against the data model of its version
 * (VC 2.0, or VC 1.1 recognised by its first context). Unknown properties are kept: {@link #json()}
 * gives the document back as received. Proofs are not checked here.
 */
public final class Credential {

    private static final Pattern STATUS_INDEX = Pattern.compile("0|[1-9][0-9]{0,17}");
    private static final Pattern STATUS_VALUE = Pattern.compile("0x[0-9a-fA-F]{1,4}");

    /** The data-model version, from the first {@code @context} entry. */
    public enum Version { V1_1, V2_0 }

    public static final String TYPE = "VerifiableCredential";

    private final ObjectNode json;
    private final Version version;
    private final List<String> contexts;
    private final Optional<URI> id;
    private final List<String> types;
    private final Issuer issuer;
    private final Optional<Instant> validFrom;
    private final Optional<Instant> validUntil;
    private final List<CredentialSubject> subjects;
    private final List<StatusEntry> statuses;
    private final List<String> schemas;
    private final List<String> evidence;
    private final List<String> termsOfUse;

    private Credential(ObjectNode json, String base) {
        this.json = json;
        JsonNode first = json.path("@context").isArray() ? json.path("@context").path(0) : json.path("@context");
        this.version = DataModel.V1_CONTEXT.equals(first.asText()) ? Version.V1_1 : Version.V2_0;
        this.contexts = DataModel.contexts(json.get("@context"), version == Version.V1_1 ? DataModel.V1_CONTEXT
                : DataModel.V2_CONTEXT, base);
        if (json.has("id") && !json.get("id").isTextual()) {
            throw DataModel.malformed(base + "/id", "id must be a single URL");
        }
        this.id = DataModel.optionalUrl(json, "id", base);
        this.types = DataModel.types(json.get("type"), base + "/type", TYPE);
        this.issuer = issuer(json.get("issuer"), base + "/issuer");
        if (version == Version.V2_0) {
            this.validFrom = Timestamps.dateTimeStamp(json, "validFrom", base);
            this.validUntil = Timestamps.dateTimeStamp(json, "validUntil", base);
        } else {
            if (!json.has("issuanceDate")) {
                throw DataModel.malformed(base + "/issuanceDate", "a VC 1.1 credential requires issuanceDate");
            }
            // VC 1.1 allowed a dateTime without a time zone; we refuse it, as for VC 2.0, because its instant is a guess
            this.validFrom = Timestamps.dateTimeStamp(json, "issuanceDate", base);
            this.validUntil = Timestamps.dateTimeStamp(json, "expirationDate", base);
        }
        if (validFrom.isPresent() && validUntil.isPresent() && validUntil.get().isBefore(validFrom.get())) {
            throw new ProblemException(Problem.at(ProblemType.RANGE_ERROR, base + "/validUntil",
                    "validUntil is before validFrom"));
        }
        this.subjects = subjects(json.get("credentialSubject"), base + "/credentialSubject");
        this.statuses = statuses(json.get("credentialStatus"), base + "/credentialStatus");
        this.schemas = DataModel.typedObjects(json, "credentialSchema", base, true);
        this.evidence = DataModel.typedObjects(json, "evidence", base, false);
        this.termsOfUse = DataModel.typedObjects(json, "termsOfUse", base, false);
        DataModel.typedObjects(json, "refreshService", base, false);
        DataModel.languageValue(json, "name", base);
        DataModel.languageValue(json, "description", base);
        RelatedResources.check(json, base);
        List<JsonNode> proofs = DataModel.oneOrMany(json.get("proof"));
        for (int i = 0; i < proofs.size(); i++) {
            String p = base + "/proof" + (json.get("proof").isArray() ? "/" + i : "");
            if (!proofs.get(i).isObject() || !proofs.get(i).path("type").isTextual()) {
                throw DataModel.malformed(p, "a proof is an object with a type");
            }
        }
    }

    /**
     * Parses and checks a credential document.
     *
     * @throws ProblemException {@code PARSING_ERROR} for bytes that are not one JSON object;
     *     {@code MALFORMED_VALUE_ERROR} (with a JSON pointer) or {@code RANGE_ERROR} for a data-model violation
     */
    public static Credential parse(byte[] json) {
        return new Credential(JsonCodec.parseObject(Objects.requireNonNull(json, "json")), "");
    }

    /** Checks a credential already parsed as JSON; the tree is copied. */
    public static Credential of(ObjectNode json) {
        return new Credential(json.deepCopy(), "");
    }

    /** A credential embedded in a presentation, with pointers relative to the presentation. */
    static Credential embedded(ObjectNode json, String pointer) {
        return new Credential(json.deepCopy(), pointer);
    }

    private static Issuer issuer(JsonNode node, String pointer) {
        if (node == null || node.isNull()) {
            throw DataModel.malformed(pointer, "issuer is required");
        }
        if (node.isTextual()) {
            return new Issuer(DataModel.url(node, pointer, "issuer"), Optional.empty());
        }
        if (!node.isObject()) {
            throw DataModel.malformed(pointer, "issuer must be a URL or an object with an id");
        }
        URI id = DataModel.url(node.get("id"), pointer + "/id", "issuer id");
        DataModel.languageValue(node, "name", pointer);
        DataModel.languageValue(node, "description", pointer);
        JsonNode name = node.get("name");
        return new Issuer(id, name != null && name.isTextual() ? Optional.of(name.asText()) : Optional.empty());
    }

    private static List<CredentialSubject> subjects(JsonNode node, String pointer) {
        if (node == null || node.isNull()) {
            throw DataModel.malformed(pointer, "credentialSubject is required");
        }
        List<JsonNode> items = DataModel.oneOrMany(node);
        if (items.isEmpty()) {
            throw DataModel.malformed(pointer, "credentialSubject must not be empty");
        }
        List<CredentialSubject> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode s = items.get(i);
            String p = node.isArray() ? pointer + "/" + i : pointer;
            if (!s.isObject() || s.isEmpty()) {
                throw DataModel.malformed(p, "a credentialSubject is an object with at least one claim");
            }
            Optional<String> sid = Optional.empty();
            if (s.has("id")) {
                sid = Optional.of(DataModel.url(s.get("id"), p + "/id", "credentialSubject id").toString());
            }
            out.add(CredentialSubject.sharing(sid, (ObjectNode) s));
        }
        return List.copyOf(out);
    }

    private static List<StatusEntry> statuses(JsonNode node, String pointer) {
        List<StatusEntry> out = new ArrayList<>();
        List<JsonNode> items = DataModel.oneOrMany(node);
        for (int i = 0; i < items.size(); i++) {
            JsonNode s = items.get(i);
            String p = node.isArray() ? pointer + "/" + i : pointer;
            if (!s.isObject()) {
                throw DataModel.malformed(p, "a credentialStatus is an object");
            }
            if (!s.path("type").isTextual() || s.path("type").asText().isEmpty()) {
                throw DataModel.malformed(p + "/type", "credentialStatus type must be a string");
            }
            String type = s.get("type").asText();
            if (s.has("id") && !s.get("id").isTextual()) {
                throw DataModel.malformed(p + "/id", "credentialStatus id must be a single URL");
            }
            Optional<URI> sid = DataModel.optionalUrl(s, "id", p);
            if (!StatusEntry.BITSTRING_TYPE.equals(type)) {
                out.add(new StatusEntry(sid, type, Optional.empty(), Optional.empty(), Optional.empty(), 1));
                continue;
            }
            JsonNode purpose = s.get("statusPurpose");
            if (purpose == null || !purpose.isTextual() || purpose.asText().isEmpty()) {
                throw DataModel.malformed(p + "/statusPurpose", "statusPurpose must be a string");
            }
            JsonNode index = s.get("statusListIndex");
            if (index == null || !index.isTextual() || !STATUS_INDEX.matcher(index.asText()).matches()) {
                throw DataModel.malformed(p + "/statusListIndex", "statusListIndex must be a non-negative integer as a string");
            }
            URI list = DataModel.url(s.get("statusListCredential"), p + "/statusListCredential", "statusListCredential");
            int size = 1;
            if (s.has("statusSize")) {
                JsonNode sz = s.get("statusSize");
                if (!sz.canConvertToInt() || !sz.isIntegralNumber() || sz.asInt() < 1 || sz.asInt() > 16) {
                    throw DataModel.malformed(p + "/statusSize", "statusSize must be an integer from 1 to 16");
                }
                size = sz.asInt();
            }
            if (size > 1 && !s.has("statusMessage")) {
                throw DataModel.malformed(p + "/statusMessage", "statusSize above 1 requires statusMessage");
            }
            if (s.has("statusMessage")) {
                checkStatusMessages(s.get("statusMessage"), size, p + "/statusMessage");
            }
            out.add(new StatusEntry(sid, type, Optional.of(purpose.asText()), Optional.of(Long.parseLong(index.asText())),
                    Optional.of(list), size));
        }
        return List.copyOf(out);
    }

    /**
     * Bitstring Status List §2.1: statusMessage lists one {status, message} per possible value, so its length is
     * 2^statusSize and each status is a distinct hex value that fits in statusSize bits.
     */
    private static void checkStatusMessages(JsonNode messages, int size, String pointer) {
        if (!messages.isArray()) {
            throw DataModel.malformed(pointer, "statusMessage must be an array");
        }
        long expected = 1L << size;
        if (messages.size() != expected) {
            throw DataModel.malformed(pointer, "statusMessage must list " + expected + " entries for statusSize " + size
                    + ", not " + messages.size());
        }
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String at = pointer + "/" + i;
            if (!m.isObject() || !m.path("message").isTextual()) {
                throw DataModel.malformed(at, "a statusMessage entry is an object with a message string");
            }
            String status = m.path("status").asText("");
            if (!m.path("status").isTextual() || !STATUS_VALUE.matcher(status).matches()) {
                throw DataModel.malformed(at + "/status", "status must be a hexadecimal string such as \"0x1\"");
            }
            long value = Long.parseLong(status.substring(2), 16);
            if (value >= expected || !seen.add(value)) {
                throw DataModel.malformed(at + "/status", "status " + status + " is out of range or repeated");
            }
        }
    }

    public Version version() {
        return version;
    }

    /** The {@code @context} entries: URLs as written, objects as JSON text. */
    public List<String> contexts() {
        return contexts;
    }

    public Optional<URI> id() {
        return id;
    }

    public List<String> types() {
        return types;
    }

    public Issuer issuer() {
        return issuer;
    }

    /** {@code validFrom}, or a VC 1.1 {@code issuanceDate}. */
    public Optional<Instant> validFrom() {
        return validFrom;
    }

    /** {@code validUntil}, or a VC 1.1 {@code expirationDate}. */
    public Optional<Instant> validUntil() {
        return validUntil;
    }

    public List<CredentialSubject> subjects() {
        return subjects;
    }

    public List<StatusEntry> statuses() {
        return statuses;
    }

    /** {@code credentialSchema} entries as JSON text. */
    public List<String> schemas() {
        return schemas;
    }

    public List<String> evidence() {
        return evidence;
    }

    public List<String> termsOfUse() {
        return termsOfUse;
    }

    public boolean hasProof() {
        return json.has("proof");
    }

    /** The document as received, a fresh copy. */
    public ObjectNode json() {
        return json.deepCopy();
    }

    public byte[] toBytes() {
        return JsonCodec.write(json);
    }

    @Override
    public String toString() {
        return "Credential[" + id.map(URI::toString).orElse("-") + ", " + types + ", issuer " + issuer.id() + "]";
    }
}
