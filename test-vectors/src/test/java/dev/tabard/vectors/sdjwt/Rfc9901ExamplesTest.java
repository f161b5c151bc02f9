package dev.tabard.vectors.sdjwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.crypto.VerificationKey;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.sdjwt.Disclosure;
import dev.tabard.sdjwt.KeyBinding;
import dev.tabard.sdjwt.ProcessedSdJwt;
import dev.tabard.sdjwt.SdJwt;
import dev.tabard.vectors.Vectors;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 9901's examples (§5.1, §5.2, Appendix A.1 to A.4) reproduced: digests, issuer signatures, processing, key
 * binding. The examples come from another implementation, so they catch misreadings of the RFC that our own
 * round trips cannot: recursive disclosures, array elements holding digests, a {@code dc+sd-jwt} typed VC and a
 * W3C VCDM payload.
 */
class Rfc9901ExamplesTest {

    private static final JsonNode MANIFEST = Vectors.json("sd-jwt/rfc9901.json");
    private static final VerificationKey ISSUER = VerificationKey.fromJwk(MANIFEST.get("issuerKey"));

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        MANIFEST.get("cases").forEach(c -> out.add(Arguments.of(c.get("id").asText(), c)));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void example_verifiesAndProcessesAsTheRfcShows(String id, JsonNode c) {
        SdJwt sdJwt = SdJwt.parse(c.get("input").asText());
        assertEquals(c.get("input").asText(), sdJwt.serialize(), "serialization round trip");
        ProcessedSdJwt p = sdJwt.verify(ISSUER);
        ObjectNode claims = p.claims();
        Iterator<Map.Entry<String, JsonNode>> expected = c.path("expect").path("claims").fields();
        while (expected.hasNext()) {
            Map.Entry<String, JsonNode> e = expected.next();
            assertEquals(e.getValue(), claims.get(e.getKey()), id + ": " + e.getKey());
        }
        if (c.path("expect").path("complete").asBoolean()) {
            assertEquals(c.path("expect").path("claims"), claims, id + ": the whole processed payload the RFC prints");
        }
        c.path("expect").path("absent").forEach(n -> assertFalse(claims.has(n.asText()), id + ": " + n.asText() + " is not disclosed"));
        assertFalse(claims.has("_sd") || claims.has("_sd_alg"), "no SD-JWT machinery left in the processed payload");
        assertFalse(claims.toString().contains("\"...\""));
        JsonNode kb = c.get("keyBinding");
        if (kb != null) {
            assertEquals(kb.get("sdHash").asText(), sdJwt.sdHash());
            Clock at = Clock.fixed(Instant.ofEpochSecond(c.get("at").asLong()), ZoneOffset.UTC);
            KeyBinding.verify(sdJwt, p, KeyBinding.Expectation.of(kb.get("aud").asText(), kb.get("nonce").asText(), at));
            ProblemException wrongNonce = assertThrows(ProblemException.class,
                    () -> KeyBinding.verify(sdJwt, p, KeyBinding.Expectation.of(kb.get("aud").asText(), "0987654321", at)));
            assertEquals(ProblemType.INVALID_CHALLENGE_ERROR, wrongNonce.type());
        }
    }

    @Test
    void section51_eachDisclosureHashesToTheRfcDigest() {
        JsonNode digests = MANIFEST.get("cases").get(0).path("expect").path("digests");
        assertEquals(10, digests.size());
        digests.fields().forEachRemaining(e -> assertEquals(e.getValue().asText(), Disclosure.parse(e.getKey()).digest()));
    }

    /**
     * Each disclosure hashes to the digest listed for it, and that digest sits in the issuer-signed payload or inside
     * another disclosure of the same example (A.2's evidence element, A.3's address, place_of_birth and age claims).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void example_eachDisclosureDigest_isCommittedToBySignedData(String id, JsonNode c) throws Exception {
        JsonNode digests = c.path("expect").path("digests");
        if (digests.isMissingNode()) {
            return;
        }
        SdJwt sdJwt = SdJwt.parse(c.get("input").asText());
        assertEquals(sdJwt.disclosures().size(), digests.size(), id + ": one digest per disclosure");
        Set<String> committed = new HashSet<>();
        String payload = sdJwt.issuerJwt().split("\\.")[1];
        collectDigests(new ObjectMapper().readTree(Base64.getUrlDecoder().decode(payload)), committed);
        sdJwt.disclosures().forEach(d -> collectDigests(d.value(), committed));
        for (Disclosure d : sdJwt.disclosures()) {
            String digest = digests.path(d.encoded()).asText();
            assertEquals(digest, d.digest(), id + ": digest of " + d.encoded());
            assertTrue(committed.contains(digest), id + ": " + digest + " is in the signed payload or a parent disclosure");
        }
    }

    private static void collectDigests(JsonNode node, Set<String> out) {
        if (node.isObject()) {
            node.path("_sd").forEach(n -> out.add(n.asText()));
            if (node.has("...")) {
                out.add(node.get("...").asText());
            }
        }
        node.forEach(child -> collectDigests(child, out));
    }

    @Test
    void appendixA3_withTheKeyBindingJwtOfA4_failsOnSdHash() {
        JsonNode c = caseById("rfc9901-A.3");
        JsonNode a4 = caseById("rfc9901-A.4");
        SdJwt shown = SdJwt.parse(c.get("input").asText());
        SdJwt foreignKb = new SdJwt(shown.issuerJwt(), shown.disclosures(), SdJwt.parse(a4.get("input").asText()).keyBindingJwt());
        Clock at = Clock.fixed(Instant.ofEpochSecond(c.get("at").asLong()), ZoneOffset.UTC);
        JsonNode kb = c.get("keyBinding");
        ProblemException e = assertThrows(ProblemException.class, () -> KeyBinding.verify(foreignKb, foreignKb.verify(ISSUER),
                KeyBinding.Expectation.of(kb.get("aud").asText(), kb.get("nonce").asText(), at)));
        assertEquals(ProblemType.KEY_BINDING_INVALID, e.type());
    }

    private static JsonNode caseById(String id) {
        for (JsonNode c : MANIFEST.get("cases")) {
            if (c.get("id").asText().equals(id)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no case " + id);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void example_everyAlteredCharacterOfEachDisclosure_isRefusedWithAType(String id, JsonNode c) {
        SdJwt sdJwt = SdJwt.parse(c.get("input").asText());
        Set<ProblemType> allowed = Set.of(ProblemType.SD_JWT_DISCLOSURE_INVALID, ProblemType.PARSING_ERROR);
        for (int i = 0; i < sdJwt.disclosures().size(); i++) {
            String encoded = sdJwt.disclosures().get(i).encoded();
            for (int pos = 0; pos < encoded.length(); pos += 7) {
                char ch = encoded.charAt(pos);
                String altered = encoded.substring(0, pos) + (ch == 'A' ? 'B' : 'A') + encoded.substring(pos + 1);
                String input = c.get("input").asText().replace("~" + encoded + "~", "~" + altered + "~");
                ProblemException e = assertThrows(ProblemException.class, () -> SdJwt.parse(input).verify(ISSUER), id + " " + pos);
                assertTrue(allowed.contains(e.type()), id + ": " + e.getMessage());
            }
        }
    }

    @Test
    void section52_presentationWithADisclosureAddedAfterKeyBinding_failsOnSdHash() {
        JsonNode c = MANIFEST.get("cases").get(1);
        SdJwt shown = SdJwt.parse(c.get("input").asText());
        String nationalityDe = "WyJuUHVvUW5rUkZxM0JJZUFtN0FuWEZBIiwgIkRFIl0";
        List<Disclosure> more = new ArrayList<>(shown.disclosures());
        more.add(Disclosure.parse(nationalityDe));
        SdJwt added = new SdJwt(shown.issuerJwt(), more, shown.keyBindingJwt());
        Clock at = Clock.fixed(Instant.ofEpochSecond(c.get("at").asLong()), ZoneOffset.UTC);
        JsonNode kb = c.get("keyBinding");
        ProblemException e = assertThrows(ProblemException.class, () -> KeyBinding.verify(added, added.verify(ISSUER),
                KeyBinding.Expectation.of(kb.get("aud").asText(), kb.get("nonce").asText(), at)));
        assertEquals(ProblemType.KEY_BINDING_INVALID, e.type());
    }
}
