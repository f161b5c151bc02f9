package dev.tabard.sdjwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.Base64Url;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.testing.ManualClock;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SdJwtTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    private final KeyPair issuer = KeyPair.generate(KeyType.P256, RANDOM);
    private final KeyPair holder = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final ManualClock clock = new ManualClock(NOW);

    private static ObjectNode claims() {
        return (ObjectNode) JsonCodec.parse("{\"sub\":\"did:example:agent\",\"name\":\"Agent\","
                + "\"operator\":{\"name\":\"Ops\",\"email\":\"ops@example.org\",\"phone\":\"+1\"},"
                + "\"capabilities\":[\"pay\",\"quote\",\"refund\"],\"constraints\":{\"maxTransactionValue\":"
                + "{\"amount\":\"500\",\"currency\":\"EUR\"},\"dataRegions\":[\"EU\"]}}");
    }

    private SdJwt issue() {
        return SdJwtIssuer.builder(issuer).kid("did:example:org#k").typ("example+sd-jwt").claims(claims())
                .disclosable(ClaimPath.of("operator"), ClaimPath.of("operator", "email"), ClaimPath.of("operator", "phone"),
                        ClaimPath.of("capabilities", 0), ClaimPath.of("capabilities", 2),
                        ClaimPath.of("constraints", "maxTransactionValue"))
                .decoys(3).holderKey(holder.publicKey()).random(RANDOM).issue();
    }

    @Test
    void issue_allDisclosures_verifyRestoresTheClaims() {
        SdJwt issued = issue();
        assertEquals(6, issued.disclosures().size());
        ProcessedSdJwt p = SdJwt.parse(issued.serialize()).verify(issuer.publicKey());
        ObjectNode expected = claims();
        expected.putObject("cnf").set("jwk", JsonCodec.tree(holder.publicKey().toJwk()));
        assertEquals(expected, p.claims());
        assertEquals(Optional.of(holder.publicKey()), p.holderKey());
        assertTrue(issued.serialize().endsWith("~"));
    }

    @Test
    void issue_payloadHidesDisclosableClaims_andSaltsAre128Bits() {
        SdJwt issued = issue();
        ObjectNode payload = issued.issuerJws().payloadJson();
        assertFalse(payload.has("operator"));
        assertEquals("sha-256", payload.get("_sd_alg").asText());
        assertEquals(3 + 1, payload.get("_sd").size(), "the operator digest and three decoys");
        assertEquals("quote", payload.get("capabilities").get(1).asText());
        assertTrue(payload.get("capabilities").get(0).has("..."));
        for (Disclosure d : issued.disclosures()) {
            assertEquals(Disclosure.SALT_BYTES, Base64Url.decode(d.salt()).length);
        }
        // the email disclosure is recursive: its digest is inside the operator disclosure's value, not in the payload
        Disclosure operator = issued.disclosures().stream().filter(d -> d.name().equals(Optional.of("operator"))).findFirst().orElseThrow();
        Disclosure email = issued.disclosures().stream().filter(d -> d.name().equals(Optional.of("email"))).findFirst().orElseThrow();
        assertTrue(operator.valueJson().contains(email.digest()));
        assertFalse(payload.toString().contains(email.digest()));
    }

    @Test
    void select_nestedPath_includesParentAndOnlyThat() {
        SdJwt issued = issue();
        SdJwt shown = Presentations.select(issued, List.of(ClaimPath.of("operator", "email")));
        assertEquals(2, shown.disclosures().size());
        ProcessedSdJwt p = shown.verify(issuer.publicKey());
        assertEquals("ops@example.org", p.claims().get("operator").get("email").asText());
        assertFalse(p.claims().get("operator").has("phone"));
        assertEquals(List.of(ClaimPath.of("operator"), ClaimPath.of("operator", "email")), p.disclosedPaths());
        assertEquals(List.of("quote"), names(p.claims().get("capabilities")));
        assertFalse(p.claims().get("constraints").has("maxTransactionValue"));
    }

    @Test
    void withheld_listsNestedContainersWithUndisclosedDigests_notTheTopLevel() {
        ProcessedSdJwt none = Presentations.select(issue(), List.of()).verify(issuer.publicKey());
        assertEquals(Set.of(ClaimPath.of("capabilities"), ClaimPath.of("constraints")), none.withheld());
        ProcessedSdJwt email = Presentations.select(issue(), List.of(ClaimPath.of("operator", "email"))).verify(issuer.publicKey());
        assertTrue(email.withheld().contains(ClaimPath.of("operator")), "phone is still withheld");
        ProcessedSdJwt all = SdJwt.parse(issue().serialize()).verify(issuer.publicKey());
        assertEquals(Set.of(), all.withheld(), "decoys sit only at the top level");
    }

    @Test
    void select_arrayElementAndWholeObject() {
        SdJwt shown = Presentations.select(issue(), List.of(ClaimPath.of("capabilities", 2), ClaimPath.of("operator")));
        ProcessedSdJwt p = shown.verify(issuer.publicKey());
        assertEquals(List.of("quote", "refund"), names(p.claims().get("capabilities")));
        assertTrue(p.claims().get("operator").has("phone"));
        assertTrue(p.disclosedPaths().contains(ClaimPath.of("capabilities", 1)), "the verifier sees processed positions");
    }

    private static List<String> names(com.fasterxml.jackson.databind.JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private SdJwt presented(String aud, String nonce, Instant iat) {
        return KeyBinding.sign(holder, Presentations.select(issue(), List.of(ClaimPath.of("operator", "email"))), aud, nonce, iat);
    }

    private void verifyKb(SdJwt presented, String aud, String nonce) {
        SdJwt parsed = SdJwt.parse(presented.serialize());
        KeyBinding.verify(parsed, parsed.verify(issuer.publicKey()), KeyBinding.Expectation.of(aud, nonce, clock));
    }

    @Test
    void keyBinding_good_verifies() {
        verifyKb(presented("https://v.example", "n-1", NOW), "https://v.example", "n-1");
    }

    @Test
    void keyBinding_wrongNonce_failsWithInvalidChallenge() {
        assertProblem(ProblemType.INVALID_CHALLENGE_ERROR, () -> verifyKb(presented("https://v.example", "n-1", NOW), "https://v.example", "n-2"));
    }

    @Test
    void keyBinding_wrongAudience_failsWithInvalidDomain() {
        assertProblem(ProblemType.INVALID_DOMAIN_ERROR, () -> verifyKb(presented("https://other.example", "n-1", NOW), "https://v.example", "n-1"));
    }

    @Test
    void keyBinding_staleOrFutureIat_failsWithKeyBindingInvalid() {
        assertProblem(ProblemType.KEY_BINDING_INVALID,
                () -> verifyKb(presented("a", "n", NOW.minus(Duration.ofMinutes(7))), "a", "n"));
        assertProblem(ProblemType.KEY_BINDING_INVALID,
                () -> verifyKb(presented("a", "n", NOW.plus(Duration.ofMinutes(2))), "a", "n"));
        verifyKb(presented("a", "n", NOW.minus(Duration.ofMinutes(5))), "a", "n");
    }

    @Test
    void keyBinding_signedByAnotherKey_failsWithKeyBindingInvalid() {
        KeyPair other = KeyPair.generate(KeyType.ED25519, RANDOM);
        SdJwt shown = KeyBinding.sign(other, Presentations.select(issue(), List.of()), "a", "n", NOW);
        assertProblem(ProblemType.KEY_BINDING_INVALID, () -> verifyKb(shown, "a", "n"));
    }

    @Test
    void keyBinding_missing_failsWithKeyBindingMissing() {
        SdJwt shown = Presentations.select(issue(), List.of());
        assertProblem(ProblemType.KEY_BINDING_MISSING, () -> verifyKb(shown, "a", "n"));
    }

    @Test
    void keyBinding_disclosureDroppedOrAddedAfterSigning_failsOnSdHash() {
        SdJwt issued = issue();
        SdJwt shown = KeyBinding.sign(holder, Presentations.select(issued, List.of(ClaimPath.of("operator", "email"))), "a", "n", NOW);
        List<Disclosure> parentOnly = shown.disclosures().stream().filter(d -> d.name().equals(Optional.of("operator"))).toList();
        SdJwt dropped = new SdJwt(shown.issuerJwt(), parentOnly, shown.keyBindingJwt());
        assertProblem(ProblemType.KEY_BINDING_INVALID, () -> verifyKb(dropped, "a", "n"));
        List<Disclosure> reordered = new ArrayList<>(shown.disclosures());
        java.util.Collections.reverse(reordered);
        assertProblem(ProblemType.KEY_BINDING_INVALID, () -> verifyKb(new SdJwt(shown.issuerJwt(), reordered, shown.keyBindingJwt()), "a", "n"));
    }

    @Test
    void verify_alteredDisclosure_failsAsOrphan() {
        SdJwt issued = issue();
        Disclosure email = issued.disclosures().stream().filter(d -> d.name().equals(Optional.of("email"))).findFirst().orElseThrow();
        String forged = Base64Url.encode(("[\"" + email.salt() + "\",\"email\",\"evil@example.org\"]").getBytes(StandardCharsets.UTF_8));
        String s = issued.serialize().replace(email.encoded(), forged);
        assertProblem(ProblemType.SD_JWT_DISCLOSURE_INVALID, () -> SdJwt.parse(s).verify(issuer.publicKey()));
    }

    @Test
    void verify_duplicateDisclosure_fails() {
        SdJwt issued = issue();
        List<Disclosure> twice = new ArrayList<>(issued.disclosures());
        twice.add(issued.disclosures().get(0));
        assertProblem(ProblemType.SD_JWT_DISCLOSURE_INVALID, () -> new SdJwt(issued.issuerJwt(), twice, Optional.empty()).verify(issuer.publicKey()));
    }

    @Test
    void verify_orphanDisclosure_fails() {
        SdJwt issued = issue();
        List<Disclosure> extra = new ArrayList<>(issued.disclosures());
        extra.add(Disclosure.ofProperty(RANDOM, "admin", JsonCodec.parse("true")));
        assertProblem(ProblemType.SD_JWT_DISCLOSURE_INVALID, () -> new SdJwt(issued.issuerJwt(), extra, Optional.empty()).verify(issuer.publicKey()));
    }

    @Test
    void verify_nestedDisclosureWithoutItsParent_failsAsOrphan() {
        SdJwt issued = issue();
        List<Disclosure> emailOnly = issued.disclosures().stream().filter(d -> d.name().equals(Optional.of("email"))).toList();
        assertProblem(ProblemType.SD_JWT_DISCLOSURE_INVALID, () -> new SdJwt(issued.issuerJwt(), emailOnly, Optional.empty()).verify(issuer.publicKey()));
    }

    @Test
    void verify_disclosureOverwritingAClaim_fails() {
        // a payload signed with a visible 'name' and a digest of a disclosure that also says 'name'
        Disclosure d = Disclosure.ofProperty(RANDOM, "name", JsonCodec.parse("\"Mallory\""));
        ObjectNode payload = (ObjectNode) JsonCodec.parse("{\"name\":\"Agent\"}");
        payload.putArray("_sd").add(d.digest());
        SdJwt s = new SdJwt(sign(payload), List.of(d), Optional.empty());
        assertProblem(ProblemType.SD_JWT_DISCLOSURE_INVALID, () -> s.verify(issuer.publicKey()));
    }

    @Test
    void verify_digestListedTwice_fails() {
        Disclosure d = Disclosure.ofProperty(RANDOM, "a", JsonCodec.parse("1"));
        ObjectNode payload = JsonCodec.objectNode();
        payload.putArray("_sd").add(d.digest());
        payload.putObject("x").putArray("_sd").add(d.digest());
        SdJwt s = new SdJwt(sign(payload), List.of(d), Optional.empty());
        assertProblem(ProblemType.SD_JWT_DISCLOSURE_INVALID, () -> s.verify(issuer.publicKey()));
    }

    @Test
    void verify_elementDisclosureInObjectPosition_fails() {
        Disclosure d = Disclosure.ofElement(RANDOM, JsonCodec.parse("1"));
        ObjectNode payload = JsonCodec.objectNode();
        payload.putArray("_sd").add(d.digest());
        assertProblem(ProblemType.SD_JWT_DISCLOSURE_INVALID, () -> new SdJwt(sign(payload), List.of(d), Optional.empty()).verify(issuer.publicKey()));
    }

    @Test
    void verify_droppedDigestInSignedPayload_failsSignature() {
        SdJwt issued = issue();
        String[] parts = issued.issuerJwt().split("\\.");
        ObjectNode payload = JsonCodec.parseObject(Base64Url.decode(parts[1]));
        ((com.fasterxml.jackson.databind.node.ArrayNode) payload.get("_sd")).remove(0);
        String tampered = parts[0] + "." + Base64Url.encode(JsonCodec.write(payload)) + "." + parts[2];
        assertProblem(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR,
                () -> new SdJwt(tampered, issued.disclosures(), Optional.empty()).verify(issuer.publicKey()));
    }

    @Test
    void verify_unsupportedSdAlg_fails() {
        ObjectNode payload = JsonCodec.objectNode().put("_sd_alg", "md5");
        assertProblem(ProblemType.ALGORITHM_NOT_ALLOWED, () -> new SdJwt(sign(payload), List.of(), Optional.empty()).verify(issuer.publicKey()));
    }

    @Test
    void parse_reservedDisclosureNames_andMalformed_fail() {
        String sd = Base64Url.encode("[\"salt\",\"_sd\",[]]".getBytes(StandardCharsets.UTF_8));
        String dots = Base64Url.encode("[\"salt\",\"...\",1]".getBytes(StandardCharsets.UTF_8));
        String four = Base64Url.encode("[\"salt\",\"a\",1,2]".getBytes(StandardCharsets.UTF_8));
        for (String d : List.of(sd, dots, four, "not base64!")) {
            assertProblem(ProblemType.SD_JWT_DISCLOSURE_INVALID, () -> Disclosure.parse(d));
        }
        assertProblem(ProblemType.PARSING_ERROR, () -> SdJwt.parse("no-tilde"));
        assertProblem(ProblemType.PARSING_ERROR, () -> SdJwt.parse("a.b.c~~"));
    }

    @Test
    void parse_tooManyDisclosures_failsWithLimitExceeded() {
        String d = Disclosure.ofElement(RANDOM, JsonCodec.parse("1")).encoded();
        String s = "a.b.c~" + (d + "~").repeat(SdJwt.MAX_DISCLOSURES + 1);
        assertProblem(ProblemType.LIMIT_EXCEEDED, () -> SdJwt.parse(s));
    }

    @Test
    void verify_deeplyNestedDisclosures_failWithLimitExceeded() {
        // a chain of disclosures each holding the next one's digest: depth grows past any single parse's depth
        List<Disclosure> chain = new ArrayList<>();
        String inner = "{}";
        for (int i = 0; i < 120; i++) {
            Disclosure d = Disclosure.ofProperty(RANDOM, "n", JsonCodec.parse(inner));
            chain.add(d);
            inner = "{\"_sd\":[\"" + d.digest() + "\"]}";
        }
        ObjectNode payload = (ObjectNode) JsonCodec.parse(inner);
        assertProblem(ProblemType.LIMIT_EXCEEDED, () -> new SdJwt(sign(payload), chain, Optional.empty()).verify(issuer.publicKey()));
    }

    @Test
    void decoys_differEachIssuance_andDigestsAreSorted() {
        Set<String> first = digests(issue());
        Set<String> second = digests(issue());
        assertTrue(first.stream().noneMatch(second::contains));
        List<String> sd = new ArrayList<>();
        issue().issuerJws().payloadJson().get("_sd").forEach(n -> sd.add(n.asText()));
        assertEquals(sd.stream().sorted().toList(), sd);
    }

    private static Set<String> digests(SdJwt s) {
        Set<String> out = new java.util.HashSet<>();
        s.issuerJws().payloadJson().get("_sd").forEach(n -> out.add(n.asText()));
        return out;
    }

    private String sign(ObjectNode payload) {
        return dev.tabard.vc.jose.CompactJws.sign(issuer, dev.tabard.vc.jose.JwsHeader.of("k", "example+sd-jwt"), JsonCodec.write(payload));
    }

    static void assertProblem(ProblemType type, org.junit.jupiter.api.function.Executable e) {
        ProblemException x = assertThrows(ProblemException.class, e);
        assertEquals(type, x.type(), x.getMessage());
    }
}
