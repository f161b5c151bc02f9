package dev.tabard.vectors.sdjwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 9901's examples (§5.1, §5.2, Appendix A.1) reproduced: digests, issuer signatures, processing, key binding. */
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
