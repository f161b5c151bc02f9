package dev.tabard.issuer.oid4vci;

import dev.tabard.codec.JsonCodec;
import dev.tabard.http.ClientAddress;
import dev.tabard.problem.ProblemException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP side of {@link Oid4vci}: routes, form and body reading (bounded by the bytes read), and the answer's
 * status, headers and JSON. The protocol decisions are all {@link Oid4vci}'s.
 */
public final class Oid4vciEndpoints {

    private final Oid4vci protocol;

    public Oid4vciEndpoints(Oid4vci protocol) {
        this.protocol = protocol;
    }

    public void register(Javalin app) {
        app.get("/.well-known/openid-credential-issuer", ctx -> json(ctx, 200, JsonCodec.writeString(protocol.metadata())));
        app.get("/.well-known/oauth-authorization-server", ctx -> json(ctx, 200,
                JsonCodec.writeString(protocol.authorizationServerMetadata())));
        app.post("/oid4vci/token", this::token);
        app.post("/oid4vci/nonce", this::nonce);
        app.post("/oid4vci/credential", ctx -> answer(ctx, protocol.credential(Optional.ofNullable(ctx.header("Authorization")), body(ctx))));
        app.post("/oid4vci/renew", ctx -> answer(ctx, protocol.renew(body(ctx))));
    }

    private void token(Context ctx) {
        Map<String, String> form = new HashMap<>();
        for (String name : new String[] {"grant_type", "pre-authorized_code", "tx_code"}) {
            String v = ctx.formParam(name);
            if (v != null) {
                form.put(name, v);
            }
        }
        answer(ctx, protocol.token(form));
    }

    /** Over the per-client bound, the problem is answered with {@code Retry-After}, as every other endpoint's 429. */
    private void nonce(Context ctx) {
        String client = ClientAddress.of(ctx);
        String n;
        try {
            n = protocol.nonce(client);
        } catch (ProblemException e) {
            ctx.header("Retry-After", Long.toString(protocol.nonceRetryAfter(client).toSeconds()));
            throw e;
        }
        ctx.header("Cache-Control", "no-store");
        json(ctx, 200, JsonCodec.writeString(Map.of("c_nonce", n)));
    }

    /** Up to one byte more than the protocol reads, so it can tell a request that is too large. */
    private static byte[] body(Context ctx) {
        try (InputStream in = ctx.bodyInputStream()) {
            return in.readNBytes(Oid4vci.MAX_REQUEST_BYTES + 1);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static void answer(Context ctx, OAuthResponse r) {
        r.headers().forEach(ctx::header);
        json(ctx, r.status(), JsonCodec.writeString(r.body()));
    }

    private static void json(Context ctx, int status, String body) {
        ctx.status(status).contentType("application/json").result(body);
    }
}
