package dev.tabard.gate.http;

import dev.tabard.codec.JsonCodec;
import dev.tabard.gate.Admission;
import dev.tabard.gate.Gate;
import dev.tabard.gate.GateRequest;
import dev.tabard.http.HttpService;
import dev.tabard.http.ProblemResponses;
import dev.tabard.httpsig.HttpFields;
import dev.tabard.problem.ProblemJson;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The gate in front of a Javalin application: a {@code before} handler admits each request (refusals are answered
 * there, signed, and the route never runs) and an {@code after} handler signs every response the application gives.
 * Handlers read the verified caller and action with {@link #admission(Context)}.
 *
 * <pre>{@code
 * GatePlugin.install(app, gate);
 * app.post("/payments", ctx -> {
 *     Admission a = GatePlugin.admission(ctx);
 *     ctx.json(pay(a.caller().get().identity(), a.action().get()));
 * });
 * }</pre>
 */
public final class GatePlugin {

    private static final String ADMISSION = "tabard.gate.admission";
    private static final String SEALED = "tabard.gate.sealed";

    private GatePlugin() {
    }

    /** Puts {@code gate} in front of every route of {@code app}. */
    public static void install(Javalin app, Gate gate) {
        Objects.requireNonNull(gate, "gate");
        // admissions are CPU-bound: a few at once, in arrival order, serve a burst faster and more evenly than every
        // handler thread competing for the cores (the verifier endpoint does the same)
        java.util.concurrent.Semaphore admitting = new java.util.concurrent.Semaphore(2 * Runtime.getRuntime().availableProcessors(), true);
        app.before(ctx -> {
            if (HttpService.onMetricsListener(ctx)) {
                return; // the operator's separate metrics address answers /metrics and nothing else, unsigned
            }
            GateRequest request = request(ctx);
            Admission a;
            admitting.acquire();
            try {
                a = gate.admit(request);
            } finally {
                admitting.release();
            }
            ctx.attribute(ADMISSION, a);
            if (!a.accepted()) {
                refuse(ctx, gate, a);
                ctx.skipRemainingHandlers();
            }
        });
        app.after(ctx -> {
            Admission a = ctx.attribute(ADMISSION);
            if (a != null && ctx.attribute(SEALED) == null) {
                byte[] body = resultBytes(ctx);
                if (ctx.statusCode() >= 500) {
                    gate.failed(a);
                }
                seal(ctx, gate, a, body);
            }
        });
    }

    /** The gate's decision on the request being handled: accepted, with its caller and action. */
    public static Admission admission(Context ctx) {
        Admission a = ctx.attribute(ADMISSION);
        if (a == null || !a.accepted()) {
            throw new IllegalStateException("no accepted call here: install the gate with GatePlugin.install before the routes");
        }
        return a;
    }

    /** The request as the gate reads it: the URL the client addressed (scheme and Host), every field, the body read. */
    static GateRequest request(Context ctx) {
        HttpFields.Builder fields = HttpFields.builder();
        for (String name : Collections.list(ctx.req().getHeaderNames())) {
            for (String value : Collections.list(ctx.req().getHeaders(name))) {
                fields.add(name, value);
            }
        }
        return new GateRequest(ctx.method().name(), URI.create(ctx.fullUrl()), fields.build(), ctx.bodyAsBytes());
    }

    /** Answers a refusal with its problem details, signed. */
    static void refuse(Context ctx, Gate gate, Admission a) {
        byte[] body = JsonCodec.write(ProblemResponses.json(a.problems(), ctx.path(), a.status()));
        ctx.status(a.status()).contentType(ProblemJson.MEDIA_TYPE);
        a.retryAfter().ifPresent(d -> ctx.header("Retry-After", Long.toString(Math.max(1, (d.toMillis() + 999) / 1000))));
        seal(ctx, gate, a, body);
    }

    /** Signs the response as it stands, with {@code body}, and sends that body. */
    static void seal(Context ctx, Gate gate, Admission a, byte[] body) {
        Map<String, List<String>> current = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String name : ctx.res().getHeaderNames()) {
            current.put(name, List.copyOf(ctx.res().getHeaders(name)));
        }
        Optional.ofNullable(ctx.res().getContentType()).ifPresent(t -> current.put("content-type", List.of(t)));
        HttpFields sealed = gate.seal(a, ctx.statusCode(), HttpFields.of(current), body);
        for (Map.Entry<String, List<String>> e : sealed.asMap().entrySet()) {
            if (e.getKey().equals("content-type")) {
                continue;
            }
            ctx.res().setHeader(e.getKey(), null);
            for (String v : e.getValue()) {
                ctx.res().addHeader(e.getKey(), v);
            }
        }
        ctx.result(body);
        ctx.attribute(SEALED, Boolean.TRUE);
    }

    private static byte[] resultBytes(Context ctx) {
        InputStream in = ctx.resultInputStream();
        if (in == null) {
            return new byte[0];
        }
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
