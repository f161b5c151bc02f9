package dev.tabard.vectors.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.key.KeyDids;
import dev.tabard.httpsig.ComponentId;
import dev.tabard.httpsig.ContentDigest;
import dev.tabard.httpsig.HttpFields;
import dev.tabard.httpsig.HttpMessage;
import dev.tabard.httpsig.MessageSignatures;
import dev.tabard.httpsig.SignatureParameters;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * HTTP messages Tabard signs (RFC 9421), for the independent verifier in {@code test-vectors/interop/httpsig.mjs}
 * ({@code verify} mode): an Ed25519 and a P-256 request covering {@code @method @target-uri content-digest
 * content-type} with created, expires, nonce and keyid (a did:key URL), a P-256 response bound to the Ed25519 request
 * with {@code ;req} (its method, target and signature), and tampered copies. Keys and times are fixed and both
 * algorithms are deterministic here (Ed25519, and ECDSA with RFC 6979 nonces), so the output is the same on every run;
 * {@link HttpSignaturePeersTest} checks the committed file against a fresh one.
 */
public final class TabardSignedHttp {

    static final Instant CREATED = Instant.parse("2026-11-22T10:00:00Z");
    static final List<ComponentId> COVERED = List.of(ComponentId.METHOD, ComponentId.TARGET_URI,
            ComponentId.field("content-digest"), ComponentId.field("content-type"));
    static final URI TARGET = URI.create("https://gate.example/orders?lang=en");

    private final KeyPair ed25519 = key(KeyType.ED25519, 0x33);
    private final KeyPair p256 = key(KeyType.P256, 0x44);

    private static KeyPair key(KeyType type, int fill) {
        byte[] secret = new byte[32];
        Arrays.fill(secret, (byte) fill);
        return KeyPair.fromPrivateKey(type, secret);
    }

    static HttpMessage request(String method, URI target, String body) {
        return HttpMessage.request(method, target, HttpFields.builder()
                .add("Content-Type", "application/json")
                .add("Content-Digest", ContentDigest.sha256(body.getBytes(StandardCharsets.UTF_8)))
                .add("Accept", "application/json").build());
    }

    private SignatureParameters params(KeyPair key, String nonce) {
        return SignatureParameters.none().withCreated(CREATED).withExpires(CREATED.plusSeconds(300)).withNonce(nonce)
                .withKeyid(KeyDids.methodId(key.publicKey()).toString());
    }

    ObjectNode vectors() {
        String edBody = "{\"order\": 7, \"items\": [\"toner\"]}";
        HttpMessage edRequest = request("POST", TARGET, edBody);
        edRequest = MessageSignatures.sign(edRequest, "sig1", COVERED, params(ed25519, "tabard-nonce-ed25519").withAlg("ed25519"),
                ed25519).addTo(edRequest);
        String p256Body = "{\"order\": 8}";
        HttpMessage p256Request = request("POST", TARGET, p256Body);
        p256Request = MessageSignatures.sign(p256Request, "sig1", COVERED, params(p256, "tabard-nonce-p256"), p256)
                .addTo(p256Request);

        String responseBody = "{\"accepted\": true}";
        HttpMessage response = HttpMessage.response(200, HttpFields.builder().add("Content-Type", "application/json")
                .add("Content-Digest", ContentDigest.sha256(responseBody.getBytes(StandardCharsets.UTF_8))).build(), edRequest);
        response = MessageSignatures.sign(response, "res", List.of(ComponentId.STATUS, ComponentId.field("content-digest"),
                        ComponentId.METHOD.fromRequest(), ComponentId.TARGET_URI.fromRequest(),
                        ComponentId.field("signature").fromRequest().key("sig1")),
                SignatureParameters.none().withCreated(CREATED.plusSeconds(1))
                        .withKeyid(KeyDids.methodId(p256.publicKey()).toString()).withAlg("ecdsa-p256-sha256"), p256)
                .addTo(response);

        ObjectNode out = JsonCodec.objectNode();
        out.put("generatedBy", TabardSignedHttp.class.getName());
        out.put("created", CREATED.getEpochSecond());
        ObjectNode keys = out.putObject("keys");
        for (KeyPair k : List.of(ed25519, p256)) {
            ObjectNode jwk = keys.putObject(KeyDids.methodId(k.publicKey()).toString());
            k.publicKey().toJwk().forEach(jwk::put);
        }
        ObjectNode valid = out.putObject("valid");
        valid.set("ed25519Request", json(edRequest, edBody));
        valid.set("p256Request", json(p256Request, p256Body));
        valid.set("p256Response", json(response, responseBody).put("request", "ed25519Request"));

        ObjectNode tampered = out.putObject("tampered");
        tampered.set("ed25519ContentType", json(edRequest.withFields(edRequest.fields().with("Content-Type", "text/plain")), edBody));
        tampered.set("ed25519Method", json(HttpMessage.request("PUT", TARGET, edRequest.fields()), edBody));
        tampered.set("ed25519Target", json(HttpMessage.request("POST", URI.create("https://gate.example/orders?lang=fr"),
                edRequest.fields()), edBody));
        tampered.set("ed25519Signature", json(flipped(edRequest), edBody));
        tampered.set("p256Signature", json(flipped(p256Request), p256Body));
        tampered.set("p256ContentDigest", json(p256Request.withFields(p256Request.fields().with("Content-Digest",
                ContentDigest.sha256("{\"order\": 9}".getBytes(StandardCharsets.UTF_8)))), p256Body));
        tampered.set("p256Body", json(p256Request, "{\"order\": 9}"));
        tampered.set("p256ResponseForAnotherRequest", json(response, responseBody).put("request", "p256Request"));
        return out;
    }

    /** The message with byte 5 of its signature changed. */
    private static HttpMessage flipped(HttpMessage m) {
        String sig = m.fields().first("signature").orElseThrow();
        int start = sig.indexOf("=:") + 2;
        byte[] bytes = Base64.getDecoder().decode(sig.substring(start, sig.length() - 1));
        bytes[5] ^= 1;
        return m.withFields(m.fields().with("Signature", sig.substring(0, start) + Base64.getEncoder().encodeToString(bytes) + ":"));
    }

    private static ObjectNode json(HttpMessage m, String body) {
        ObjectNode o = JsonCodec.objectNode();
        if (m.isRequest()) {
            o.put("method", m.method());
            o.put("url", m.targetUri().toString());
        } else {
            o.put("status", m.status());
        }
        ObjectNode headers = o.putObject("headers");
        for (Map.Entry<String, List<String>> e : m.fields().asMap().entrySet()) {
            headers.put(e.getKey(), String.join(", ", e.getValue()));
        }
        o.put("body", body);
        return o;
    }

    static byte[] write(JsonNode vectors) throws IOException {
        return TabardIssued.json(vectors);
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: TabardSignedHttp OUT.json...");
        }
        byte[] out = write(new TabardSignedHttp().vectors());
        for (String a : args) {
            Path file = Path.of(a);
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, out);
            System.out.println("wrote " + file);
        }
    }
}
