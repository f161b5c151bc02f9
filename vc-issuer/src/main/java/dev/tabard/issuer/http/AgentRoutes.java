package dev.tabard.issuer.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.did.Did;
import dev.tabard.issuer.CredentialIssuer;
import dev.tabard.issuer.IssuanceFormat;
import dev.tabard.issuer.SdJwtCredentials;
import dev.tabard.issuer.IssuerService;
import dev.tabard.issuer.agents.Agent;
import dev.tabard.issuer.agents.AgentRegistry;
import dev.tabard.issuer.oid4vci.Oid4vci;
import dev.tabard.issuer.store.IssuedCredential;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.sdjwt.vc.SdJwtVc;
import dev.tabard.vc.AgentClaims;
import dev.tabard.vc.jose.EnvelopedCredential;
import dev.tabard.vc.status.Bitstring;
import dev.tabard.vc.status.StatusPurpose;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The admin API for agents and their credentials: register, list, read and deactivate agents
 * ({@code /admin/agents…}), issue an AgentCredential, make an OpenID4VCI offer, and revoke, suspend or reinstate a
 * credential ({@code /admin/credentials/{id}/revoke|suspend|reinstate}), and list an agent's credentials with their status.
 */
final class AgentRoutes {

    /** Credentials listed per agent: a page an operator reads. */
    static final int MAX_LISTED_CREDENTIALS = 200;

    private final IssuerService service;
    private final AdminAuth auth;
    private final Oid4vci oid4vci;
    private final Clock clock;

    AgentRoutes(IssuerService service, AdminAuth auth, Oid4vci oid4vci, Clock clock) {
        this.service = service;
        this.auth = auth;
        this.oid4vci = oid4vci;
        this.clock = clock;
    }

    void register(Javalin app) {
        app.post("/admin/agents", this::putAgent);
        app.get("/admin/agents", this::listAgents);
        app.get("/admin/agents/{did}", this::getAgent);
        app.post("/admin/agents/{did}/deactivate", this::deactivate);
        app.post("/admin/agents/{did}/credentials", this::issue);
        app.get("/admin/agents/{did}/credentials", this::credentials);
        app.post("/admin/agents/{did}/offer", this::offer);
        app.post("/admin/credentials/{id}/{action}", this::status);
    }

    private void putAgent(Context ctx) {
        String actor = auth.require(ctx, "issue");
        ObjectNode b = Requests.body(ctx);
        Did d = Requests.did(b.path("did").asText(""), "/did");
        String name = Requests.text(b, "name", "/name");
        JsonNode op = b.path("operator");
        AgentClaims.Operator operator = new AgentClaims.Operator(Requests.text(op, "name", "/operator/name"),
                op.hasNonNull("email") ? Optional.of(Requests.text(op, "email", "/operator/email")) : Optional.empty());
        Set<String> caps = new LinkedHashSet<>();
        JsonNode c = b.path("capabilities");
        if (!c.isMissingNode() && !c.isArray()) {
            throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/capabilities", "capabilities must be an array"));
        }
        for (int i = 0; i < c.size(); i++) {
            if (!c.get(i).isTextual() || !c.get(i).asText().matches("[a-z0-9][a-z0-9:._-]{0,127}")) {
                throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/capabilities/" + i,
                        "a capability is lower-case letters, digits and : . _ -"));
            }
            caps.add(c.get(i).asText());
        }
        AgentClaims.Constraints constraints;
        AgentClaims.Delegation delegation;
        try {
            ObjectNode cons = b.has("constraints") && b.get("constraints").isObject() ? (ObjectNode) b.get("constraints").deepCopy()
                    : JsonCodec.objectNode();
            JsonNode max = cons.remove("maxTransactionValue");
            JsonNode regions = cons.remove("dataRegions");
            List<String> r = new ArrayList<>();
            if (regions != null) {
                regions.forEach(x -> r.add(x.asText()));
            }
            constraints = new AgentClaims.Constraints(max == null ? Optional.empty()
                    : Optional.of(new AgentClaims.Money(max.path("amount").asText(), max.path("currency").asText())), r, cons.toString());
            JsonNode del = b.path("delegation");
            delegation = new AgentClaims.Delegation(del.path("allowed").asBoolean(false), del.path("maxDepth").asInt(0));
        } catch (IllegalArgumentException e) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, e.getMessage());
        }
        Instant now = clock.instant();
        Set<String> privateConstraints = privateConstraints(b.path("privateConstraints"));
        Agent stored = service.agents().put(new Agent(d, name, operator, caps, constraints, delegation, true, now, now,
                privateConstraints), actor);
        ctx.status(201).contentType("application/json").result(JsonCodec.writeString(agentJson(stored)));
    }

    /** The constraint names an SD-JWT VC keeps selectively disclosable: at most 64 names of at most 128 characters. */
    private static Set<String> privateConstraints(JsonNode names) {
        Set<String> out = new LinkedHashSet<>();
        if (names.isMissingNode() || names.isNull()) {
            return out;
        }
        if (!names.isArray() || names.size() > 64) {
            throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/privateConstraints",
                    "privateConstraints is an array of at most 64 constraint names"));
        }
        for (int i = 0; i < names.size(); i++) {
            JsonNode n = names.get(i);
            if (!n.isTextual() || n.asText().isEmpty() || n.asText().length() > 128) {
                throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/privateConstraints/" + i,
                        "a constraint name is a non-empty string of at most 128 characters"));
            }
            out.add(n.asText());
        }
        return out;
    }

    private static ObjectNode agentJson(Agent a) {
        ObjectNode o = a.claims(a.did(), "").subjectJson();
        o.remove("memberOf");
        ArrayNode priv = o.putArray("privateConstraints");
        a.privateConstraints().stream().sorted().forEach(priv::add);
        o.put("active", a.active());
        o.put("created", a.created().toString());
        o.put("updated", a.updated().toString());
        return o;
    }

    private void listAgents(Context ctx) {
        auth.require(ctx, "issue");
        String q = Optional.ofNullable(ctx.queryParam("q")).orElse("");
        if (q.length() > 256) {
            throw new ProblemException(ProblemType.LIMIT_EXCEEDED, "query too long");
        }
        ArrayNode out = JsonCodec.arrayNode();
        service.store().agents(q, "true".equals(ctx.queryParam("active")), 100).forEach(a -> out.add(agentJson(a)));
        ctx.contentType("application/json").result(JsonCodec.writeString(Map.of("agents", out)));
    }

    private Agent registered(Context ctx) {
        Did d = Requests.did(ctx.pathParam("did"), "/did");
        return service.agents().find(d).orElseThrow(() -> new ProblemException(ProblemType.RESOURCE_NOT_FOUND, "no agent "
                + d + " is registered; register it with " + AgentRegistry.REGISTER));
    }

    private void getAgent(Context ctx) {
        auth.require(ctx, "issue");
        Agent a = registered(ctx);
        ctx.contentType("application/json").result(JsonCodec.writeString(agentJson(a)));
    }

    private void deactivate(Context ctx) {
        String actor = auth.require(ctx, "admin");
        Agent a = registered(ctx);
        service.agents().put(a.with(false, a.created(), a.updated()), actor);
        ctx.status(204);
    }

    private void issue(Context ctx) {
        String actor = auth.require(ctx, "issue");
        Did d = Requests.did(ctx.pathParam("did"), "/did");
        if (sdJwtAsked(ctx)) {
            SdJwtCredentials.Issued issued = service.sdJwt().issue(d, actor);
            ctx.status(201).contentType("application/json").result(JsonCodec.writeString(Map.of("id", issued.record().id(),
                    "format", SdJwtVc.TYP, "credential", issued.sdJwt().serialize())));
            return;
        }
        IssuanceFormat format = IssuanceFormat.select(Optional.ofNullable(ctx.queryParam("format")),
                Optional.ofNullable(ctx.queryParam("alg")));
        CredentialIssuer.Issued result = service.issuer().issue(d, format, actor);
        ObjectNode out = JsonCodec.objectNode();
        out.put("id", result.record().id());
        if (result.dataIntegrity().isPresent()) {
            out.set("verifiableCredential", result.dataIntegrity().get());
        } else {
            out.set("verifiableCredential", EnvelopedCredential.of(result.vcJwt()));
            out.put("vcJwt", result.vcJwt());
        }
        ctx.status(201).contentType("application/json").result(JsonCodec.writeString(out));
    }

    /**
     * The agent's AgentCredentials, newest first, with their status bits: what an operator needs to pick the one to
     * revoke or suspend. Each list is read once per request, however many credentials sit in it.
     */
    private void credentials(Context ctx) {
        auth.require(ctx, "issue");
        Did d = Requests.did(ctx.pathParam("did"), "/did");
        Map<Integer, Bitstring> lists = new HashMap<>();
        ArrayNode out = JsonCodec.arrayNode();
        for (IssuedCredential c : service.store().credentials(d, MAX_LISTED_CREDENTIALS)) {
            out.addObject().put("id", c.id()).put("format", c.format().equals(IssuedCredential.SD_JWT_VC) ? SdJwtVc.TYP : "vc")
                    .put("issued", c.issued().toString()).put("validUntil", c.validUntil().toString())
                    .put("revoked", bit(lists, c.revocationList(), c.revocationIndex()))
                    .put("suspended", bit(lists, c.suspensionList(), c.suspensionIndex()));
        }
        ctx.contentType("application/json").result(JsonCodec.writeString(Map.of("credentials", out)));
    }

    private boolean bit(Map<Integer, Bitstring> lists, int list, long index) {
        Bitstring bits = lists.computeIfAbsent(list, id -> service.store().statusList(id).orElseThrow().bits());
        return bits.get(index) != 0;
    }

    /**
     * An OpenID4VCI credential offer for a registered agent ({@code ?tx_code=true} adds a one-time code,
     * {@code ?qr=svg} the offer URL as a QR code in {@code offer_qr_svg}).
     */
    private void offer(Context ctx) {
        auth.require(ctx, "issue");
        Agent a = registered(ctx);
        if (!a.active()) {
            throw new ProblemException(ProblemType.FORBIDDEN, "agent " + a.did() + " is deactivated");
        }
        ObjectNode out = oid4vci.offer(a.did(), "true".equals(ctx.queryParam("tx_code")),
                sdJwtAsked(ctx) ? Oid4vci.SD_JWT_CONFIGURATION_ID : Oid4vci.CONFIGURATION_ID);
        if ("svg".equals(ctx.queryParam("qr"))) {
            out.put("offer_qr_svg", OfferQr.svg(out.path("offer_url").asText()));
        }
        ctx.status(201).contentType("application/json").result(JsonCodec.writeString(out));
    }

    /**
     * Whether {@code ?format=} asks for an SD-JWT VC: {@code dc+sd-jwt}, also as a query string decodes an unescaped
     * {@code +} ({@code dc sd-jwt}).
     */
    private static boolean sdJwtAsked(Context ctx) {
        String f = ctx.queryParam("format");
        return SdJwtVc.TYP.equals(f) || "dc sd-jwt".equals(f);
    }

    private void status(Context ctx) {
        String action = ctx.pathParam("action");
        String actor = auth.require(ctx, "revoke");
        String id = ctx.pathParam("id");
        switch (action) {
            case "revoke" -> service.statusLists().set(id, StatusPurpose.REVOCATION, true, actor);
            case "suspend" -> service.statusLists().set(id, StatusPurpose.SUSPENSION, true, actor);
            case "reinstate" -> service.statusLists().set(id, StatusPurpose.SUSPENSION, false, actor);
            default -> throw new ProblemException(ProblemType.ROUTE_NOT_FOUND, "no endpoint /admin/credentials/{id}/" + action
                    + "; the actions are revoke, suspend and reinstate");
        }
        ctx.status(204);
    }
}
