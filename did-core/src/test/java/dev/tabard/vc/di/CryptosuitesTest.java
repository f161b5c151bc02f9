package dev.tabard.vc.di;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.DidUrl;
import dev.tabard.did.key.KeyDidResolver;
import dev.tabard.did.key.KeyDids;
import dev.tabard.jsonld.BundledContexts;
import dev.tabard.jsonld.Rdfc;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The ECDSA suites hash with the hash that follows the curve, in RDFC-1.0's blank node labels too. */
class CryptosuitesTest {

    private static final BundledContexts CONTEXTS = BundledContexts.standard();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    /** A credential with several blank nodes, so their canonical labels depend on RDFC's hash. */
    private static ObjectNode credential() {
        return JsonCodec.parseObject("""
            {"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],
             "issuer":{"name":"Issuer A","description":"first"},
             "credentialSubject":[{"name":"Subject B","description":"second"},{"name":"Subject C"},{"description":"D"}],
             "validFrom":"2026-01-01T00:00:00Z"}
            """.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void p384RdfcLabelsWithSha384AndHashesWithSha384() throws Exception {
        ObjectNode doc = credential();
        assertNotEquals(Rdfc.canonicalize(doc, CONTEXTS, "SHA-256"), Rdfc.canonicalize(doc, CONTEXTS, "SHA-384"),
                "the test document must have labels that differ between the two hashes");
        ObjectNode config = JsonCodec.parseObject("""
            {"type":"DataIntegrityProof","cryptosuite":"ecdsa-rdfc-2019","created":"2026-01-01T00:00:00Z",
             "verificationMethod":"did:example:1#k","proofPurpose":"assertionMethod",
             "@context":["https://www.w3.org/ns/credentials/v2"]}
            """.getBytes(StandardCharsets.UTF_8));
        MessageDigest sha384 = MessageDigest.getInstance("SHA-384");
        byte[] expected = Cryptosuites.concat(
                sha384.digest(Rdfc.canonicalize(config, CONTEXTS, "SHA-384").getBytes(StandardCharsets.UTF_8)),
                sha384.digest(Rdfc.canonicalize(doc, CONTEXTS, "SHA-384").getBytes(StandardCharsets.UTF_8)));
        byte[] hashData = Cryptosuites.byName("ecdsa-rdfc-2019", KeyType.P384).orElseThrow().hashData(doc, config, CONTEXTS);
        assertEquals(96, hashData.length);
        assertArrayEquals(expected, hashData);
        assertEquals(64, Cryptosuites.byName("ecdsa-rdfc-2019", KeyType.P256).orElseThrow().hashData(doc, config, CONTEXTS).length);
        assertEquals(96, Cryptosuites.byName("ecdsa-jcs-2019", KeyType.P384).orElseThrow().hashData(doc, config, CONTEXTS).length);
    }

    @ParameterizedTest
    @EnumSource(value = KeyType.class, names = {"P256", "P384"})
    void ecdsaSuitesSignAndVerifyOnBothCurves(KeyType type) {
        KeyPair key = KeyPair.generate(type, RANDOM);
        DidUrl vm = KeyDids.methodId(key.publicKey());
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        for (String suite : new String[] {"ecdsa-rdfc-2019", "ecdsa-jcs-2019"}) {
            ObjectNode signed = DataIntegrity.sign(credential(), key, ProofOptions.assertion(suite, vm, NOW), CONTEXTS);
            var proofs = DataIntegrity.verify(signed, new KeyDidResolver(), DataIntegrity.Expectations.assertion(clock), CONTEXTS);
            assertEquals(type, proofs.get(0).method().key().type());
            assertEquals(suite, proofs.get(0).cryptosuite());
        }
    }

    @Test
    void aSuiteOnAKeyTypeItDoesNotUseIsRefused() {
        KeyPair ed = KeyPair.generate(KeyType.ED25519, RANDOM);
        assertTrue(Cryptosuites.byName("ecdsa-rdfc-2019", KeyType.ED25519).isEmpty());
        assertTrue(Cryptosuites.byName("eddsa-rdfc-2022", KeyType.P384).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> DataIntegrity.sign(credential(), ed,
                ProofOptions.assertion("ecdsa-rdfc-2019", KeyDids.methodId(ed.publicKey()), NOW), CONTEXTS));
        // a proof naming ecdsa-jcs-2019 whose verification method is an Ed25519 key
        KeyPair p384 = KeyPair.generate(KeyType.P384, RANDOM);
        ObjectNode signed = DataIntegrity.sign(credential(), p384,
                ProofOptions.assertion("ecdsa-jcs-2019", KeyDids.methodId(p384.publicKey()), NOW), CONTEXTS);
        ((ObjectNode) signed.get("proof")).put("verificationMethod", KeyDids.methodId(ed.publicKey()).toString());
        ProblemException e = assertThrows(ProblemException.class, () -> DataIntegrity.verify(signed, new KeyDidResolver(),
                DataIntegrity.Expectations.assertion(Clock.fixed(NOW, ZoneOffset.UTC)), CONTEXTS));
        assertEquals(ProblemType.PROOF_VERIFICATION_ERROR, e.type());
        assertTrue(e.problem().detail().contains("ecdsa-jcs-2019 needs a P-256 or P-384 key"), e.problem().detail());
        assertTrue(e.problem().detail().contains("is Ed25519"), e.problem().detail());
    }
}
