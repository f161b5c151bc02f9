package dev.tabard.vectors.ecdsa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.Base58Btc;
import dev.tabard.codec.Multibase;
import dev.tabard.codec.Multicodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.crypto.VerificationKey;
import dev.tabard.did.DidUrl;
import dev.tabard.did.key.KeyDidResolver;
import dev.tabard.jsonld.BundledContexts;
import dev.tabard.jsonld.Rdfc;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.di.DataIntegrity;
import dev.tabard.vc.di.Jcs;
import dev.tabard.vc.di.ProofOptions;
import dev.tabard.vectors.Vectors;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The P-384 test vectors of the W3C ECDSA Data Integrity spec (w3c/vc-di-ecdsa 00781de5, {@code ecdsa-rdfc-2019-p384}
 * and {@code ecdsa-jcs-2019-p384}), reproduced byte for byte: canonical document and proof configuration (RDFC-1.0
 * labelling blank nodes with SHA-384), both SHA-384 hashes, the combined hash, the RFC 6979 signature and the signed
 * document; then the published signed document verifies through did:key, and a tampered copy does not.
 */
class EcdsaP384VectorsTest {

    private static final String BASE = "w3c-vc-di-ecdsa/TestVectors/";
    private static final String EXAMPLES_V2 = "https://www.w3.org/ns/credentials/examples/v2";
    private static final BundledContexts CONTEXTS = BundledContexts.standard()
            .with(EXAMPLES_V2, Vectors.bytes("w3c-vc-data-model/contexts/credentials/examples/v2"));
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "ecdsa-rdfc-2019, ecdsa-rdfc-2019-p384/, ECDSAP384, rdfc",
        "ecdsa-jcs-2019, ecdsa-jcs-2019-p384/, JCSECDSAP384, jcs"
    })
    void reproducesByteForByte(String suite, String dir, String suffix, String canon) throws Exception {
        KeyPair key = p384KeyPair();
        ObjectNode unsigned = (ObjectNode) Vectors.json(BASE + "unsigned.json");
        ObjectNode config = (ObjectNode) Vectors.json(BASE + dir + "proofConfig" + suffix + ".json");
        String canonDoc = canon.equals("rdfc") ? Rdfc.canonicalize(unsigned, CONTEXTS, "SHA-384")
                : new String(Jcs.canonicalize(unsigned), StandardCharsets.UTF_8);
        String canonProof = canon.equals("rdfc") ? Rdfc.canonicalize(config, CONTEXTS, "SHA-384")
                : new String(Jcs.canonicalize(config), StandardCharsets.UTF_8);
        assertEquals(text(BASE + dir + "canonDoc" + suffix + ".txt"), canonDoc.strip());
        assertEquals(text(BASE + dir + "proofCanon" + suffix + ".txt"), canonProof.strip());
        checkHashesAndSignature(key, BASE + dir, suffix, canonDoc, canonProof);

        ProofOptions options = ProofOptions.assertion(suite, DidUrl.parse(config.get("verificationMethod").asText()),
                Instant.parse(config.get("created").asText()));
        ObjectNode signed = DataIntegrity.sign(unsigned, key, options, CONTEXTS);
        ObjectNode published = (ObjectNode) Vectors.json(BASE + dir + "signed" + suffix + ".json");
        assertEquals(published, signed);

        var verified = DataIntegrity.verify(published, new KeyDidResolver(), DataIntegrity.Expectations.assertion(CLOCK), CONTEXTS);
        assertEquals(KeyType.P384, verified.get(0).method().key().type());
        assertEquals(key.publicKey(), verified.get(0).method().key());
        ObjectNode tampered = published.deepCopy();
        ((ObjectNode) tampered.get("credentialSubject")).put("alumniOf", "Another School");
        assertEquals(ProblemType.PROOF_VERIFICATION_ERROR, refused(tampered));
        Vectors.report("w3c " + suite + " P-384 (canonical forms, hashes, signature, signed document, verify, tamper)", 10, 10);
    }

    /**
     * The "employ" variant uses the citizenship context, which is not bundled here, so it is checked from its published
     * canonical forms: relabelling the P-256 vector's canonical N-Quads with SHA-384 gives exactly the P-384 vector's
     * (the blank node order differs between the two), and the hashes and signature follow.
     */
    @Test
    void employVariantLabelsBlankNodesWithSha384() throws Exception {
        String dir = BASE + "ecdsa-rdfc-2019-p384/employ/";
        String p256Canonical = text(BASE + "ecdsa-rdfc-2019-p256/employ/canonDocECDSAP256.txt") + "\n";
        String p384Canonical = text(dir + "canonDocECDSAP384.txt") + "\n";
        assertNotEquals(p256Canonical, p384Canonical);
        assertEquals(p384Canonical, Rdfc.canonicalizeNQuads(p256Canonical, "SHA-384", Rdfc.DEFAULT_BUDGET).nquads());
        assertEquals(p256Canonical, Rdfc.canonicalizeNQuads(p384Canonical, "SHA-256", Rdfc.DEFAULT_BUDGET).nquads());
        checkHashesAndSignature(p384KeyPair(), dir, "ECDSAP384", p384Canonical, text(dir + "proofCanonECDSAP384.txt") + "\n");
        Vectors.report("w3c ecdsa-rdfc-2019 P-384 employ (relabelling, hashes, signature)", 6, 6);
    }

    /** A P-384 proof made over SHA-256 hashes (the P-256 recipe) is refused: the hash follows the curve. */
    @Test
    void aP384ProofOverSha256HashesIsRefused() throws Exception {
        KeyPair key = p384KeyPair();
        ObjectNode published = (ObjectNode) Vectors.json(BASE + "ecdsa-jcs-2019-p384/signedJCSECDSAP384.json");
        ObjectNode unsecured = published.deepCopy();
        ObjectNode proof = (ObjectNode) unsecured.remove("proof");
        ObjectNode config = proof.deepCopy();
        config.remove("proofValue");
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        byte[] proofHash = sha256.digest(Jcs.canonicalize(config));
        byte[] docHash = sha256.digest(Jcs.canonicalize(unsecured));
        byte[] combined = new byte[64];
        System.arraycopy(proofHash, 0, combined, 0, 32);
        System.arraycopy(docHash, 0, combined, 32, 32);
        ObjectNode forged = published.deepCopy();
        ((ObjectNode) forged.get("proof")).put("proofValue", "z" + Base58Btc.encode(key.sign(combined)));
        assertEquals(ProblemType.PROOF_VERIFICATION_ERROR, refused(forged));
        // a P-256 signature under the P-384 verification method is refused too
        ObjectNode wrongCurve = published.deepCopy();
        ((ObjectNode) wrongCurve.get("proof")).put("proofValue",
                "z" + Base58Btc.encode(KeyPair.generate(KeyType.P256, new java.security.SecureRandom()).sign(combined)));
        assertEquals(ProblemType.PROOF_VERIFICATION_ERROR, refused(wrongCurve));
    }

    private static ProblemType refused(ObjectNode document) {
        return assertThrows(ProblemException.class, () -> DataIntegrity.verify(document, new KeyDidResolver(),
                DataIntegrity.Expectations.assertion(CLOCK), CONTEXTS)).type();
    }

    /** docHash, proofHash, combined hash (SHA-384), signature hex and base58 — and the signature verifies. */
    private static void checkHashesAndSignature(KeyPair key, String dir, String suffix, String canonDoc, String canonProof)
            throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-384");
        byte[] docHash = sha.digest(canonDoc.getBytes(StandardCharsets.UTF_8));
        byte[] proofHash = sha.digest(canonProof.getBytes(StandardCharsets.UTF_8));
        assertEquals(text(dir + "docHash" + suffix + ".txt"), HexFormat.of().formatHex(docHash));
        assertEquals(text(dir + "proofHash" + suffix + ".txt"), HexFormat.of().formatHex(proofHash));
        byte[] combined = new byte[96];
        System.arraycopy(proofHash, 0, combined, 0, 48);
        System.arraycopy(docHash, 0, combined, 48, 48);
        assertEquals(text(dir + "combinedHash" + suffix + ".txt"), HexFormat.of().formatHex(combined));
        byte[] sig = key.sign(combined);
        assertEquals(text(dir + "sigHex" + suffix + ".txt"), HexFormat.of().formatHex(sig));
        assertEquals(text(dir + "sigBTC58" + suffix + ".txt"), "z" + Base58Btc.encode(sig));
        key.publicKey().verifier().verify(combined, sig);
    }

    private static KeyPair p384KeyPair() {
        JsonNode file = Vectors.json(BASE + "p384KeyPair.json");
        Multicodec.Decoded secret = Multicodec.decode(Multibase.decode(file.get("secretKeyMultibase").asText()));
        assertEquals(Multicodec.P384_PRIV, secret.codec());
        VerificationKey expected = VerificationKey.fromMultibase(file.get("publicKeyMultibase").asText());
        assertEquals(KeyType.P384, expected.type());
        return KeyPair.fromPrivateKey(KeyType.P384, secret.raw(), expected);
    }

    private static String text(String path) {
        return new String(Vectors.bytes(path), StandardCharsets.UTF_8).strip();
    }
}
