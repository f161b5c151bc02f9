package dev.tabard.vectors.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.audit.AuditFile;
import dev.tabard.audit.AuditLog;
import dev.tabard.audit.AuditVerdict;
import dev.tabard.did.key.KeyDids;
import dev.tabard.gate.Admission;
import dev.tabard.gate.Gate;
import dev.tabard.gate.GateIdentity;
import dev.tabard.gate.DecisionLog;
import dev.tabard.gate.GateRequest;
import dev.tabard.httpsig.ComponentId;
import dev.tabard.httpsig.ContentDigest;
import dev.tabard.httpsig.HttpFields;
import dev.tabard.httpsig.HttpMessage;
import dev.tabard.httpsig.MessageSignatures;
import dev.tabard.httpsig.ReceivedSignature;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vectors.Vectors;
import dev.tabard.verifier.calls.AgentCalls;
import dev.tabard.verifier.calls.DecisionReceipt;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent gate against the npm package http-message-signatures. {@code node-gate-requests.json} holds requests the
 * package signed ({@code test-vectors/interop/gate-peer.mjs sign}) with the agents' did:key keys, the first carrying
 * the agent's vp+jwt from {@code tabard-gate-agents.json}: the gate, at the vectors' fixed time, binds each agent on
 * first contact, admits its signature-only call, and refuses every tampered or replayed copy with the right problem.
 * {@code tabard-gate-responses.json} holds the gate's signed answers to the Ed25519 requests, which {@code gate-peer.mjs
 * verify} checked in the package; here they verify too, tampered copies fail, and they are what the gate signs today.
 * Every file is committed, so this runs without Node.
 */
class GatePeerTest {

    private static final JsonNode AGENTS = Vectors.json("interop/tabard-gate-agents.json");
    private static final JsonNode NODE = Vectors.json("interop/node-gate-requests.json");
    private static final JsonNode RESPONSES = Vectors.json("interop/tabard-gate-responses.json");

    @TempDir
    Path dir;

    private final GateVectors vectors = new GateVectors();

    private static GateRequest valid(String name) {
        return GateVectors.request(NODE.get("valid").get(name));
    }

    private static List<ProblemType> types(Admission a) {
        return a.problems().stream().map(Problem::type).toList();
    }

    private static void assertRefused(ProblemType expected, Admission a) {
        assertFalse(a.accepted(), "expected " + expected + ", was accepted");
        assertEquals(expected, a.problems().get(0).type(), a.problems()::toString);
    }

    @Test
    void tabardAgentsFile_isWhatTabardMakesToday_andNodeSignedWithItsKeys() {
        assertEquals(new String(Vectors.bytes("interop/tabard-gate-agents.json"), StandardCharsets.UTF_8),
                new String(GateVectors.write(vectors.agents()), StandardCharsets.UTF_8));
        assertEquals(AGENTS.get("agents").get("ed25519").get("keyid").asText(), NODE.get("keys").get("ed25519").asText());
        assertEquals(AGENTS.get("agents").get("p256").get("keyid").asText(), NODE.get("keys").get("p256").asText());
        assertEquals(KeyDids.methodId(vectors.p256.publicKey()).toString(), NODE.get("keys").get("p256").asText());
        assertTrue(NODE.get("library").asText().startsWith("http-message-signatures "));
    }

    @Test
    void nodeSignedRequests_bindOnFirstContact_thenSignatureOnlyCallsAreAdmitted_replaysRefused() throws Exception {
        Path log = dir.resolve("decisions.jsonl");
        try (Gate gate = vectors.gate(log)) {
            for (String agent : List.of("ed25519", "p256")) {
                String did = AGENTS.get("agents").get(agent).get("keyid").asText().split("#")[0];
                // a signature alone from a key never bound asks for the presentation (and does not use up its nonce)
                assertRefused(ProblemType.PRESENTATION_REQUIRED, gate.admit(valid(agent + "Next")));

                Admission first = gate.admit(valid(agent + "First"));
                assertTrue(first.accepted(), first::toString);
                assertEquals(did, first.caller().orElseThrow().identity().agent().toString());
                assertEquals(vectors.orgDid, first.caller().get().identity().organization());
                assertEquals("orders:place", first.action().orElseThrow().capability());

                Admission next = gate.admit(valid(agent + "Next"));
                assertTrue(next.accepted(), next::toString);
                assertEquals(did, next.caller().orElseThrow().identity().agent().toString());
                assertEquals(first.receipt().orElseThrow().seq() + 1, next.receipt().orElseThrow().seq());

                assertRefused(ProblemType.NONCE_REPLAYED, gate.admit(valid(agent + "Next")));
                assertRefused(ProblemType.NONCE_REPLAYED, gate.admit(valid(agent + "First")));
            }
            assertEquals(4, gate.acceptedCount());
        }
        AuditVerdict verdict = AuditLog.verify(AuditFile.read(log), Optional.empty());
        assertTrue(verdict.intact(), verdict.message());
        List<String> lines = Files.readAllLines(log);
        assertEquals(2, lines.stream().filter(l -> l.contains("call.accepted") && l.contains("\"firstContact\":true")).count(),
                String.join("\n", lines));
        assertEquals(2, lines.stream().filter(l -> l.contains("call.accepted") && l.contains("\"firstContact\":false")).count());
    }

    @Test
    void nodeTamperedCopies_areRefusedByTheGate_andTheHonestCallStillPasses() {
        try (Gate gate = vectors.gate(dir.resolve("decisions.jsonl"))) {
            assertTrue(gate.admit(valid("ed25519First")).accepted());
            assertTrue(gate.admit(valid("p256First")).accepted());
            JsonNode t = NODE.get("tampered");
            for (String name : List.of("ed25519NextBody", "ed25519NextContentType", "ed25519NextSignature", "p256NextSignature",
                    "p256NextTarget", "p256FirstPresentation")) {
                assertRefused(ProblemType.SIGNATURE_INVALID, gate.admit(GateVectors.request(t.get(name))));
            }
            assertEquals(6, t.size(), "every tampered copy is checked");
            // a refused copy did not use up the nonce of the request it was made from
            assertTrue(gate.admit(valid("ed25519Next")).accepted());
            assertTrue(gate.admit(valid("p256Next")).accepted());
        }
    }

    @Test
    void nodeSignedRequests_withAPresentationForAnotherGateOrAgent_areRefused() {
        try (Gate gate = vectors.gate(dir.resolve("decisions.jsonl"))) {
            JsonNode r = NODE.get("refused");
            Admission otherAudience = gate.admit(GateVectors.request(r.get("ed25519FirstOtherAudience")));
            assertRefused(ProblemType.UNAUTHORIZED, otherAudience);
            assertTrue(types(otherAudience).contains(ProblemType.INVALID_DOMAIN_ERROR), otherAudience.problems()::toString);
            Admission anotherAgent = gate.admit(GateVectors.request(r.get("p256FirstWithAnotherAgentsPresentation")));
            assertRefused(ProblemType.UNAUTHORIZED, anotherAgent);
            assertTrue(types(anotherAgent).contains(ProblemType.HOLDER_MISMATCH), anotherAgent.problems()::toString);
            assertEquals(0, gate.acceptedCount());
        }
    }

    @Test
    void theCommittedSignaturesAreOld_forAGateOnTheWallClock() {
        GateIdentity identity = new GateIdentity(vectors.gateKeyId, vectors.gateKey, (c, a) -> {
            throw new IllegalStateException("not asked");
        });
        try (Gate gate = Gate.builder(vectors.verifier(), identity, GateVectors.routes(),
                DecisionLog.open(dir.resolve("decisions.jsonl"), vectors.gateKey, vectors.gateKeyId, Clock.systemUTC())).build()) {
            assertRefused(ProblemType.SIGNATURE_EXPIRED, gate.admit(valid("ed25519First")));
        }
    }

    /** The response of the file, answering the node request it names. */
    private static HttpMessage response(JsonNode m) {
        HttpFields.Builder fields = HttpFields.builder();
        m.get("headers").fields().forEachRemaining(e -> fields.add(e.getKey(), e.getValue().asText()));
        return HttpMessage.response(m.get("status").asInt(), fields.build(), valid(m.get("request").asText()).message());
    }

    /** Verifies the gate's signature with its did:key and the body's digest, as a caller does. */
    private static ReceivedSignature verifiedAnswer(JsonNode m) {
        HttpMessage message = response(m);
        ReceivedSignature sig = AgentCalls.agentSignature(message);
        sig.verify(message, KeyDids.key(AgentCalls.keyId(sig).did()));
        ContentDigest.verify(message.fields().first("content-digest").orElseThrow(), m.get("body").asText().getBytes(StandardCharsets.UTF_8));
        return sig;
    }

    @Test
    void gateSignedAnswers_verifyAsTheCallerChecksThem_tamperedFail() {
        JsonNode ok = RESPONSES.get("valid");
        for (String name : List.of("ed25519First", "ed25519Next", "ed25519NextReplayed")) {
            ReceivedSignature sig = verifiedAnswer(ok.get(name));
            assertEquals(vectors.gateKeyId.toString(), sig.parameters().keyid().orElseThrow());
            assertTrue(sig.covers(ComponentId.field("signature").fromRequest().key("sig1")), name);
            assertTrue(sig.covers(ComponentId.STATUS), name);
        }
        DecisionReceipt receipt = DecisionReceipt.parse(response(ok.get("ed25519Next")).fields().first(AgentCalls.DECISION).orElseThrow());
        assertEquals(2, receipt.seq());
        assertEquals(vectors.gateKeyId, receipt.log());
        assertEquals(401, ok.get("ed25519NextReplayed").get("status").asInt());
        assertTrue(ok.get("ed25519NextReplayed").get("body").asText().contains("NONCE_REPLAYED"));

        JsonNode t = RESPONSES.get("tampered");
        for (String name : List.of("ed25519FirstStatus", "ed25519FirstBody", "ed25519FirstSignature", "ed25519FirstDecision",
                "ed25519FirstForAnotherRequest")) {
            ProblemException e = assertThrows(ProblemException.class, () -> verifiedAnswer(t.get(name)), name);
            assertEquals(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, e.type(), name + ": " + e.getMessage());
        }
        assertEquals(5, t.size(), "every tampered copy is checked");
        Vectors.report("interop: the agent gate over http-message-signatures requests (Ed25519, P-256; bound, signature-only, "
                + "tampered, refused) and its signed answers", 6 + 6 + 2 + 8, 6 + 6 + 2 + 8);
    }

    /** Ed25519 everywhere and a fixed clock: the gate's answers to node's Ed25519 requests are the committed ones. */
    @Test
    void gateSignedAnswers_areWhatTheGateSignsToday() {
        assertEquals(new String(Vectors.bytes("interop/tabard-gate-responses.json"), StandardCharsets.UTF_8),
                new String(GateVectors.write(vectors.responses(NODE, dir)), StandardCharsets.UTF_8));
    }
}
