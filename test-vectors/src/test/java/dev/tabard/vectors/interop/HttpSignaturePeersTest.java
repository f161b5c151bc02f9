package dev.tabard.vectors.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.crypto.KeyType;
import dev.tabard.crypto.VerificationKey;
import dev.tabard.did.DidUrl;
import dev.tabard.did.key.KeyDids;
import dev.tabard.httpsig.ComponentId;
import dev.tabard.httpsig.ContentDigest;
import dev.tabard.httpsig.HttpFields;
import dev.tabard.httpsig.HttpMessage;
import dev.tabard.httpsig.MessageSignatures;
import dev.tabard.httpsig.ReceivedSignature;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vectors.Vectors;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * RFC 9421 signatures between Tabard and the npm package http-message-signatures. {@code node-httpsig.json} is what the
 * package signed ({@code test-vectors/interop/httpsig.mjs sign}): its requests and bound response verify here and its
 * tampered copies fail with the expected problem. {@code tabard-httpsig.json} is what {@link TabardSignedHttp} signed
 * and {@code httpsig.mjs verify} checked in the package: it still verifies here, and it is exactly what Tabard signs
 * today. Both files are committed, so this runs without Node; {@code mvn -B -Pinterop -pl test-vectors -am verify}
 * regenerates them and runs the package on Tabard's file.
 */
class HttpSignaturePeersTest {

    private static final JsonNode NODE = Vectors.json("interop/node-httpsig.json");
    private static final JsonNode TABARD = Vectors.json("interop/tabard-httpsig.json");
    private static final List<ComponentId> COVERED = TabardSignedHttp.COVERED;

    /** A message of a vector file; a response's request is named in the file. */
    static HttpMessage message(JsonNode file, JsonNode m) {
        HttpFields.Builder fields = HttpFields.builder();
        m.get("headers").fields().forEachRemaining(e -> fields.add(e.getKey(), e.getValue().asText()));
        if (m.has("status")) {
            return HttpMessage.response(m.get("status").asInt(), fields.build(),
                    message(file, file.get("valid").get(m.get("request").asText())));
        }
        return HttpMessage.request(m.get("method").asText(), URI.create(m.get("url").asText()), fields.build());
    }

    private static byte[] body(JsonNode m) {
        return m.get("body").asText().getBytes(StandardCharsets.UTF_8);
    }

    /** The key the signature's keyid names: a did:key verification method. */
    private static VerificationKey keyOf(ReceivedSignature sig) {
        return KeyDids.key(DidUrl.parse(sig.parameters().keyid().orElseThrow()).did());
    }

    /** Reads the one signature, verifies it with the key its keyid names, and checks the content's digest. */
    private static ReceivedSignature verified(JsonNode file, JsonNode m) {
        HttpMessage message = message(file, m);
        List<ReceivedSignature> sigs = MessageSignatures.read(message);
        assertEquals(1, sigs.size());
        ReceivedSignature sig = sigs.get(0);
        sig.verify(message, keyOf(sig));
        ContentDigest.verify(message.fields().first("content-digest").orElseThrow(), body(m));
        return sig;
    }

    private static void assertFails(ProblemType expected, JsonNode file, JsonNode m) {
        ProblemException e = assertThrows(ProblemException.class, () -> verified(file, m));
        assertEquals(expected, e.type(), e::getMessage);
    }

    @Test
    void nodeSignedRequests_verifyInTabard_withTheirParameters() {
        JsonNode valid = NODE.get("valid");
        ReceivedSignature ed = verified(NODE, valid.get("ed25519Request"));
        ReceivedSignature p256 = verified(NODE, valid.get("p256Request"));
        assertEquals(KeyType.ED25519, keyOf(ed).type());
        assertEquals(KeyType.P256, keyOf(p256).type());
        for (ReceivedSignature sig : List.of(ed, p256)) {
            assertEquals(COVERED, sig.components());
            assertEquals(Optional.of(Instant.parse("2026-11-22T10:00:00Z")), sig.parameters().createdAt());
            assertEquals(Optional.of(Instant.parse("2026-11-22T10:05:00Z")), sig.parameters().expiresAt());
            assertTrue(sig.parameters().nonce().orElseThrow().startsWith("node-nonce-"));
        }
        assertEquals(Optional.of("ed25519"), ed.parameters().alg());
        assertEquals(Optional.empty(), p256.parameters().alg());
        assertEquals(NODE.get("keys").get("ed25519").asText(), ed.parameters().keyid().orElseThrow());
    }

    @Test
    void nodeSignedResponse_boundToItsRequest_verifiesInTabard_notForAnotherRequest() {
        ReceivedSignature res = verified(NODE, NODE.get("valid").get("p256Response"));
        assertTrue(res.covers(ComponentId.field("signature").fromRequest().key("sig1")));
        assertTrue(res.covers(ComponentId.METHOD.fromRequest()));
        assertFails(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, NODE, NODE.get("tampered").get("p256ResponseForAnotherRequest"));
    }

    @Test
    void nodeTamperedCopies_failInTabard() {
        JsonNode t = NODE.get("tampered");
        for (String name : List.of("ed25519ContentType", "ed25519Method", "ed25519Target", "ed25519Signature", "p256Signature",
                "p256ContentDigest")) {
            assertFails(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, NODE, t.get(name));
        }
        // the signature still holds over the headers; the content no longer has the signed digest
        HttpMessage changedBody = message(NODE, t.get("p256Body"));
        ReceivedSignature sig = MessageSignatures.read(changedBody).get(0);
        sig.verify(changedBody, keyOf(sig));
        ProblemException e = assertThrows(ProblemException.class,
                () -> ContentDigest.verify(changedBody.fields().first("content-digest").orElseThrow(), body(t.get("p256Body"))));
        assertEquals(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, e.type());
        assertEquals(8, t.size(), "every tampered copy is checked");
        Vectors.report("interop: http-message-signatures signed (Ed25519, P-256 requests; P-256 response with req); "
                + "valid and tampered", 11, 11);
    }

    @Test
    void tabardSignedFile_verifiesInTabard_tamperedFail() {
        TABARD.get("valid").fields().forEachRemaining(e -> verified(TABARD, e.getValue()));
        JsonNode t = TABARD.get("tampered");
        t.fields().forEachRemaining(e -> {
            if (!e.getKey().equals("p256Body")) {
                assertFails(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, TABARD, e.getValue());
            }
        });
        assertFails(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, TABARD, t.get("p256Body"));
        assertEquals(NODE.get("tampered").size(), t.size());
    }

    /** Both algorithms are deterministic with fixed keys and times: what Tabard signs today is the committed file. */
    @Test
    void tabardSignedFile_isWhatTabardSignsToday() throws Exception {
        assertEquals(new String(Vectors.bytes("interop/tabard-httpsig.json"), StandardCharsets.UTF_8),
                new String(TabardSignedHttp.write(new TabardSignedHttp().vectors()), StandardCharsets.UTF_8));
        Vectors.report("interop: Tabard-signed HTTP messages for http-message-signatures (valid, tampered, reproducible)",
                TABARD.get("valid").size() + TABARD.get("tampered").size(), TABARD.get("valid").size() + TABARD.get("tampered").size());
    }
}
