package dev.tabard.issuer.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.audit.AuditEntry;
import dev.tabard.audit.AuditLog;
import dev.tabard.audit.AuditVerdict;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyType;
import dev.tabard.issuer.AdminTokens;
import dev.tabard.issuer.IssuerService;
import dev.tabard.issuer.audit.AuditAnchor;
import dev.tabard.issuer.audit.AuditAnchorWriter;
import dev.tabard.issuer.keys.OrgKey;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The admin API an {@code admin} token reaches: org keys and their rotation ({@code /admin/keys…}), new admin tokens
 * ({@code POST /admin/tokens}), and the audit log with its check ({@code /admin/audit}, {@code /admin/audit/verify}).
 */
final class AdminRoutes {

    private final IssuerService service;
    private final AdminAuth auth;
    private final Supplier<Optional<AuditAnchorWriter>> anchor;
    private final SecureRandom random = new SecureRandom();

    AdminRoutes(IssuerService service, AdminAuth auth, Supplier<Optional<AuditAnchorWriter>> anchor) {
        this.service = service;
        this.auth = auth;
        this.anchor = anchor;
    }

    void register(Javalin app) {
        app.get("/admin/audit", this::audit);
        app.get("/admin/audit/verify", this::verifyAudit);
        app.post("/admin/tokens", this::createToken);
        app.get("/admin/keys", this::listKeys);
        app.post("/admin/keys", this::addKey);
        app.post("/admin/keys/{id}/activate", ctx -> {
            service.orgKeys().activate(ctx.pathParam("id"), auth.require(ctx, "admin"));
            ctx.status(204);
        });
        app.post("/admin/keys/retire-expired", ctx -> {
            var retired = service.orgKeys().retireExpired(auth.require(ctx, "admin"));
            ctx.contentType("application/json").result(JsonCodec.writeString(Map.of("retired", retired)));
        });
    }

    private void addKey(Context ctx) {
        String actor = auth.require(ctx, "admin");
        String type = Optional.ofNullable(ctx.queryParam("type")).orElse("Ed25519");
        if (!type.equals("Ed25519") && !type.equals("P-256")) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "type is Ed25519 or P-256");
        }
        OrgKey k = service.orgKeys().add(type.equals("P-256") ? KeyType.P256 : KeyType.ED25519, actor);
        ctx.status(201).contentType("application/json").result(JsonCodec.writeString(Map.of("id", k.id(), "state", k.state().name())));
    }

    private void audit(Context ctx) {
        auth.require(ctx, "admin");
        long after = Requests.parseLong(ctx.queryParam("after"), 0);
        ArrayNode out = JsonCodec.arrayNode();
        for (AuditEntry e : service.store().audit(after, 1000)) {
            out.add(e.toJson());
        }
        ctx.contentType("application/json").result(JsonCodec.writeString(Map.of("entries", out)));
    }

    private void verifyAudit(Context ctx) {
        auth.require(ctx, "admin");
        AuditVerdict verdict = AuditLog.verify(service.store(), Optional.empty(),
                anchor.get().flatMap(AuditAnchorWriter::anchor).map(AuditAnchor::named));
        ctx.contentType("application/json").result(JsonCodec.writeString(Map.of("intact", verdict.intact(), "entries", verdict.entries(),
                "signedHeadSeq", verdict.signedHeadSeq(), "problem", verdict.broken().map(Object::toString).orElse(""),
                "message", verdict.message())));
    }

    private void listKeys(Context ctx) {
        auth.require(ctx, "admin");
        ArrayNode out = JsonCodec.arrayNode();
        for (OrgKey k : service.orgKeys().all()) {
            ObjectNode o = out.addObject().put("id", k.id()).put("type", k.publicKey().type() == KeyType.P256 ? "P-256" : "Ed25519")
                    .put("state", k.state().name()).put("publicKeyMultibase", k.publicKey().toMultibase())
                    .put("created", k.created().toString());
            k.retireAfter().ifPresent(r -> o.put("retireAfter", r.toString()));
        }
        ctx.contentType("application/json").result(JsonCodec.writeString(Map.of("keys", out)));
    }

    private void createToken(Context ctx) {
        String actor = auth.require(ctx, "admin");
        ObjectNode b = Requests.body(ctx);
        String name = Requests.text(b, "name", "/name");
        String role = Requests.text(b, "role", "/role");
        String token = AdminTokens.mint(service.store(), name, role, actor, random);
        ctx.status(201).contentType("application/json").result(JsonCodec.writeString(Map.of("name", name, "role", role, "token", token)));
    }
}
