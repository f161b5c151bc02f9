package dev.tabard.httpsig;

import static dev.tabard.httpsig.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.problem.ProblemType;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MessageSignaturesTest {

    private static final byte[] BODY = "{\"order\": 42}".getBytes(StandardCharsets.UTF_8);
    private static final List<ComponentId> COVERED = List.of(ComponentId.METHOD, ComponentId.TARGET_URI,
            ComponentId.field("content-digest"), ComponentId.field("content-type"));
    private static final SignatureParameters PARAMS = SignatureParameters.none()
            .withCreated(Instant.parse("2026-12-03T10:00:00Z")).withExpires(Instant.parse("2026-12-03T10:05:00Z"))
            .withNonce("n-1").withKeyid("did:key:z6Mk#z6Mk");

    private static KeyPair key(KeyType type, int fill) {
        byte[] secret = new byte[type == KeyType.P384 ? 48 : 32];
        Arrays.fill(secret, (byte) fill);
        return KeyPair.fromPrivateKey(type, secret);
    }

    private static HttpMessage request() {
        return HttpMessage.request("POST", URI.create("https://gate.example/orders?x=1"), HttpFields.builder()
                .add("Content-Type", "application/json").add("Content-Digest", ContentDigest.sha256(BODY)).build());
    }

    private static HttpMessage signed(KeyPair key) {
        HttpMessage request = request();
        return MessageSignatures.sign(request, "sig1", COVERED, PARAMS, key).addTo(request);
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void signThenRead_verifiesWithTheSignersKey(KeyType type) {
        KeyPair key = key(type, 7);
        HttpMessage request = request();
        SignatureFields fields = MessageSignatures.sign(request, "sig1", COVERED, PARAMS.withAlg(MessageSignatures.algorithm(type)), key);
        assertEquals("sig1", fields.label());
        assertEquals("sig1=(\"@method\" \"@target-uri\" \"content-digest\" \"content-type\");created=1796292000;expires=1796292300"
                + ";nonce=\"n-1\";keyid=\"did:key:z6Mk#z6Mk\";alg=\"" + MessageSignatures.algorithm(type) + "\"", fields.signatureInput());
        HttpMessage signed = fields.addTo(request);
        List<ReceivedSignature> all = MessageSignatures.read(signed);
        assertEquals(1, all.size());
        ReceivedSignature sig = all.get(0);
        assertEquals("sig1", sig.label());
        assertEquals(COVERED, sig.components());
        assertEquals(fields.signatureInput(), sig.signatureInputMember());
        assertEquals(fields.signature(), sig.signatureMember());
        assertEquals(type.signatureLength(), sig.signature().length);
        assertEquals(MessageSignatures.signatureBase(request, COVERED, sig.parameters()), sig.signatureBase(signed));
        assertEquals(PARAMS.createdAt(), sig.parameters().createdAt());
        assertTrue(sig.covers(ComponentId.field("content-digest")));
        assertFalse(sig.covers(ComponentId.AUTHORITY));
        sig.verify(signed, key.publicKey());
        ContentDigest.verify(signed.fields().first("content-digest").orElseThrow(), BODY);
    }

    @Test
    void signatureBase_isTheRfcLayout() {
        assertEquals("\"@method\": POST\n"
                + "\"@target-uri\": https://gate.example/orders?x=1\n"
                + "\"content-digest\": sha-256=:" + ContentDigest.sha256(BODY).substring("sha-256=:".length()) + "\n"
                + "\"content-type\": application/json\n"
                + "\"@signature-params\": (\"@method\" \"@target-uri\" \"content-digest\" \"content-type\");created=1796292000"
                + ";expires=1796292300;nonce=\"n-1\";keyid=\"did:key:z6Mk#z6Mk\"",
                MessageSignatures.signatureBase(request(), COVERED, PARAMS));
    }

    /** RFC 9421 §2.4, §7.3.7: the answering side signs its response over the request's signature, with req. */
    @Test
    void response_coversTheRequestSignature_verifiesAgainstThatRequestOnly() {
        KeyPair client = key(KeyType.ED25519, 1);
        KeyPair gate = key(KeyType.P256, 2);
        HttpMessage request = signed(client);
        byte[] answer = "{\"accepted\": true}".getBytes(StandardCharsets.UTF_8);
        HttpMessage response = HttpMessage.response(200, HttpFields.builder().add("Content-Digest", ContentDigest.sha256(answer))
                .build(), request);
        List<ComponentId> covered = List.of(ComponentId.STATUS, ComponentId.field("content-digest"),
                ComponentId.field("signature").fromRequest().key("sig1"), ComponentId.METHOD.fromRequest(),
                ComponentId.TARGET_URI.fromRequest());
        HttpMessage signedResponse = MessageSignatures.sign(response, "res", covered,
                SignatureParameters.none().withCreated(Instant.parse("2026-12-03T10:00:01Z")), gate).addTo(response);
        ReceivedSignature sig = MessageSignatures.read(signedResponse).get(0);
        assertTrue(sig.covers(ComponentId.field("signature").key("sig1").fromRequest()));
        String requestSig = MessageSignatures.read(request).get(0).signatureMember().substring("sig1=".length());
        assertTrue(sig.signatureBase(signedResponse).contains("\"signature\";req;key=\"sig1\": " + requestSig + "\n"));
        sig.verify(signedResponse, gate.publicKey());
        // the same response presented as answering another request (signed by the same client, another nonce) fails
        HttpMessage otherRequest = MessageSignatures.sign(request(), "sig1", COVERED, PARAMS.withNonce("n-2"), client)
                .addTo(request());
        HttpMessage replayed = HttpMessage.response(200, signedResponse.fields(), otherRequest);
        assertProblem(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, () -> sig.verify(replayed, gate.publicKey()));
    }

    @Test
    void verify_everyCoveredComponentAltered_failsWithCryptographicSecurityError() {
        KeyPair key = key(KeyType.ED25519, 3);
        HttpMessage signed = signed(key);
        ReceivedSignature sig = MessageSignatures.read(signed).get(0);
        HttpMessage otherMethod = HttpMessage.request("PUT", signed.targetUri(), signed.fields());
        HttpMessage otherUri = HttpMessage.request("POST", URI.create("https://gate.example/orders?x=2"), signed.fields());
        HttpMessage otherDigest = signed.withFields(signed.fields().with("content-digest", ContentDigest.sha256(new byte[1])));
        HttpMessage otherType = signed.withFields(signed.fields().with("content-type", "text/plain"));
        for (HttpMessage altered : List.of(otherMethod, otherUri, otherDigest, otherType)) {
            assertProblem(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, () -> sig.verify(altered, key.publicKey()));
        }
        // a field that is not covered may change
        sig.verify(signed.withFields(signed.fields().with("x-uncovered", "anything")), key.publicKey());
    }

    @ParameterizedTest
    @EnumSource(value = KeyType.class, names = {"ED25519", "P256"})
    void verify_everySignatureByteFlipped_failsWithCryptographicSecurityError(KeyType type) {
        KeyPair key = key(type, 4);
        HttpMessage signed = signed(key);
        byte[] good = MessageSignatures.read(signed).get(0).signature();
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x01;
            HttpMessage tampered = withSignature(signed, "sig1=:" + Base64.getEncoder().encodeToString(bad) + ":");
            ReceivedSignature sig = MessageSignatures.read(tampered).get(0);
            assertProblem(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, () -> sig.verify(tampered, key.publicKey()));
        }
    }

    @Test
    void verify_droppedComponent_failsWithMalformedValueError() {
        KeyPair key = key(KeyType.ED25519, 5);
        HttpMessage signed = signed(key);
        HttpMessage dropped = signed.withFields(signed.fields().without("content-type"));
        ReceivedSignature sig = MessageSignatures.read(dropped).get(0);
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> sig.verify(dropped, key.publicKey()));
    }

    @Test
    void verify_wrongKey_failsWithCryptographicSecurityError_algMismatch_failsWithAlgorithmNotAllowed() {
        KeyPair key = key(KeyType.ED25519, 6);
        HttpMessage signed = signed(key);
        ReceivedSignature sig = MessageSignatures.read(signed).get(0);
        assertProblem(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, () -> sig.verify(signed, key(KeyType.ED25519, 9).publicKey()));
        // an Ed25519 signature is 64 bytes, as a P-256 r‖s is: the wrong key type fails on the signature
        assertProblem(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, () -> sig.verify(signed, key(KeyType.P256, 6).publicKey()));
        assertProblem(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, () -> sig.verify(signed, key(KeyType.P384, 6).publicKey()));

        HttpMessage request = request();
        HttpMessage withAlg = MessageSignatures.sign(request, "sig1", COVERED, PARAMS.withAlg("ed25519"), key).addTo(request);
        ReceivedSignature algSig = MessageSignatures.read(withAlg).get(0);
        algSig.verify(withAlg, key.publicKey());
        assertProblem(ProblemType.ALGORITHM_NOT_ALLOWED, () -> algSig.verify(withAlg, key(KeyType.P256, 6).publicKey()));
        HttpMessage rsaAlg = MessageSignatures.sign(request, "sig1", COVERED, PARAMS, key).addTo(request);
        HttpMessage claimed = rsaAlg.withFields(rsaAlg.fields().with("signature-input",
                MessageSignatures.read(rsaAlg).get(0).signatureInputMember() + ";alg=\"rsa-pss-sha512\""));
        assertProblem(ProblemType.ALGORITHM_NOT_ALLOWED, () -> MessageSignatures.read(claimed).get(0).verify(claimed, key.publicKey()));
        assertProblem(ProblemType.ALGORITHM_NOT_ALLOWED,
                () -> MessageSignatures.sign(request, "sig1", COVERED, PARAMS.withAlg("ecdsa-p256-sha256"), key));
    }

    @Test
    void verify_ecdsaOfWrongLengthOrDer_failsWithCryptographicSecurityError() {
        KeyPair key = key(KeyType.P256, 8);
        HttpMessage signed = signed(key);
        byte[] rs = MessageSignatures.read(signed).get(0).signature();
        for (byte[] bad : List.of(Arrays.copyOf(rs, 63), Arrays.copyOf(rs, 65), der(rs))) {
            HttpMessage tampered = withSignature(signed, "sig1=:" + Base64.getEncoder().encodeToString(bad) + ":");
            assertProblem(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR,
                    () -> MessageSignatures.read(tampered).get(0).verify(tampered, key.publicKey()));
        }
    }

    /** The DER SEQUENCE { INTEGER r, INTEGER s } a JCA signer would produce for r‖s. */
    private static byte[] der(byte[] rs) {
        byte[] r = new BigInteger(1, Arrays.copyOfRange(rs, 0, 32)).toByteArray();
        byte[] s = new BigInteger(1, Arrays.copyOfRange(rs, 32, 64)).toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        out.write(4 + r.length + s.length);
        out.write(0x02);
        out.write(r.length);
        out.writeBytes(r);
        out.write(0x02);
        out.write(s.length);
        out.writeBytes(s);
        return out.toByteArray();
    }

    private static HttpMessage withSignature(HttpMessage m, String signature) {
        return m.withFields(m.fields().with("signature", signature));
    }

    private static HttpMessage withInput(HttpMessage m, String input) {
        return m.withFields(m.fields().with("signature-input", input));
    }

    @Test
    void read_labelsThatDoNotMatch_failWithMalformedValueError() {
        HttpMessage signed = signed(key(KeyType.ED25519, 10));
        String sigValue = signed.fields().first("signature").orElseThrow().substring("sig1=".length());
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> MessageSignatures.read(withSignature(signed, "sig2=" + sigValue)));
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> MessageSignatures.read(signed.withFields(signed.fields().without("signature"))));
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR,
                () -> MessageSignatures.read(signed.withFields(signed.fields().without("signature-input"))));
        // the same label twice, across two field lines
        HttpMessage twice = signed.withFields(signed.fields().plus("signature-input", "sig1=()").plus("signature", "sig1=:AAAA:"));
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> MessageSignatures.read(twice));
        assertEquals(List.of(), MessageSignatures.read(request()));
    }

    @Test
    void read_malformedMembers_failWithTheirProblem() {
        HttpMessage m = signed(key(KeyType.ED25519, 11));
        String sig = "sig1=:AAAA:";
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> MessageSignatures.read(withSignature(m, "sig1=\"not bytes\"")));
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> MessageSignatures.read(withSignature(m, "sig1=(:AAAA:)")));
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> MessageSignatures.read(withSignature(m, "sig1=:AAAA:;p=1")));
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> MessageSignatures.read(withInput(withSignature(m, sig), "sig1=\"@method\"")));
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> MessageSignatures.read(withInput(m, "sig1=(\"@method\" \"@method\")")));
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> MessageSignatures.read(withInput(m, "sig1=(\"@method\" \"@METHOD\")")));
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> MessageSignatures.read(withInput(m, "sig1=(\"@unknown\")")));
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> MessageSignatures.read(withInput(m, "sig1=(\"@status\")")));
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> MessageSignatures.read(withInput(m, "sig1=(\"@method\";req)")));
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> MessageSignatures.read(withInput(m, "sig1=(\"@signature-params\")")));
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> MessageSignatures.read(withInput(m, "sig1=(method)")));
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> MessageSignatures.read(withInput(m, "sig1=();created=\"1\"")));
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> MessageSignatures.read(withInput(m, "sig1=();created=-1")));
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> MessageSignatures.read(withInput(m, "sig1=();keyid=k")));
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> MessageSignatures.read(withInput(m, "sig1=();unknown=1")));
        assertProblem(ProblemType.PARSING_ERROR, () -> MessageSignatures.read(withInput(m, "sig1=(\"@method\"")));
        assertProblem(ProblemType.PARSING_ERROR, () -> MessageSignatures.read(withSignature(m, "sig1=:not base64!:")));
        HttpMessage response = HttpMessage.response(200, HttpFields.builder().add("signature-input", "r=(\"@method\")")
                .add("signature", "r=:AAAA:").build(), request());
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> MessageSignatures.read(response));
    }

    @Test
    void read_overTheBounds_failsWithLimitExceededOrInputTooLarge() {
        HttpMessage m = request();
        StringBuilder inputs = new StringBuilder();
        StringBuilder sigs = new StringBuilder();
        for (int i = 0; i <= MessageSignatures.MAX_SIGNATURES; i++) {
            inputs.append(i == 0 ? "" : ", ").append("s").append(i).append("=()");
            sigs.append(i == 0 ? "" : ", ").append("s").append(i).append("=:AAAA:");
        }
        HttpMessage nine = m.withFields(m.fields().with("signature-input", inputs.toString()).with("signature", sigs.toString()));
        assertProblem(ProblemType.LIMIT_EXCEEDED, () -> MessageSignatures.read(nine));

        StringBuilder many = new StringBuilder("sig1=(");
        for (int i = 0; i <= MessageSignatures.MAX_COMPONENTS; i++) {
            many.append(i == 0 ? "" : " ").append("\"x-h").append(i).append('"');
        }
        HttpMessage wide = withSignature(withInput(m, many + ")"), "sig1=:AAAA:");
        assertProblem(ProblemType.LIMIT_EXCEEDED, () -> MessageSignatures.read(wide));

        HttpMessage longInput = withSignature(withInput(m, "sig1=();nonce=\"" + "n".repeat(MessageSignatures.MAX_FIELD_LENGTH) + "\""),
                "sig1=:AAAA:");
        assertProblem(ProblemType.INPUT_TOO_LARGE, () -> MessageSignatures.read(longInput));
        HttpMessage longSig = withSignature(withInput(m, "sig1=()"), "sig1=:" + "A".repeat(MessageSignatures.MAX_FIELD_LENGTH) + ":");
        assertProblem(ProblemType.INPUT_TOO_LARGE, () -> MessageSignatures.read(longSig));

        HttpMessage big = m.withFields(m.fields().with("x-big", "b".repeat(MessageSignatures.MAX_BASE_LENGTH)));
        assertProblem(ProblemType.INPUT_TOO_LARGE, () -> MessageSignatures.signatureBase(big, List.of(ComponentId.field("x-big")),
                SignatureParameters.none()));
        // refused before it is parsed as a structured field
        HttpMessage bigDictionary = m.withFields(m.fields().with("x-dict", "a=1, ".repeat(20_000) + "b=2"));
        assertProblem(ProblemType.INPUT_TOO_LARGE, () -> MessageSignatures.signatureBase(bigDictionary,
                List.of(ComponentId.field("x-dict").key("b")), SignatureParameters.none()));
        List<ComponentId> tooMany = new java.util.ArrayList<>();
        for (int i = 0; i <= MessageSignatures.MAX_COMPONENTS; i++) {
            tooMany.add(ComponentId.field("x-h" + i));
        }
        assertProblem(ProblemType.LIMIT_EXCEEDED, () -> MessageSignatures.signatureBase(m, tooMany, SignatureParameters.none()));
    }

    @Test
    void sign_componentsThatDoNotApply_failWithMalformedValueError() {
        KeyPair key = key(KeyType.ED25519, 12);
        HttpMessage m = request();
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR,
                () -> MessageSignatures.sign(m, "s", List.of(ComponentId.field("absent")), PARAMS, key));
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR,
                () -> MessageSignatures.sign(m, "s", List.of(ComponentId.METHOD, ComponentId.METHOD), PARAMS, key));
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> MessageSignatures.sign(m, "s", List.of(ComponentId.STATUS), PARAMS, key));
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR,
                () -> MessageSignatures.sign(m, "s", List.of(ComponentId.METHOD.fromRequest()), PARAMS, key));
        HttpMessage response = HttpMessage.response(200, HttpFields.empty(), m);
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR, () -> MessageSignatures.sign(response, "s", List.of(ComponentId.METHOD), PARAMS, key));
        HttpMessage nonAscii = m.withFields(m.fields().with("x-name", "caf\u00e9"));
        assertProblem(ProblemType.MALFORMED_VALUE_ERROR,
                () -> MessageSignatures.sign(nonAscii, "s", List.of(ComponentId.field("x-name")), PARAMS, key));
        // bs carries any octets
        MessageSignatures.sign(nonAscii, "s", List.of(ComponentId.field("x-name").byteSequence()), PARAMS, key);
        assertThrows(IllegalArgumentException.class, () -> MessageSignatures.sign(m, "Sig1", COVERED, PARAMS, key));
    }

    @Test
    void read_twoSignatures_eachVerifiesWithItsKey_inInputOrder() {
        KeyPair a = key(KeyType.ED25519, 13);
        KeyPair b = key(KeyType.P256, 14);
        HttpMessage m = request();
        HttpMessage one = MessageSignatures.sign(m, "first", COVERED, PARAMS, a).addTo(m);
        HttpMessage two = MessageSignatures.sign(one, "second", List.of(ComponentId.AUTHORITY, ComponentId.field("signature").key("first")),
                SignatureParameters.none().withTag("proxy"), b).addTo(one);
        List<ReceivedSignature> sigs = MessageSignatures.read(two);
        assertEquals(List.of("first", "second"), sigs.stream().map(ReceivedSignature::label).toList());
        sigs.get(0).verify(two, a.publicKey());
        sigs.get(1).verify(two, b.publicKey());
        assertArrayEquals(MessageSignatures.read(one).get(0).signature(), sigs.get(0).signature());
        assertProblem(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, () -> sigs.get(1).verify(two, a.publicKey()));
    }

    @Test
    void read_extraWhitespaceInSignatureInput_isReserializedStrictly() {
        KeyPair key = key(KeyType.ED25519, 15);
        HttpMessage signed = signed(key);
        String input = signed.fields().first("signature-input").orElseThrow();
        HttpMessage spaced = withInput(signed, "  " + input.replace("(\"@method\" ", "(  \"@method\"   ").replace(";created", "; created"));
        MessageSignatures.read(spaced).get(0).verify(spaced, key.publicKey());
    }
}
