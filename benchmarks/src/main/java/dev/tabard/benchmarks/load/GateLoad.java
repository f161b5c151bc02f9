package dev.tabard.benchmarks.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.benchmarks.GateFixtures;
import dev.tabard.codec.Base64Url;
import dev.tabard.codec.JsonCodec;
import dev.tabard.did.Did;
import dev.tabard.gate.Admission;
import dev.tabard.gate.Gate;
import dev.tabard.gate.GateRequest;
import dev.tabard.gate.http.GatePlugin;
import dev.tabard.http.HttpService;
import dev.tabard.httpsig.HttpFields;
import java.io.BufferedWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The agent gate under load: {@code prepare DIR N} makes the two organizations' keys and credentials, one calling
 * agent, its first-contact request ({@code gate.json}) and N distinct signed requests ({@code requests.txt}, one per
 * line: method, path, body and the fields, tab-separated; three GETs of {@code /orders/{i}} to one small JSON
 * {@code POST /orders}), each with its own nonce, created now and valid for 5 minutes. {@code serve PORT DIR} runs a
 * gate ({@link GatePlugin} on {@link HttpService}, decisions logged in DIR) in front of a handler answering a small
 * JSON, bound to the caller at start by its first-contact request (the decision log goes to DECISIONS_DIR when
 * given, to compare disks; {@code -Dgate.load.threads=N} bounds Jetty's thread pool, to compare concurrency). wrk ({@code benchmarks/load/gate-load.sh}) sends
 * each request once, to this gate and to the Node peer ({@code benchmarks/node/gate-peer.mjs}).
 */
public final class GateLoad {

    private GateLoad() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "prepare" -> prepare(Path.of(args[1]), Integer.parseInt(args[2]));
            case "serve" -> serve(Integer.parseInt(args[1]), Path.of(args[2]), Path.of(args.length > 3 ? args[3] : args[2]));
            default -> throw new IllegalArgumentException("prepare DIR N | serve PORT DIR [DECISIONS_DIR]");
        }
    }

    private static void prepare(Path dir, int n) throws Exception {
        Files.createDirectories(dir);
        Instant now = Clock.systemUTC().instant();
        GateFixtures.Caller caller = new GateFixtures.Caller(now);
        ObjectNode g = JsonCodec.objectNode();
        g.put("organization", caller.org.toString());
        g.put("keyId", caller.keyId.toString());
        g.putObject("publicKeyJwk").put("kty", "OKP").put("crv", "Ed25519")
                .put("x", Base64Url.encode(caller.key.publicKey().publicKey().toByteArray()));
        g.set("firstContact", json(caller.firstContact(now)));
        Files.write(dir.resolve("gate.json"), JsonCodec.write(g));
        List<String> lines = IntStream.range(0, n).parallel()
                .mapToObj(i -> line(i % 4 == 3 ? caller.postOrder(now) : caller.get("/orders/" + i, now))).toList();
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("requests.txt"))) {
            for (String l : lines) {
                w.write(l);
                w.write('\n');
            }
        }
        System.out.println(n + " signed requests from " + caller.agent + ", valid until " + now.plus(GateFixtures.REQUEST_LIFETIME));
    }

    /** One request for wrk's Lua: method, path, body, then field name and value pairs, tab-separated. */
    private static String line(GateRequest r) {
        StringBuilder b = new StringBuilder().append(r.method()).append('\t').append(r.targetUri().getRawPath()).append('\t')
                .append(new String(r.body(), StandardCharsets.UTF_8)).append("\tHost\t").append(r.targetUri().getRawAuthority());
        r.fields().asMap().forEach((name, values) -> values.forEach(v -> b.append('\t').append(name).append('\t').append(v)));
        return b.toString();
    }

    private static ObjectNode json(GateRequest r) {
        ObjectNode o = JsonCodec.objectNode();
        o.put("method", r.method()).put("targetUri", r.targetUri().toString()).put("body", Base64Url.encode(r.body()));
        ObjectNode fields = o.putObject("fields");
        r.fields().asMap().forEach((name, values) -> fields.put(name, values.get(0)));
        return o;
    }

    private static GateRequest request(JsonNode o) {
        HttpFields.Builder fields = HttpFields.builder();
        for (Iterator<Map.Entry<String, JsonNode>> it = o.get("fields").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            fields.add(e.getKey(), e.getValue().asText());
        }
        return new GateRequest(o.get("method").asText(), URI.create(o.get("targetUri").asText()), fields.build(),
                Base64Url.decode(o.get("body").asText()));
    }

    private static void serve(int port, Path dir, Path decisions) throws Exception {
        Clock clock = Clock.systemUTC();
        JsonNode g = JsonCodec.parse(Files.readAllBytes(dir.resolve("gate.json")));
        GateFixtures.Supplier supplier = new GateFixtures.Supplier(clock.instant());
        Gate gate = supplier.gate(Did.parse(g.get("organization").asText()), decisions.resolve("decisions-" + port + ".jsonl"), clock);
        Admission first = gate.admit(request(g.get("firstContact")));
        if (!first.accepted()) {
            throw new IllegalStateException("the first contact was refused: " + first.problems());
        }
        var builder = HttpService.builder("tabard-gate-load").port(port).maxHeaderBytes(32 * 1024);
        Integer threads = Integer.getInteger("gate.load.threads");
        if (threads != null) {
            // an experiment: fewer request threads (Jetty's acceptor and selector take two of them), so fewer admissions at once
            builder.javalin(c -> {
                QueuedThreadPool pool = new QueuedThreadPool(threads, threads, 60_000);
                pool.setReservedThreads(0);
                pool.setName("tabard-gate-load");
                c.jetty.threadPool = pool;
            });
        }
        HttpService http = builder.build();
        GatePlugin.install(http.app(), gate);
        http.app().get("/orders/{id}", ctx -> ctx.contentType("application/json")
                .result("{\"id\":" + JsonCodec.writer().writeValueAsString(ctx.pathParam("id")) + "}"));
        http.app().post("/orders", ctx -> ctx.contentType("application/json").result("{\"placed\":true}"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("accepted " + gate.acceptedCount() + ", refused " + gate.refusedCounts());
            http.close();
            gate.close();
        }));
        http.start();
        System.out.println("gate on " + http.port() + ", caller " + first.caller().orElseThrow().identity().agent() + " bound");
        Thread.currentThread().join();
    }
}
