package dev.tabard.issuer.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.issuer.IssuanceFormat;
import dev.tabard.issuer.IssuanceMode;
import dev.tabard.issuer.IssuerService;
import dev.tabard.jsonld.BundledContexts;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.status.StatusPurpose;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The W3C VC-API issuer endpoints, {@code POST /credentials/issue} and {@code POST /credentials/status}, shaped as
 * the VC-API specification and the W3C conformance suites expect.
 *
 * @see <a href="https://w3c-ccg.github.io/vc-api/#issue-credential">VC-API: Issue Credential</a>
 */
final class VcApiEndpoints {

    private static final String SUITES = "cryptosuite is eddsa-rdfc-2022, eddsa-jcs-2022, ecdsa-rdfc-2019 or ecdsa-jcs-2019";

    private final IssuerService service;
    private final AdminAuth auth;
    private final IssuerServer.VcApiAccess access;
    private final BundledContexts contexts;
    private final IssuanceMode mode;

    VcApiEndpoints(IssuerService service, AdminAuth auth, IssuerServer.VcApiAccess access) {
        this.service = service;
        this.auth = auth;
        this.access = access;
        this.contexts = access == IssuerServer.VcApiAccess.TOKEN ? BundledContexts.standard()
                : BundledContexts.standard().withW3cExamplesContextForConformanceRuns().allowingInlineContexts();
        this.mode = access == IssuerServer.VcApiAccess.TOKEN ? IssuanceMode.BOUNDED
                : IssuanceMode.CONFORMANCE_RUN_SIGNS_CALLER_DATES_AND_STATUS;
    }

    void register(Javalin app) {
        app.post("/credentials/issue", this::vcApiIssue);
        app.post("/credentials/status", this::vcApiStatus);
    }

    /** The audit actor of a VC-API call: the token's holder, or, on an open conformance server, "vc-api". */
    private String vcApiActor(Context ctx, String role) {
        if (access == IssuerServer.VcApiAccess.OPEN_FOR_LOCAL_CONFORMANCE_RUNS && ctx.header("Authorization") == null) {
            return "vc-api";
        }
        return auth.require(ctx, role);
    }

    /**
     * VC-API issue: {@code {"credential": {…}, "options": {…}}} answers 201 {@code {"verifiableCredential": …}}. The
     * options select the securing mechanism — {@code "cryptosuite": "eddsa-rdfc-2022" | "eddsa-jcs-2022" |
     * "ecdsa-rdfc-2019" | "ecdsa-jcs-2019"} (or {@code "type": "DataIntegrityProof"}) for an embedded proof,
     * {@code "format": "vc+jwt"} (the default for VC 2.0 input) for an enveloped one, with {@code "alg": "EdDSA" |
     * "ES256"} choosing the key (see {@link #format}) — and, with {@code "credentialStatus": {"type": "BitstringStatusListEntry",
     * "statusPurpose": "revocation" | "suspension"}}, add a status entry (both purposes when none is named). Other
     * options are accepted and ignored, as the suites send their own. With {@link IssuerServer.VcApiAccess#TOKEN} the
     * credential is signed within the issuer's bounds ({@link IssuanceMode#BOUNDED}); the open access keeps the
     * suites' dates and status entries for plain credentials and signs no AgentCredential.
     */
    private void vcApiIssue(Context ctx) {
        String actor = vcApiActor(ctx, "issue");
        ObjectNode b = Requests.body(ctx);
        JsonNode credential = b.get("credential");
        if (credential == null || !credential.isObject()) {
            throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/credential", "credential must be an object"));
        }
        JsonNode options = b.path("options");
        if (!options.isMissingNode() && !options.isNull() && !options.isObject()) {
            throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/options", "options must be an object"));
        }
        ObjectNode vc = service.issuer().issueDocument((ObjectNode) credential, format(options), statuses(options.path("credentialStatus")),
                actor, contexts, mode);
        ObjectNode out = JsonCodec.objectNode();
        out.set("verifiableCredential", vc);
        ctx.status(201).contentType("application/json").result(JsonCodec.writeString(out));
    }

    /**
     * The format the options name, through {@link IssuanceFormat#select} as for the admin API: a
     * {@code cryptosuite}; else {@code type: DataIntegrityProof}, meaning the RDFC suite of the {@code alg}'s key
     * (Ed25519 by default); else {@code format} ({@code vc+jwt} by default, or a cryptosuite). {@code alg} picks the
     * key of a vc+jwt and must fit a named suite. The P-256 formats need an issuer started with {@code p256: true}.
     */
    private IssuanceFormat format(JsonNode options) {
        Optional<String> alg = optionText(options, "alg");
        Optional<String> cryptosuite = optionText(options, "cryptosuite");
        Optional<String> type = optionText(options, "type");
        String field;
        Optional<String> name;
        if (cryptosuite.isPresent()) {
            if (cryptosuite.get().equals("vc+jwt")) {
                throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/options/cryptosuite", SUITES));
            }
            field = "cryptosuite";
            name = cryptosuite;
        } else if (type.isPresent()) {
            if (!type.get().equals("DataIntegrityProof")) {
                throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/options/type", "the proof type is DataIntegrityProof"));
            }
            field = "type";
            name = Optional.of(alg.filter("ES256"::equals).isPresent() ? "ecdsa-rdfc-2019" : "eddsa-rdfc-2022");
        } else {
            field = "format";
            name = optionText(options, "format");
        }
        IssuanceFormat format;
        try {
            format = IssuanceFormat.select(name, alg);
        } catch (ProblemException e) {
            String pointer = e.problem().pointer().orElse("");
            if (pointer.equals("/format") && field.equals("cryptosuite")) {
                throw new ProblemException(Problem.at(e.type(), "/options/cryptosuite", SUITES));
            }
            throw new ProblemException(Problem.at(e.type(), "/options" + (pointer.equals("/format") ? "/" + field : pointer),
                    e.problem().detail()));
        }
        if (!service.issuer().canSign(format)) {
            // the key came from alg unless the request named a suite
            boolean byAlg = field.equals("type") || name.orElse("vc+jwt").equals("vc+jwt");
            throw new ProblemException(Problem.at(ProblemType.ALGORITHM_NOT_ALLOWED, "/options/" + (byAlg ? "alg" : field),
                    "this issuer has no " + format.keyType() + " key; start it with p256: true to issue ES256, ecdsa-rdfc-2019 "
                            + "and ecdsa-jcs-2019"));
        }
        return format;
    }

    private static Optional<String> optionText(JsonNode options, String name) {
        JsonNode v = options.get(name);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/options/" + name, name + " must be a string"));
        }
        return Optional.of(v.asText());
    }

    /** The purposes {@code options.credentialStatus} asks for: an object or an array of them. */
    private static Set<StatusPurpose> statuses(JsonNode requested) {
        if (requested.isMissingNode() || requested.isNull()) {
            return Set.of();
        }
        List<JsonNode> items = new ArrayList<>();
        if (requested.isArray()) {
            requested.forEach(items::add);
        } else {
            items.add(requested);
        }
        Set<StatusPurpose> out = java.util.EnumSet.noneOf(StatusPurpose.class);
        for (int i = 0; i < items.size(); i++) {
            String pointer = "/options/credentialStatus" + (requested.isArray() ? "/" + i : "");
            JsonNode item = items.get(i);
            if (!item.isObject() || !"BitstringStatusListEntry".equals(item.path("type").asText())) {
                throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, pointer + "/type",
                        "this issuer adds status entries of type BitstringStatusListEntry"));
            }
            Optional<StatusPurpose> purpose = purpose(item.get("statusPurpose"), pointer + "/statusPurpose");
            if (purpose.isPresent()) {
                out.add(purpose.get());
            } else {
                out.add(StatusPurpose.REVOCATION);
                out.add(StatusPurpose.SUSPENSION);
            }
        }
        return out;
    }

    private static Optional<StatusPurpose> purpose(JsonNode v, String pointer) {
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        switch (v.asText()) {
            case "revocation":
                return Optional.of(StatusPurpose.REVOCATION);
            case "suspension":
                return Optional.of(StatusPurpose.SUSPENSION);
            default:
                throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, pointer, "statusPurpose is revocation or suspension"));
        }
    }

    /**
     * VC-API status update, in the shape of the VC-API specification — {@code {"credentialId": …, "credentialStatus":
     * {"type": "BitstringStatusListEntry", "statusPurpose": "revocation" | "suspension"}, "status": true | false}} (status
     * defaults to true) — or as a list of changes, {@code "credentialStatus": [{"status": "revoked" | "suspended" |
     * "active"}]}. A revocation is final. Answers 200.
     */
    private void vcApiStatus(Context ctx) {
        String actor = vcApiActor(ctx, "revoke");
        ObjectNode b = Requests.body(ctx);
        String id = Requests.text(b, "credentialId", "/credentialId");
        JsonNode updates = b.path("credentialStatus");
        if (updates.isObject()) {
            if (updates.has("type") && !"BitstringStatusListEntry".equals(updates.path("type").asText())) {
                throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/credentialStatus/type",
                        "this issuer keeps BitstringStatusListEntry statuses"));
            }
            StatusPurpose purpose = purpose(updates.get("statusPurpose"), "/credentialStatus/statusPurpose").orElseThrow(() ->
                    new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/credentialStatus/statusPurpose",
                            "statusPurpose is revocation or suspension")));
            JsonNode status = b.get("status");
            if (status != null && !status.isBoolean()) {
                throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/status", "status is true or false"));
            }
            service.statusLists().set(id, purpose, status == null || status.asBoolean(), actor);
            ctx.status(200).contentType("application/json").result("{}");
            return;
        }
        if (!updates.isArray() || updates.isEmpty() || updates.size() > 2) {
            throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/credentialStatus",
                    "credentialStatus is the entry to update, or a list of one or two changes"));
        }
        for (int i = 0; i < updates.size(); i++) {
            String s = updates.get(i).path("status").asText("");
            switch (s) {
                case "revoked" -> service.statusLists().set(id, StatusPurpose.REVOCATION, true, actor);
                case "suspended" -> service.statusLists().set(id, StatusPurpose.SUSPENSION, true, actor);
                case "active" -> service.statusLists().set(id, StatusPurpose.SUSPENSION, false, actor);
                default -> throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/credentialStatus/" + i + "/status",
                        "status is revoked, suspended or active"));
            }
        }
        ctx.status(200).contentType("application/json").result("{}");
    }
}
