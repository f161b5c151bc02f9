package dev.tabard.issuer.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The admin console at {@code /console/}: one HTML page, one script and one style sheet from the jar, no framework and
 * nothing from another origin. The page holds no data of its own: the operator pastes an admin token, the script
 * keeps it in memory only and calls the same {@code /admin/…} API as curl does, so every action is authorized and
 * audited alike. The headers forbid inline script and style, framing, and requests to any other origin, so a value
 * shown on the page (an agent's name, say) can never run as code.
 */
final class ConsoleRoutes {

    /** The policy of every console response: only this origin's own script, style and API; images also as data URLs (QR codes). */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private record Asset(String contentType, byte[] bytes) {
    }

    private final Asset page = load("index.html", "text/html; charset=utf-8");
    private final Asset script = load("console.js", "text/javascript; charset=utf-8");
    private final Asset style = load("console.css", "text/css; charset=utf-8");

    void register(Javalin app) {
        // Javalin ignores a trailing slash, so /console and /console/ are one route; the page names its assets absolutely
        app.get("/console/", ctx -> send(ctx, page));
        app.get("/console/console.js", ctx -> send(ctx, script));
        app.get("/console/console.css", ctx -> send(ctx, style));
    }

    private static void send(Context ctx, Asset a) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Cache-Control", "no-cache");
        ctx.contentType(a.contentType()).result(a.bytes());
    }

    private static Asset load(String name, String contentType) {
        try (InputStream in = ConsoleRoutes.class.getResourceAsStream("/console/" + name)) {
            if (in == null) {
                throw new IllegalStateException("console/" + name + " is missing from the jar");
            }
            return new Asset(contentType, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
