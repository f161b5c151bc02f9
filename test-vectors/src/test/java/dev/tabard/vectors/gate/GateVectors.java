package dev.tabard.vectors.gate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.DidUrl;
import dev.tabard.did.key.KeyDids;
import dev.tabard.gate.Admission;
import dev.tabard.gate.DecisionLog;
import dev.tabard.gate.Gate;
import dev.tabard.gate.GateIdentity;
import dev.tabard.gate.GateRequest;
import dev.tabard.gate.Param;
import dev.tabard.gate.RouteActions;
import dev.tabard.httpsig.HttpFields;
import dev.tabard.vc.AgentClaims;
import dev.tabard.vc.jose.VcJose;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.Verifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Tabard side of the gate's interop with the npm package http-message-signatures ({@code test-vectors/interop/gate-peer.mjs}).
 * {@code agents} mode writes {@code tabard-gate-agents.json}: two agents (Ed25519 and P-256 did:key) with their
 * AgentCredentials from a fixed did:key organization and the vp+jwt each presents on first contact (nonce = the request
 * signature's nonce the node peer will use, audience = {@link #ORIGIN}); node signs requests carrying them.
 * {@code responses} mode runs a gate at the vectors' fixed time over node's Ed25519 requests and writes the responses it
 * signed, with tampered copies, to {@code tabard-gate-responses.json}; {@code gate-peer.mjs verify} checks them. Keys,
 * times and both algorithms are deterministic, so both files are the same on every run.
 */
public final class GateVectors {

    /** When node signs its first requests; signatures are valid 60 s from their {@code created}. */
    static final Instant CREATED = Instant.parse("2026-11-22T10:00:00Z");
    /** The gate's fixed time: after every request's {@code created}, before any {@code expires}. */
    static final Instant GATE_TIME = CREATED.plusSeconds(30);
    /** The origin the requests are addressed to, and so the audience of the presentations. */
    static final String ORIGIN = "https://gate.example";
    static final String ORG_NAME = "Vector Buyers";
    /** Key seeds (32 bytes of this value), the same in gate-peer.mjs. */
    static final int ORG_SEED = 0x55;
    static final int ED25519_SEED = 0x66;
    static final int P256_SEED = 0x77;
    static final int GATE_SEED = 0x88;

    final KeyPair org = key(KeyType.ED25519, ORG_SEED);
    final Did orgDid = KeyDids.of(org.publicKey());
    final KeyPair ed25519 = key(KeyType.ED25519, ED25519_SEED);
    final KeyPair p256 = key(KeyType.P256, P256_SEED);
    final KeyPair gateKey = key(KeyType.ED25519, GATE_SEED);
    final DidUrl gateKeyId = KeyDids.methodId(gateKey.publicKey());

    static KeyPair key(KeyType type, int fill) {
        byte[] secret = new byte[32];
        Arrays.fill(secret, (byte) fill);
        return KeyPair.fromPrivateKey(type, secret);
    }

    /** The nonce of agent {@code name}'s first-contact request, which its presentation answers. */
    static String firstNonce(String name) {
        return "node-gate-" + name + "-first-contact";
    }

    /** The gate's clock: fixed at {@link #GATE_TIME}, since the committed signatures carry created/expires. */
    static Clock clock() {
        return Clock.fixed(GATE_TIME, ZoneOffset.UTC);
    }

    /** A verifier that trusts the vectors' organization, at the gate's fixed time. */
    Verifier verifier() {
        return Verifier.builder().trustPolicy(TrustPolicy.builder().trustIssuer(orgDid).build()).clock(clock()).build();
    }

    /** Orders up to 500 EUR: {@code POST /orders} with {@code {"total": {"value", "currency"}}}. */
    static RouteActions routes() {
        return new RouteActions(List.of(RouteActions.Route.of("POST", "/orders", "orders:place")
                .amount(Param.parse("body:/total/value"), Param.parse("body:/total/currency"))));
    }

    /** A gate at the fixed time, its decision log at {@code log}; it is never asked to present its own credential. */
    Gate gate(Path log) {
        GateIdentity identity = new GateIdentity(gateKeyId, gateKey, (challenge, audience) -> {
            throw new IllegalStateException("the vectors' gate has no credential to present");
        });
        return Gate.builder(verifier(), identity, routes(), DecisionLog.open(log, gateKey, gateKeyId, clock())).clock(clock()).build();
    }

    /** The agent's AgentCredential (vc+jwt), valid for a year from an hour before {@link #CREATED}. */
    String credential(KeyPair agent) {
        Did did = KeyDids.of(agent.publicKey());
        AgentClaims claims = new AgentClaims(did, "vector-agent-" + agent.publicKey().type().name().toLowerCase(java.util.Locale.ROOT),
                orgDid, ORG_NAME, new AgentClaims.Operator("Interop", Optional.empty()), Set.of("orders:place"),
                new AgentClaims.Constraints(Optional.of(new AgentClaims.Money("500", "EUR")), List.of("EU"), "{}"), AgentClaims.Delegation.none());
        Instant from = CREATED.minus(Duration.ofHours(1));
        ObjectNode vc = claims.credential(URI.create("urn:uuid:6a1f0c3e-5b7d-4e2a-9c8b-" + (agent == ed25519 ? "000000000001" : "000000000002")),
                from, from.plus(Duration.ofDays(365)), List.of());
        return VcJose.secureCredential(vc, org, KeyDids.methodId(org.publicKey()), from);
    }

    /** The agent's vp+jwt of {@code credential} for {@code nonce} and {@code audience}, valid 5 minutes from {@link #CREATED}. */
    static String presentation(KeyPair agent, String credential, String nonce, String audience) {
        return VcJose.securePresentation(VcJose.presentationOf(List.of(credential)), agent, KeyDids.methodId(agent.publicKey()), nonce,
                audience, "urn:uuid:" + nonce, CREATED, CREATED.plus(Duration.ofMinutes(5)));
    }

    /** What node needs to sign first-contact requests: each agent's key id, credential and presentation. */
    ObjectNode agents() {
        ObjectNode out = JsonCodec.objectNode();
        out.put("generatedBy", GateVectors.class.getName());
        out.put("origin", ORIGIN);
        out.put("created", CREATED.getEpochSecond());
        out.put("organization", orgDid.toString());
        out.put("gate", gateKeyId.toString());
        ObjectNode agents = out.putObject("agents");
        for (Map.Entry<String, KeyPair> e : Map.of("ed25519", ed25519, "p256", p256).entrySet().stream()
                .sorted(Map.Entry.comparingByKey()).toList()) {
            String vc = credential(e.getValue());
            ObjectNode a = agents.putObject(e.getKey());
            a.put("keyid", KeyDids.methodId(e.getValue().publicKey()).toString());
            a.put("credential", vc);
            a.put("nonce", firstNonce(e.getKey()));
            a.put("presentation", presentation(e.getValue(), vc, firstNonce(e.getKey()), ORIGIN));
        }
        // refused on first contact: addressed to another gate
        String edVc = credential(ed25519);
        out.put("otherAudienceNonce", firstNonce("ed25519-other-audience"));
        out.put("otherAudiencePresentation", presentation(ed25519, edVc, firstNonce("ed25519-other-audience"), "https://elsewhere.example"));
        return out;
    }

    /** A request of node's file as the gate receives it. */
    static GateRequest request(JsonNode m) {
        HttpFields.Builder fields = HttpFields.builder();
        m.get("headers").fields().forEachRemaining(e -> fields.add(e.getKey(), e.getValue().asText()));
        return new GateRequest(m.get("method").asText(), URI.create(m.get("url").asText()), fields.build(),
                m.get("body").asText().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Runs a gate over node's Ed25519 first-contact request, its signature-only request and that request replayed, and
     * returns the responses the gate signed (the first two accepted, the replay refused) with tampered copies.
     */
    ObjectNode responses(JsonNode nodeRequests, Path dir) {
        JsonNode valid = nodeRequests.get("valid");
        ObjectNode out = JsonCodec.objectNode();
        out.put("generatedBy", GateVectors.class.getName());
        out.put("requests", "node-gate-requests.json");
        out.put("created", GATE_TIME.getEpochSecond());
        out.putObject("keys").set(gateKeyId.toString(), JsonCodec.tree(gateKey.publicKey().toJwk()));
        ObjectNode ok = out.putObject("valid");
        try (Gate gate = gate(dir.resolve("decisions.jsonl"))) {
            ok.set("ed25519First", answer(gate, valid, "ed25519First"));
            ok.set("ed25519Next", answer(gate, valid, "ed25519Next"));
            ok.set("ed25519NextReplayed", answer(gate, valid, "ed25519Next"));
        }
        ObjectNode first = (ObjectNode) ok.get("ed25519First");
        ObjectNode tampered = out.putObject("tampered");
        tampered.set("ed25519FirstStatus", first.deepCopy().put("status", 201));
        tampered.set("ed25519FirstBody", first.deepCopy().put("body", "{\"placed\":false}"));
        tampered.set("ed25519FirstSignature", withHeader(first, "signature", flipped(first.get("headers").get("signature").asText())));
        tampered.set("ed25519FirstDecision", withHeader(first, "tabard-decision",
                first.get("headers").get("tabard-decision").asText().replaceFirst("^seq=1,", "seq=2,")));
        tampered.set("ed25519FirstForAnotherRequest", first.deepCopy().put("request", "ed25519Next"));
        return out;
    }

    private static ObjectNode answer(Gate gate, JsonNode requests, String name) {
        Admission a = gate.admit(request(requests.get(name)));
        int status = a.accepted() ? 200 : a.status();
        String body = a.accepted() ? "{\"placed\":true}"
                : "{\"code\":\"" + a.problems().get(0).type().code() + "\",\"status\":" + status + "}";
        HttpFields sealed = gate.seal(a, status, HttpFields.empty().with("content-type", "application/json"),
                body.getBytes(StandardCharsets.UTF_8));
        ObjectNode o = JsonCodec.objectNode();
        o.put("status", status);
        ObjectNode headers = o.putObject("headers");
        sealed.asMap().forEach((k, v) -> headers.put(k, String.join(", ", v)));
        o.put("body", body);
        o.put("request", name);
        return o;
    }

    private static ObjectNode withHeader(ObjectNode m, String name, String value) {
        ObjectNode copy = m.deepCopy();
        ((ObjectNode) copy.get("headers")).put(name, value);
        return copy;
    }

    /** A {@code Signature} field value with byte 5 of its signature changed. */
    static String flipped(String sig) {
        int start = sig.indexOf("=:") + 2;
        byte[] bytes = Base64.getDecoder().decode(sig.substring(start, sig.length() - 1));
        bytes[5] ^= 1;
        return sig.substring(0, start) + Base64.getEncoder().encodeToString(bytes) + ":";
    }

    static byte[] write(JsonNode vectors) {
        try {
            byte[] pretty = JsonCodec.prettyWriter().writeValueAsBytes(vectors);
            return (new String(pretty, StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code agents OUT.json...} or {@code responses NODE-REQUESTS.json OUT.json...}. */
    public static void main(String[] args) throws IOException {
        if (args.length < 2 || !(args[0].equals("agents") || args[0].equals("responses") && args.length >= 3)) {
            throw new IllegalArgumentException("usage: GateVectors agents OUT.json... | GateVectors responses NODE-REQUESTS.json OUT.json...");
        }
        byte[] out;
        List<String> targets;
        if (args[0].equals("agents")) {
            out = write(new GateVectors().agents());
            targets = List.of(args).subList(1, args.length);
        } else {
            Path dir = Files.createTempDirectory("gate-vectors");
            try {
                out = write(new GateVectors().responses(JsonCodec.reader().readTree(Files.readAllBytes(Path.of(args[1]))), dir));
            } finally {
                try (var files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        Files.delete(f);
                    }
                }
                Files.delete(dir);
            }
            targets = List.of(args).subList(2, args.length);
        }
        for (String t : targets) {
            Path file = Path.of(t);
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, out);
            System.out.println("wrote " + file);
        }
    }
}
