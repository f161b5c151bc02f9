package dev.tabard.vectors.wycheproof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.crypto.KeyType;
import dev.tabard.crypto.SignatureVerifier;
import dev.tabard.crypto.VerificationKey;
import dev.tabard.crypto.internal.Ecdsa;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vectors.Vectors;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Wycheproof (C2SP, commit dac1dd47) signature vectors through Tabard's own verify paths. A key the import
 * refuses counts as a rejection of each of its group's signatures; every vector must end as Wycheproof
 * says ({@code valid} accepted, {@code invalid} rejected — the files hold no {@code acceptable}, and one would count
 * as a mismatch). P-256 with SHA-256 and P-384 with SHA-384, each in the P1363 form JWS and Data Integrity use
 * (through {@link VerificationKey}) and in DER (through the same validated point).
 */
class WycheproofSignatureTest {

    private static final String DIR = "wycheproof/testvectors_v1/";

    @Test
    void ed25519() {
        JsonNode file = Vectors.json(DIR + "ed25519_test.json");
        Tally tally = new Tally();
        for (JsonNode group : file.get("testGroups")) {
            SignatureVerifier verifier = importKey(() -> VerificationKey.of(KeyType.ED25519,
                    Vectors.hex(group.get("publicKey").get("pk").asText())).verifier());
            for (JsonNode test : group.get("tests")) {
                tally.check(test, verifier, test.get("sig").asText());
            }
        }
        tally.finish("wycheproof ed25519", 151);
    }

    @Test
    void ecdsaP256Sha256P1363() {
        p1363(KeyType.P256, "ecdsa_secp256r1_sha256_p1363_test.json", "wycheproof ecdsa p256 sha256 p1363", 262);
    }

    @Test
    void ecdsaP256Sha256Der() {
        der(KeyType.P256, Ecdsa.P256, "ecdsa_secp256r1_sha256_test.json", "wycheproof ecdsa p256 sha256 der", 484);
    }

    @Test
    void ecdsaP384Sha384P1363() {
        p1363(KeyType.P384, "ecdsa_secp384r1_sha384_p1363_test.json", "wycheproof ecdsa p384 sha384 p1363", 280);
    }

    @Test
    void ecdsaP384Sha384Der() {
        der(KeyType.P384, Ecdsa.P384, "ecdsa_secp384r1_sha384_test.json", "wycheproof ecdsa p384 sha384 der", 504);
    }

    private static void p1363(KeyType type, String name, String suite, int expectedCases) {
        JsonNode file = Vectors.json(DIR + name);
        Tally tally = new Tally();
        for (JsonNode group : file.get("testGroups")) {
            SignatureVerifier verifier = importKey(() -> VerificationKey.of(type,
                    Vectors.hex(group.get("publicKey").get("uncompressed").asText())).verifier());
            for (JsonNode test : group.get("tests")) {
                tally.check(test, verifier, test.get("sig").asText());
            }
        }
        tally.finish(suite, expectedCases);
    }

    private static void der(KeyType type, Ecdsa curve, String name, String suite, int expectedCases) {
        JsonNode file = Vectors.json(DIR + name);
        Tally tally = new Tally();
        for (JsonNode group : file.get("testGroups")) {
            SignatureVerifier verifier = importKey(() -> {
                VerificationKey key = VerificationKey.of(type,
                        Vectors.hex(group.get("publicKey").get("uncompressed").asText()));
                Ecdsa.PublicKey point = curve.publicKey(key.publicKey().toByteArray());
                return (SignatureVerifier) (message, der) -> curve.verifyDer(point, message, der);
            });
            for (JsonNode test : group.get("tests")) {
                tally.check(test, verifier, test.get("sig").asText());
            }
        }
        tally.finish(suite, expectedCases);
    }

    private interface KeyImport {
        SignatureVerifier load();
    }

    private static SignatureVerifier importKey(KeyImport importer) {
        try {
            return importer.load();
        } catch (ProblemException e) {
            assertEquals(ProblemType.INVALID_VERIFICATION_METHOD, e.type(), e.getMessage());
            return null;
        }
    }

    static final class Tally {
        int cases;
        int asExpected;
        final List<String> mismatches = new ArrayList<>();

        void check(JsonNode test, SignatureVerifier verifier, String sigHex) {
            cases++;
            String expected = test.get("result").asText();
            boolean accepted = false;
            if (verifier != null) {
                try {
                    verifier.verify(Vectors.hex(test.get("msg").asText()), Vectors.hex(sigHex));
                    accepted = true;
                } catch (ProblemException e) {
                    assertEquals(ProblemType.CRYPTOGRAPHIC_SECURITY_ERROR, e.type(),
                            "tcId " + test.get("tcId") + ": " + e.getMessage());
                }
            }
            if (accepted == expected.equals("valid") && !expected.equals("acceptable")) {
                asExpected++;
            } else {
                mismatches.add("tcId " + test.get("tcId") + " (" + test.get("comment").asText() + "): expected "
                        + expected + ", " + (accepted ? "accepted" : "rejected"));
            }
        }

        void finish(String suite, int expectedCases) {
            Vectors.report(suite, cases, asExpected);
            assertEquals(expectedCases, cases, "vector count");
            assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
        }
    }
}
