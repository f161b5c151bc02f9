package dev.tabard.did;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.codec.Base64Url;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.crypto.VerificationKey;
import dev.tabard.did.jwk.JwkDidResolver;
import dev.tabard.did.key.KeyDidResolver;
import dev.tabard.did.key.KeyDids;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class KeyAndJwkDidTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final DidResolver resolver = DidResolvers.of(new KeyDidResolver(), new JwkDidResolver());

    @Test
    void specExampleDidsExpand() {
        // did:key v0.9 examples (SPEC-NOTES §3)
        Did ed = Did.parse("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK");
        DidDocument doc = resolver.resolve(ed).document();
        assertEquals(KeyType.ED25519, doc.authorize(ed.withFragment(ed.methodSpecificId()), Relationship.ASSERTION_METHOD)
                .key().type());
        Did p = Did.parse("did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv");
        assertEquals(KeyType.P256, KeyDids.key(p).type());
        assertTrue(resolver.resolve(p).document().json().contains("\"Multikey\""));
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void generatedKeysRoundTripThroughBothMethods(KeyType type) {
        VerificationKey key = KeyPair.generate(type, RANDOM).publicKey();
        assertEquals(key, resolver.resolve(KeyDids.of(key)).document()
                .authorize(KeyDids.methodId(key), Relationship.AUTHENTICATION).key());
        Did jwk = JwkDidResolver.of(key);
        assertEquals(key, resolver.resolve(jwk).document().authorize(jwk.withFragment("0"), Relationship.ASSERTION_METHOD).key());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "did:key:u7QFmbnVuY3Rpb24", // base64url multibase is not allowed for did:key
        "did:key:2:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", // version 2
        "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2do", // truncated
        "did:key:zzzz"
    })
    void malformedDidKeysAreInvalidDids(String text) {
        ProblemException e = assertThrows(ProblemException.class, () -> resolver.resolve(Did.parse(text)));
        assertEquals(ProblemType.INVALID_DID, e.type(), e.getMessage());
    }

    @Test
    void secp256k1IsNotSupported() {
        ProblemException e = assertThrows(ProblemException.class,
                () -> resolver.resolve(Did.parse("did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme")));
        assertEquals(ProblemType.METHOD_NOT_SUPPORTED, e.type());
    }

    @Test
    void unknownMethodIsNotSupported() {
        ProblemException e = assertThrows(ProblemException.class, () -> resolver.resolve(Did.parse("did:example:1")));
        assertEquals(ProblemType.METHOD_NOT_SUPPORTED, e.type());
    }

    @Test
    void didJwkRefusesPrivateKeysAndEncryptionOnlyKeysSignNothing() {
        KeyPair pair = KeyPair.generate(KeyType.ED25519, RANDOM);
        String withD = "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + pair.publicKey().toJwk().get("x")
                + "\",\"d\":\"" + Base64Url.encode(pair.unsafePrivateKeyBytes()) + "\"}";
        Did bad = Did.parse("did:jwk:" + Base64Url.encode(withD.getBytes(StandardCharsets.UTF_8)));
        assertEquals(ProblemType.INVALID_DID, assertThrows(ProblemException.class, () -> resolver.resolve(bad)).type());
        Did notJson = Did.parse("did:jwk:" + Base64Url.encode("nope".getBytes(StandardCharsets.UTF_8)));
        assertEquals(ProblemType.INVALID_DID, assertThrows(ProblemException.class, () -> resolver.resolve(notJson)).type());
    }
}
