package dev.tabard.vectors.vcdm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.Base64Url;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.crypto.VerificationKey;
import dev.tabard.did.Did;
import dev.tabard.did.DidUrl;
import dev.tabard.did.jwk.JwkDidResolver;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.Credential;
import dev.tabard.vc.Presentation;
import dev.tabard.vc.jose.CompactJws;
import dev.tabard.vc.jose.VerifiedJws;
import dev.tabard.vc.jose.EnvelopedCredential;
import dev.tabard.vc.jose.JoseOptions;
import dev.tabard.vc.jose.VcJose;
import dev.tabard.vectors.Vectors;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The JOSE cases of the W3C VC-JOSE-COSE test suite (w3c/vc-jose-cose-test-suite ff6be51d, tests/test-mapping.js as
 * JSON). Our profile is stricter than the suite in three documented ways, so each case has an expected outcome of
 * ours next to the suite's:
 * <ul>
 *   <li>only Ed25519, P-256 and P-384 are on the algorithm allow-list: the P-521 cases are refused;</li>
 *   <li>only {@code vc+jwt} credentials are enveloped: the presentation of case 7 (ES384, which verifies) also carries
 *       {@code vc+sd-jwt} and {@code vc+cose} credentials, which are refused;</li>
 *   <li>a {@code kid} must be a DID URL naming a verification method of the issuer (holder): the suite's kids are bare
 *       JWK thumbprints with an https issuer, so {@link VcJose} refuses them at the kid, and the rest of the token is
 *       checked with the suite's key (signature, then the data model and enveloped credentials);</li>
 *   <li>issuing needs a DID: the suite's key is used as a did:jwk issuer (holder), and the result verifies end to end.</li>
 * </ul>
 * The suite's credential tokens carry {@code iat} as a date string, which RFC 7519 NumericDate forbids; {@link VcJose}
 * would refuse that ({@code MALFORMED_VALUE_ERROR} at {@code /iat}) once past the kid, so times are not part of the keyed check.
 * SD-JWT and COSE cases are out of scope (Tabard secures with JOSE and Data Integrity only) and are only counted.
 */
class JoseCoseSuiteTest {

    private static final String DIR = "w3c-vc-jose-cose-test-suite/tests/";
    private static final String OK = "ok";
    /** Where both agree the suite says failure; marked cases are our documented deviations from a suite success. */
    private static final Map<Integer, String> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put(1, OK);
        EXPECTED.put(2, OK);
        EXPECTED.put(3, OK);
        EXPECTED.put(4, ProblemType.INVALID_VERIFICATION_METHOD.name() + " (P-521 refused)");
        EXPECTED.put(5, ProblemType.INVALID_VERIFICATION_METHOD.name() + " (P-521 refused)");
        EXPECTED.put(6, OK);
        EXPECTED.put(7, ProblemType.MALFORMED_VALUE_ERROR.name() + " (the ES384 signature verifies; vc+sd-jwt and vc+cose envelopes refused)");
        EXPECTED.put(8, OK);
        EXPECTED.put(9, ProblemType.ALGORITHM_NOT_ALLOWED.name() + " (ES512 does not fit the Ed25519 key)");
        EXPECTED.put(10, ProblemType.PARSING_ERROR.name());
        EXPECTED.put(11, ProblemType.PARSING_ERROR.name());
        EXPECTED.put(12, ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR.name());
        EXPECTED.put(13, ProblemType.MALFORMED_VALUE_ERROR.name());
        EXPECTED.put(14, ProblemType.MALFORMED_VALUE_ERROR.name());
        EXPECTED.put(15, ProblemType.MALFORMED_VALUE_ERROR.name());
        EXPECTED.put(16, ProblemType.MALFORMED_VALUE_ERROR.name());
    }

    private static final JoseOptions OPTIONS = JoseOptions.strict(
            Clock.fixed(Instant.parse("2024-12-16T00:00:00Z"), ZoneOffset.UTC), Duration.ofSeconds(60));

    @Test
    void joseCases() {
        JsonNode mapping = Vectors.json(DIR + "test-mapping.json").get("suites");
        int cases = 0;
        int asExpected = 0;
        int agreeWithSuite = 0;
        List<String> mismatches = new ArrayList<>();
        for (JsonNode c : mapping.get("JOSETestMapping")) {
            int number = c.get("number").asInt();
            String outcome = run(c);
            String expected = EXPECTED.get(number);
            cases++;
            if (expected.startsWith(outcome)) {
                asExpected++;
            } else {
                mismatches.add(c.get("name").asText() + ": expected " + expected + ", got " + outcome);
            }
            boolean suiteSuccess = c.get("expected_result").asText().equals("success");
            if (suiteSuccess == outcome.equals(OK)) {
                agreeWithSuite++;
            }
        }
        Vectors.report("w3c vc-jose-cose JOSE (ours: Ed25519/P-256/P-384, DID kids)", cases, asExpected);
        System.out.printf("[vectors] w3c vc-jose-cose JOSE: %d of %d agree with the suite's success/failure;"
                + " the other 2 are a P-521 success we refuse and a presentation carrying SD-JWT and COSE credentials%n",
                agreeWithSuite, cases);
        int other = mapping.get("SDJWTTestMapping").size() + mapping.get("COSETestMapping").size();
        System.out.printf("[vectors] w3c vc-jose-cose SD-JWT and COSE: %d cases not applicable (formats Tabard does not use)%n", other);
        assertEquals(List.of(), mismatches);
        assertEquals(16, cases);
        assertEquals(14, agreeWithSuite);
        assertEquals(19, other);
    }

    private static String run(JsonNode c) {
        try {
            JsonNode vm = Vectors.json(DIR + "input/" + c.get("key_file").asText());
            String input = new String(Vectors.bytes(DIR + "input/" + c.get("input_file").asText()), StandardCharsets.UTF_8).strip();
            boolean presentation = c.get("feature").asText().startsWith("presentation");
            if (c.get("fn").asText().equals("issue")) {
                issue(vm, (ObjectNode) Vectors.json(DIR + "input/" + c.get("input_file").asText()), presentation);
            } else {
                verify(vm, input, presentation);
            }
            return OK;
        } catch (ProblemException e) {
            return e.type().name();
        }
    }

    private static void issue(JsonNode vm, ObjectNode doc, boolean presentation) {
        VerificationKey pub = VerificationKey.fromJwk(vm.get("publicKeyJwk"));
        KeyPair pair = KeyPair.fromPrivateKey(pub.type(), Base64Url.decode(vm.get("secretKeyJwk").get("d").asText()), pub);
        Did did = JwkDidResolver.of(pub);
        DidUrl kid = did.withFragment("0");
        JwkDidResolver resolver = new JwkDidResolver(OPTIONS.clock());
        if (presentation) {
            doc.remove("holder");
            String vp = VcJose.securePresentation(doc, pair, kid, "nonce-1", "https://verifier.example", "urn:uuid:vp-1",
                    OPTIONS.clock().instant(), OPTIONS.clock().instant().plusSeconds(300));
            // The suite's enveloped credential is a placeholder (not a verifiable JWT): check the envelope only.
            CompactJws.parse(vp).verify(pub);
            assertEquals(did.toString(), CompactJws.parse(vp).payloadJson().get("holder").asText());
        } else {
            doc.put("issuer", did.toString());
            String vc = VcJose.secureCredential(doc, pair, kid, OPTIONS.clock().instant());
            VcJose.VerifiedCredential v = VcJose.verifyCredential(vc, resolver, OPTIONS);
            assertEquals(doc, v.credential().json());
        }
    }

    private static void verify(JsonNode vm, String token, boolean presentation) {
        JwkDidResolver resolver = new JwkDidResolver(OPTIONS.clock());
        try {
            if (presentation) {
                VcJose.verifyPresentation(token, resolver, OPTIONS, "n", "aud");
            } else {
                VcJose.verifyCredential(token, resolver, OPTIONS);
            }
            throw new AssertionError("a suite token verified with a thumbprint kid");
        } catch (ProblemException e) {
            if (e.type() != ProblemType.INVALID_VERIFICATION_METHOD_URL) {
                throw e;
            }
        }
        // The kid is a bare thumbprint: verify with the suite's key, then the document inside.
        VerificationKey key = VerificationKey.fromJwk(vm.get("publicKeyJwk"));
        VerifiedJws jws = CompactJws.parse(token).verify(key);
        ObjectNode doc = jws.payloadJson().deepCopy();
        for (String claim : new String[] {"iss", "sub", "aud", "exp", "nbf", "iat", "jti", "nonce", "cnf"}) {
            doc.remove(claim);
        }
        if (presentation) {
            for (String url : Presentation.of(doc).envelopedCredentials()) {
                Credential.of(CompactJws.parse(EnvelopedCredential.token(url)).payloadJson());
            }
        } else {
            Credential.of(doc);
        }
    }
}
