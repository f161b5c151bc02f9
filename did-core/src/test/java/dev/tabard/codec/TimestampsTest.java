package dev.tabard.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.DidUrl;
import dev.tabard.did.key.KeyDidResolver;
import dev.tabard.did.key.KeyDids;
import dev.tabard.jsonld.BundledContexts;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.AgentClaims;
import dev.tabard.vc.Credential;
import dev.tabard.vc.di.DataIntegrity;
import dev.tabard.vc.di.ProofOptions;
import dev.tabard.vc.jose.CompactJws;
import dev.tabard.vc.jose.JoseOptions;
import dev.tabard.vc.jose.JwsHeader;
import dev.tabard.vc.jose.VcJose;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One table of date inputs run through every place that reads a date: the parser itself, credential
 * {@code validFrom}/{@code validUntil} (VC 2.0) and {@code issuanceDate} (VC 1.1), Data Integrity proof
 * {@code created}/{@code expires}, a vc+jwt's enveloped credential, and the NumericDate claims of vc+jwt and vp+jwt.
 * Every refusal is MALFORMED_VALUE_ERROR (HTTP 400) with a pointer to the property, on real signed documents; for
 * proof dates it is PROOF_VERIFICATION_ERROR (HTTP 400), as Data Integrity §4.4 and the W3C suite ask.
 */
class TimestampsTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Instant NOW = Instant.parse("2026-11-22T10:05:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String MARKER = "@date-under-test@";

    private final KeyPair issuerKey = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final Did issuer = KeyDids.of(issuerKey.publicKey());
    private final DidUrl issuerKid = KeyDids.methodId(issuerKey.publicKey());
    private final KeyPair agentKey = KeyPair.generate(KeyType.ED25519, RANDOM);
    private final Did agent = KeyDids.of(agentKey.publicKey());
    private final DidUrl agentKid = KeyDids.methodId(agentKey.publicKey());
    private final KeyDidResolver resolver = new KeyDidResolver();

    /** Date strings that are XSD dateTimeStamp under our rules, and the instant each is. */
    static Stream<Arguments> validDates() {
        return Stream.of(
                Arguments.of("2030-01-01T00:00:00Z", "2030-01-01T00:00:00Z"),
                Arguments.of("2030-01-01T00:00:00.5Z", "2030-01-01T00:00:00.500Z"),
                Arguments.of("2030-01-01T00:00:00.123456789Z", "2030-01-01T00:00:00.123456789Z"),
                Arguments.of("2030-01-01T02:00:00+02:00", "2030-01-01T00:00:00Z"),
                Arguments.of("2029-12-31T10:00:00-14:00", "2030-01-01T00:00:00Z"),
                Arguments.of("2030-01-01T14:00:00+14:00", "2030-01-01T00:00:00Z"),
                Arguments.of("2030-01-01T00:00:00-00:00", "2030-01-01T00:00:00Z"),
                Arguments.of("2028-02-29T00:00:00Z", "2028-02-29T00:00:00Z"),
                Arguments.of("0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"),
                Arguments.of("9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z"));
    }

    /** Date strings we refuse, each with the reason (the case name). */
    static Stream<Arguments> invalidDates() {
        return Stream.of(
                Arguments.of("no seconds (the HTTP 500 reproducer)", "\"2030-01-01T00:00Z\""),
                Arguments.of("no offset", "\"2030-01-01T00:00:00\""),
                Arguments.of("lowercase t and z", "\"2030-01-01t00:00:00z\""),
                Arguments.of("lowercase z", "\"2030-01-01T00:00:00z\""),
                Arguments.of("lowercase t", "\"2030-01-01t00:00:00Z\""),
                Arguments.of("leap second", "\"2016-12-31T23:59:60Z\""),
                Arguments.of("hour 24", "\"2030-01-01T24:00:00Z\""),
                Arguments.of("year 10000", "\"10000-01-01T00:00:00Z\""),
                Arguments.of("year 0000", "\"0000-01-01T00:00:00Z\""),
                Arguments.of("signed year", "\"+2030-01-01T00:00:00Z\""),
                Arguments.of("negative year", "\"-2030-01-01T00:00:00Z\""),
                Arguments.of("ten fractional digits", "\"2030-01-01T00:00:00.1234567890Z\""),
                Arguments.of("empty fraction", "\"2030-01-01T00:00:00.Z\""),
                Arguments.of("February 30", "\"2030-02-30T00:00:00Z\""),
                Arguments.of("February 29 of a common year", "\"2029-02-29T00:00:00Z\""),
                Arguments.of("month 13", "\"2030-13-01T00:00:00Z\""),
                Arguments.of("offset +15:00", "\"2030-01-01T00:00:00+15:00\""),
                Arguments.of("offset +14:01", "\"2030-01-01T00:00:00+14:01\""),
                Arguments.of("offset minutes 60", "\"2030-01-01T00:00:00+01:60\""),
                Arguments.of("offset without minutes", "\"2030-01-01T00:00:00+02\""),
                Arguments.of("space instead of T", "\"2030-01-01 00:00:00Z\""),
                Arguments.of("date only", "\"2030-01-01\""),
                Arguments.of("epoch seconds as a string", "\"1700000000\""),
                Arguments.of("RFC 1123", "\"Tue, 01 Jan 2030 00:00:00 GMT\""),
                Arguments.of("non-ASCII digits", "\"\u0662\u0660\u0663\u0660-01-01T00:00:00Z\""),
                Arguments.of("trailing newline", "\"2030-01-01T00:00:00Z\\n\""),
                Arguments.of("empty string", "\"\""),
                Arguments.of("10,000 characters", "\"" + "2".repeat(10_000) + "\""),
                Arguments.of("a number", "1700000000"),
                Arguments.of("JSON null", "null"),
                Arguments.of("an object", "{}"));
    }

    /** NumericDate JSON literals we refuse. */
    static Stream<Arguments> invalidNumericDates() {
        return Stream.of(
                Arguments.of("2^63", "9223372036854775808"),
                Arguments.of("-2^63", "-9223372036854775808"),
                Arguments.of("-2^63 - 1", "-9223372036854775809"),
                Arguments.of("2^64", "18446744073709551616"),
                Arguments.of("1e300", "1e300"),
                Arguments.of("-1", "-1"),
                Arguments.of("string", "\"1700000000\""),
                Arguments.of("1.5", "1.5"),
                Arguments.of("integral value written as a fraction", "1700000000.0"),
                Arguments.of("exponent form", "1.7e9"),
                Arguments.of("year 10000", "253402300800"),
                Arguments.of("JSON null", "null"),
                Arguments.of("boolean", "true"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validDates")
    void parseDateTimeStamp_validForm_givesTheInstant(String input, String expected) {
        assertEquals(Instant.parse(expected), Timestamps.parseDateTimeStamp(input, "/validFrom"));
    }

    @Test
    void format_roundTripsThroughTheParser() {
        for (Instant i : List.of(NOW, NOW.plusNanos(1), Instant.parse("0001-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999Z"))) {
            assertEquals(i, Timestamps.parseDateTimeStamp(Timestamps.format(i), "/x"));
        }
        assertThrows(IllegalArgumentException.class, () -> Timestamps.format(Instant.parse("+10000-01-01T00:00:00Z")));
        assertThrows(IllegalArgumentException.class, () -> Timestamps.toNumericDate(Instant.parse("1969-12-31T23:59:59Z")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidDates")
    void credentialDates_invalidForm_failWithMalformedValueAtTheProperty(String name, String literal) {
        for (String property : List.of("validFrom", "validUntil")) {
            ObjectNode doc = credential();
            doc.remove(List.of("validFrom", "validUntil"));
            assertMalformed("/" + property, () -> Credential.of(with(doc, property, literal)));
        }
        ObjectNode vc11 = JsonCodec.objectNode();
        vc11.putArray("@context").add("https://www.w3.org/2018/credentials/v1");
        vc11.putArray("type").add("VerifiableCredential");
        vc11.put("issuer", issuer.toString());
        vc11.putObject("credentialSubject").put("id", agent.toString());
        assertMalformed("/issuanceDate", () -> Credential.of(with(vc11, "issuanceDate", literal)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validDates")
    void credentialDates_validForm_areRead(String input, String expected) {
        ObjectNode doc = credential();
        doc.remove("validUntil");
        doc.put("validFrom", input);
        assertEquals(Optional.of(Instant.parse(expected)), Credential.of(doc).validFrom());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidDates")
    void dataIntegrityProofDates_invalidForm_failWithProofVerificationErrorAtTheProperty(String name, String literal) {
        ObjectNode signed = presentationWithProof();
        for (String property : List.of("created", "expires")) {
            ObjectNode altered = signed.deepCopy();
            altered.set("proof", with((ObjectNode) signed.get("proof"), property, literal));
            assertProblem(ProblemType.PROOF_VERIFICATION_ERROR, "/proof/" + property, () -> DataIntegrity.verify(altered, resolver,
                    DataIntegrity.Expectations.authentication("c-1", "verifier.example", CLOCK), BundledContexts.standard()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validDates")
    void dataIntegrityProofDates_validForm_passTheParserAndReachTheSignatureCheck(String input, String expected) {
        ObjectNode altered = presentationWithProof();
        ((ObjectNode) altered.get("proof")).put("expires", input);
        ProblemException e = assertThrows(ProblemException.class, () -> DataIntegrity.verify(altered, resolver,
                DataIntegrity.Expectations.authentication("c-1", "verifier.example", Clock.fixed(Instant.parse("0001-01-01T00:00:00Z"),
                        ZoneOffset.UTC)), BundledContexts.standard()));
        // the clock is at year 0001, so every valid expiry is in the future and the altered proof fails on its signature
        assertEquals(ProblemType.PROOF_VERIFICATION_ERROR, e.type(), e.getMessage());
    }

    @Test
    void dataIntegrityProof_expiresWithoutSeconds_isATyped400NotInternalError() {
        // defect 7: this value passed the proof check and then failed as INTERNAL_ERROR (HTTP 500) in the next
        ObjectNode altered = presentationWithProof();
        ((ObjectNode) altered.get("proof")).put("expires", "2030-01-01T00:00Z");
        ProblemException e = assertProblem(ProblemType.PROOF_VERIFICATION_ERROR, "/proof/expires", () -> DataIntegrity.verify(altered, resolver,
                DataIntegrity.Expectations.authentication("c-1", "verifier.example", CLOCK), BundledContexts.standard()));
        assertEquals(400, e.problem().type().status());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidDates")
    void vcJwtCredentialDates_invalidForm_failWithMalformedValueAtTheProperty(String name, String literal) {
        ObjectNode doc = credential();
        doc.remove("validUntil");
        String vcJwt = signRaw(issuerKey, JwsHeader.of(issuerKid.toString(), "vc+jwt"), doc, "validFrom", literal);
        assertMalformed("/validFrom", () -> VcJose.verifyCredential(vcJwt, resolver, options()));
        String vp = vpJwt(List.of(vcJwt), "exp", Long.toString(NOW.plusSeconds(60).getEpochSecond()));
        assertMalformed("/verifiableCredential/0/validFrom", () -> VcJose.verifyPresentation(vp, resolver, options(), "n-1", "aud"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidNumericDates")
    void vcJwtNumericDates_invalid_failWithMalformedValueAtTheClaim(String name, String literal) {
        for (String claim : List.of("iat", "nbf", "exp")) {
            ObjectNode doc = credential();
            String vcJwt = signRaw(issuerKey, JwsHeader.of(issuerKid.toString(), "vc+jwt"), doc, claim, literal);
            assertMalformed("/" + claim, () -> VcJose.verifyCredential(vcJwt, resolver, options()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidNumericDates")
    void vpJwtNumericDates_invalid_failWithMalformedValueAtTheClaim(String name, String literal) {
        String vcJwt = VcJose.secureCredential(credential(), issuerKey, issuerKid, NOW);
        for (String claim : List.of("iat", "nbf", "exp")) {
            String vp = vpJwt(List.of(vcJwt), claim, literal);
            assertMalformed("/" + claim, () -> VcJose.verifyPresentation(vp, resolver, options(), "n-1", "aud"));
        }
    }

    @Test
    void numericDate_boundsAndExactValues() {
        ObjectNode p = JsonCodec.objectNode();
        p.put("exp", 0);
        assertEquals(Optional.of(Instant.EPOCH), Timestamps.numericDate(p, "exp"));
        p.put("exp", Timestamps.MAX_NUMERIC_DATE);
        assertEquals(Optional.of(Instant.parse("9999-12-31T23:59:59Z")), Timestamps.numericDate(p, "exp"));
        assertEquals(Optional.empty(), Timestamps.numericDate(p, "nbf"));
        String vcJwt = VcJose.secureCredential(credential(), issuerKey, issuerKid, NOW);
        String vp = vpJwt(List.of(vcJwt), "exp", Long.toString(NOW.plusSeconds(60).getEpochSecond()));
        assertEquals(NOW.plusSeconds(60), VcJose.verifyPresentation(vp, resolver, options(), "n-1", "aud").expires());
    }

    private static JoseOptions options() {
        return JoseOptions.strict(CLOCK, Duration.ofSeconds(60)).acceptingVc11();
    }

    private ObjectNode credential() {
        AgentClaims claims = new AgentClaims(agent, "agent", issuer, "ACME", new AgentClaims.Operator("Ops", Optional.empty()),
                Set.of("supplier:lookup"), AgentClaims.Constraints.none(), AgentClaims.Delegation.none());
        return claims.credential(URI.create("urn:uuid:1"), NOW.minusSeconds(300), NOW.plusSeconds(3300), List.of());
    }

    private ObjectNode presentationWithProof() {
        ObjectNode vp = JsonCodec.objectNode();
        vp.putArray("@context").add("https://www.w3.org/ns/credentials/v2");
        vp.put("type", "VerifiablePresentation");
        vp.put("holder", agent.toString());
        return DataIntegrity.sign(vp, agentKey, ProofOptions.authentication("eddsa-rdfc-2022", agentKid, NOW, NOW.plusSeconds(120),
                "c-1", "verifier.example"), BundledContexts.standard());
    }

    /** A vp+jwt from the agent carrying {@code vcJwts}, whose {@code claim} is the raw JSON {@code literal}. */
    private String vpJwt(List<String> vcJwts, String claim, String literal) {
        ObjectNode payload = VcJose.presentationOf(vcJwts);
        payload.put("holder", agent.toString()).put("nonce", "n-1").put("aud", "aud").put("jti", "urn:uuid:p")
                .put("iat", NOW.getEpochSecond()).put("exp", NOW.plusSeconds(60).getEpochSecond());
        return signRaw(agentKey, JwsHeader.of(agentKid.toString(), "vp+jwt"), payload, claim, literal);
    }

    /** {@code doc} as JSON text with {@code name} set to the raw JSON {@code literal}, so 2^63 and 1e300 stay as written. */
    private static String json(ObjectNode doc, String name, String literal) {
        ObjectNode copy = doc.deepCopy();
        copy.put(name, MARKER);
        return new String(JsonCodec.write(copy), StandardCharsets.UTF_8).replace("\"" + MARKER + "\"", literal);
    }

    private static ObjectNode with(ObjectNode doc, String name, String literal) {
        return (ObjectNode) JsonCodec.parse(json(doc, name, literal).getBytes(StandardCharsets.UTF_8));
    }

    private static String signRaw(KeyPair key, JwsHeader header, ObjectNode payload, String name, String literal) {
        return CompactJws.sign(key, header, json(payload, name, literal).getBytes(StandardCharsets.UTF_8));
    }

    private static ProblemException assertMalformed(String pointer, Executable call) {
        return assertProblem(ProblemType.MALFORMED_VALUE_ERROR, pointer, call);
    }

    private static ProblemException assertProblem(ProblemType type, String pointer, Executable call) {
        ProblemException e = assertThrows(ProblemException.class, call);
        Problem p = e.problem();
        assertEquals(type, p.type(), e.getMessage());
        assertEquals(Optional.of(pointer), p.pointer(), e.getMessage());
        assertNotEquals(500, p.type().status());
        return e;
    }
}
