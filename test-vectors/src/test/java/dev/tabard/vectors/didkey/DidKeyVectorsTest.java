package dev.tabard.vectors.didkey;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.codec.Base58Btc;
import dev.tabard.codec.Base64Url;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.crypto.VerificationKey;
import dev.tabard.did.Did;
import dev.tabard.did.DidDocument;
import dev.tabard.did.Relationship;
import dev.tabard.did.key.KeyDidResolver;
import dev.tabard.did.key.KeyDids;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vectors.Vectors;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The did:key vectors of w3c-ccg/did-method-key (commit f5abee84). They show legacy verification-method
 * types, so they are used for the mapping only (SPEC-NOTES §3): seed → key → DID, DID → key bytes and
 * JWK, and which key types Tabard refuses.
 */
class DidKeyVectorsTest {

    private static final String DIR = "w3c-ccg-did-key/test-vectors/";

    @Test
    void ed25519SeedsGiveTheirDids() {
        JsonNode file = Vectors.json(DIR + "ed25519-x25519.json");
        int cases = 0;
        int ok = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = file.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            cases++;
            Did did = Did.parse(e.getKey());
            KeyPair key = KeyPair.fromPrivateKey(KeyType.ED25519, Vectors.hex(e.getValue().get("seed").asText()));
            assertEquals(did, KeyDids.of(key.publicKey()));
            VerificationKey resolved = KeyDids.key(did);
            JsonNode vm = e.getValue().get("verificationKeyPair");
            if (vm.has("publicKeyJwk")) {
                assertEquals(resolved, VerificationKey.fromJwk(vm.get("publicKeyJwk")));
            } else {
                assertArrayEquals(Base58Btc.decode(vm.get("publicKeyBase58").asText()), resolved.publicKey().toByteArray());
            }
            DidDocument doc = new KeyDidResolver().resolve(did).document();
            for (Relationship r : new Relationship[] {Relationship.AUTHENTICATION, Relationship.ASSERTION_METHOD,
                    Relationship.CAPABILITY_INVOCATION, Relationship.CAPABILITY_DELEGATION}) {
                assertEquals(resolved, doc.authorize(KeyDids.methodId(resolved), r).key());
            }
            ok++;
        }
        Vectors.report("did:key ed25519 seeds", cases, ok);
        assertEquals(5, cases);
    }

    @Test
    void p256AndP384DidsGiveTheirJwks() {
        JsonNode file = Vectors.json(DIR + "nist-curves.json");
        int p256 = 0;
        int p384 = 0;
        int refused = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = file.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Did did = Did.parse(e.getKey());
            JsonNode vm = e.getValue().get("verificationMethod");
            String crv = vm.has("publicKeyJwk") ? vm.get("publicKeyJwk").get("crv").asText()
                    : e.getKey().startsWith("did:key:zDna") ? "P-256" : "?";
            KeyType type = crv.equals("P-256") ? KeyType.P256 : crv.equals("P-384") ? KeyType.P384 : null;
            if (type != null) {
                if (type == KeyType.P256) {
                    p256++;
                } else {
                    p384++;
                }
                VerificationKey key = KeyDids.key(did);
                assertEquals(type, key.type());
                assertEquals(did, KeyDids.of(key));
                if (vm.has("publicKeyJwk")) {
                    JsonNode jwk = vm.get("publicKeyJwk");
                    Map<String, String> ours = key.toJwk();
                    assertEquals(jwk.get("x").asText(), ours.get("x"));
                    assertEquals(jwk.get("y").asText(), ours.get("y"));
                    assertEquals(key, VerificationKey.fromJwk(jwk));
                    KeyPair pair = KeyPair.fromPrivateKey(type, Base64Url.decode(vm.get("privateKeyJwk").get("d").asText()), key);
                    assertEquals(key, pair.publicKey());
                } else {
                    assertArrayEquals(Base58Btc.decode(vm.get("publicKeyBase58").asText()), key.publicKey().toByteArray());
                }
            } else {
                ProblemException ex = org.junit.jupiter.api.Assertions.assertThrows(ProblemException.class,
                        () -> new KeyDidResolver().resolve(did));
                assertTrue(ex.type() == ProblemType.METHOD_NOT_SUPPORTED || ex.type() == ProblemType.INVALID_DID,
                        ex.type() + ": " + ex.getMessage());
                refused++;
            }
        }
        Vectors.report("did:key nist curves (P-256 and P-384 mapped, P-521 refused)", p256 + p384 + refused,
                p256 + p384 + refused);
        assertEquals(3, p256);
        assertEquals(2, p384);
        assertEquals(2, refused);
    }

    @Test
    void keyTypesTabardDoesNotUseAreRefused() {
        int cases = 0;
        for (String f : new String[] {"secp256k1.json", "x25519.json"}) {
            JsonNode file = Vectors.json(DIR + f);
            JsonNode byDid = file.has("didDocument") ? file.get("didDocument") : file;
            for (Iterator<String> it = byDid.fieldNames(); it.hasNext(); ) {
                Did did = Did.parse(it.next());
                ProblemException ex = org.junit.jupiter.api.Assertions.assertThrows(ProblemException.class,
                        () -> new KeyDidResolver().resolve(did));
                assertEquals(ProblemType.METHOD_NOT_SUPPORTED, ex.type(), did + ": " + ex.getMessage());
                cases++;
            }
        }
        Vectors.report("did:key secp256k1 and x25519 (refused)", cases, cases);
        assertEquals(10, cases);
    }
}
