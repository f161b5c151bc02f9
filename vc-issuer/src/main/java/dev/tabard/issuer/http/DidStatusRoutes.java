package dev.tabard.issuer.http;

import dev.tabard.issuer.IssuerService;
import dev.tabard.issuer.status.StatusLists;
import dev.tabard.sdjwt.status.StatusListToken;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What anyone may read: the org's DID document, a health check, and the status lists. A status list answers with a
 * weak {@code ETag} that every instance gives alike for the same list, {@code Cache-Control: public} for what is left
 * of the signed list's validity (at most half of it), {@code Vary: Accept}, and 304 when {@code If-None-Match} already
 * names it, so caches and CDNs in front of several instances can serve it.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9110#section-13.1.2">RFC 9110 §13.1.2 If-None-Match</a>
 */
final class DidStatusRoutes {

    private final IssuerService service;
    private final Clock clock;

    DidStatusRoutes(IssuerService service, Clock clock) {
        this.service = service;
        this.clock = clock;
    }

    void register(Javalin app) {
        app.get("/.well-known/did.json", this::didDocument);
        app.get("/healthz", ctx -> ctx.json(Map.of("status", "ok", "did", service.did().toString())));
        app.get("/status/{id}", this::statusList);
        app.get("/status-lists/{id}", this::tokenStatusList);
    }

    private void didDocument(Context ctx) {
        if (!service.did().method().equals("web")) {
            throw new ProblemException(ProblemType.ROUTE_NOT_FOUND, "this issuer's DID is " + service.did() + ", which is resolved "
                    + "from the DID itself; only a did:web issuer serves a DID document here");
        }
        ctx.contentType("application/did+json").header("Cache-Control", "max-age=300").result(service.orgKeys().didDocument());
    }

    /** A Token Status List ({@code application/statuslist+jwt}), for SD-JWT VCs, cached and tagged as a status list is. */
    private void tokenStatusList(Context ctx) {
        int id;
        try {
            id = Integer.parseInt(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new ProblemException(ProblemType.RESOURCE_NOT_FOUND, "no Token Status List '" + ctx.pathParam("id")
                    + "': list ids are numbers, as in the status_list uri of issued SD-JWT VCs");
        }
        StatusLists.Published list = service.sdJwt().statusLists().published(id)
                .orElseThrow(() -> new ProblemException(ProblemType.RESOURCE_NOT_FOUND, "no Token Status List " + id + " on this issuer"));
        ctx.header("ETag", list.etag()).header("Cache-Control", "public, max-age=" + list.maxAge(clock.instant()).toSeconds());
        if (matches(ctx.header("If-None-Match"), list.etag())) {
            ctx.status(304);
            return;
        }
        ctx.contentType(StatusListToken.MEDIA_TYPE).result(list.body());
    }

    private void statusList(Context ctx) {
        int id;
        try {
            id = Integer.parseInt(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new ProblemException(ProblemType.RESOURCE_NOT_FOUND, "no status list '" + ctx.pathParam("id")
                    + "': status list ids are numbers, as in the statusListCredential URLs of issued credentials");
        }
        String accept = Optional.ofNullable(ctx.header("Accept")).orElse("").toLowerCase(Locale.ROOT);
        // a client that asks only for JSON (as the W3C status list suite does) gets the Data Integrity form
        boolean json = !accept.contains("jwt") && (accept.contains("json") || accept.contains("application/vc"));
        StatusLists.Published list = service.statusLists().published(id, json ? StatusLists.Format.DATA_INTEGRITY : StatusLists.Format.VC_JWT)
                .orElseThrow(() -> new ProblemException(ProblemType.RESOURCE_NOT_FOUND, "no status list " + id + " on this issuer"));
        ctx.header("ETag", list.etag())
                .header("Cache-Control", "public, max-age=" + list.maxAge(clock.instant()).toSeconds())
                .header("Vary", "Accept");
        if (matches(ctx.header("If-None-Match"), list.etag())) {
            ctx.status(304);
            return;
        }
        String type = !json ? "application/vc+jwt"
                : accept.contains("application/vc+ld+json") ? "application/vc+ld+json"
                : accept.contains("application/ld+json") ? "application/ld+json"
                : accept.contains("application/json") ? "application/json" : "application/vc";
        ctx.contentType(type).result(list.body());
    }

    /**
     * Whether {@code ifNoneMatch} ({@code *} or a list of entity tags) names {@code etag}; RFC 9110 §13.1.2 compares
     * weakly, so {@code W/"x"} matches {@code "x"}.
     */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null || ifNoneMatch.length() > 4096) {
            return false;
        }
        String opaque = etag.startsWith("W/") ? etag.substring(2) : etag;
        String value = ifNoneMatch.trim();
        if (value.equals("*")) {
            return true;
        }
        int count = 0;
        for (String tag : value.split(",")) {
            if (++count > 64) {
                return false;
            }
            String t = tag.trim();
            if (t.startsWith("W/")) {
                t = t.substring(2);
            }
            if (t.equals(opaque)) {
                return true;
            }
        }
        return false;
    }
}
