package dev.tabard.issuer.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.did.Did;
import dev.tabard.issuer.IssuerService;
import dev.tabard.issuer.delegations.DelegationRegistrar;
import dev.tabard.issuer.delegations.RegisteredDelegation;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.Map;

/**
 * Delegation links: {@code POST /delegations}, where an agent registers a link it is about to sign (proven by its own
 * key, see {@link DelegationRegistrar}), and {@code GET /admin/agents/{did}/delegations}, the links an agent gave or
 * that derive from its credentials. A registered link is revoked or suspended like any credential, at
 * {@code POST /admin/credentials/{id}/revoke|suspend|reinstate}; everything beneath it then fails verification.
 */
final class DelegationEndpoints {

    /** Links listed per agent: a page an operator reads. */
    static final int MAX_LISTED = 200;

    private final IssuerService service;
    private final AdminAuth auth;
    private final DelegationRegistrar registrar;

    DelegationEndpoints(IssuerService service, AdminAuth auth, Clock clock) {
        this.service = service;
        this.auth = auth;
        this.registrar = new DelegationRegistrar(service, clock);
    }

    void register(Javalin app) {
        app.post("/delegations", this::registerLink);
        app.get("/admin/agents/{did}/delegations", this::list);
    }

    private void registerLink(Context ctx) {
        ObjectNode body = Requests.body(ctx);
        if (!body.path("request").isTextual()) {
            throw new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/request",
                    "the body is {\"request\": \"<" + dev.tabard.vc.DelegationRegistration.TYPE + " signed by the delegating agent>\"}"));
        }
        ObjectNode link = registrar.register(body.get("request").asText());
        ctx.status(201).contentType("application/json").result(JsonCodec.writeString(Map.of("delegation", link)));
    }

    private void list(Context ctx) {
        auth.require(ctx, "issue");
        String text = ctx.pathParam("did");
        Did agent = Did.tryParse(text).orElseThrow(() -> new ProblemException(Problem.at(ProblemType.MALFORMED_VALUE_ERROR, "/did",
                "'" + text + "' is not a DID")));
        ArrayNode out = JsonCodec.arrayNode();
        for (RegisteredDelegation d : service.store().delegations(agent, MAX_LISTED)) {
            ObjectNode o = out.addObject();
            o.put("id", d.id()).put("delegator", d.delegator().toString()).put("delegate", d.delegate().toString())
                    .put("rootCredential", d.rootCredential()).put("rootAgent", d.rootAgent().toString()).put("parent", d.parent());
            ArrayNode caps = o.putArray("capabilities");
            d.capabilities().stream().sorted().forEach(caps::add);
            d.task().ifPresent(t -> o.put("task", t));
            o.put("validUntil", d.validUntil().toString()).put("registered", d.registered().toString());
            o.put("active", service.active(d.id()));
        }
        ctx.contentType("application/json").result(JsonCodec.writeString(Map.of("delegations", out)));
    }
}
