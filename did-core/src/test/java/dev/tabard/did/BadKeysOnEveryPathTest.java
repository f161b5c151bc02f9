package dev.tabard.did;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tabard.codec.Base64Url;
import dev.tabard.codec.Multibase;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.jwk.JwkDidResolver;
import dev.tabard.did.key.KeyDidResolver;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each way a verification key enters through a DID (did:key, did:jwk, a DID document's Multikey and JsonWebKey
 * methods) refuses the keys the one checked factory refuses: an Ed25519 key of small order, a non-canonical Ed25519
 * encoding, and EC points off their curve, on P-256 and P-384.
 */
class BadKeysOnEveryPathTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] ED25519_IDENTITY = HexFormat.of().parseHex(
            "0100000000000000000000000000000000000000000000000000000000000000");
    private static final byte[] ED25519_Y_IS_P = HexFormat.of().parseHex(
            "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");

    private final DidResolver resolver = DidResolvers.of(new KeyDidResolver(), new JwkDidResolver());

    /** A compressed EC point whose x is the field prime: never a valid encoding. */
    private static byte[] compressedXIsP(KeyType type) {
        String p = type == KeyType.P256
                ? "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff"
                : "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff";
        byte[] x = HexFormat.of().parseHex(p);
        byte[] point = new byte[x.length + 1];
        point[0] = 0x02;
        System.arraycopy(x, 0, point, 1, x.length);
        return point;
    }

    /** The public JWK of a fresh key with {@code y} changed, so the point is off the curve. */
    private static String offCurveJwk(KeyType type) {
        var jwk = KeyPair.generate(type, RANDOM).publicKey().toJwk();
        byte[] y = Base64Url.decode(jwk.get("y"));
        y[y.length - 1] ^= 1;
        return "{\"kty\":\"EC\",\"crv\":\"" + jwk.get("crv") + "\",\"x\":\"" + jwk.get("x") + "\",\"y\":\""
                + Base64Url.encode(y) + "\"}";
    }

    private static String edJwk(byte[] x) {
        return "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + Base64Url.encode(x) + "\"}";
    }

    private static List<String> badMultikeys() {
        return List.of(
                Multibase.encodeBase58Btc(KeyType.ED25519.multicodec().wrap(ED25519_IDENTITY)),
                Multibase.encodeBase58Btc(KeyType.ED25519.multicodec().wrap(ED25519_Y_IS_P)),
                Multibase.encodeBase58Btc(KeyType.P256.multicodec().wrap(compressedXIsP(KeyType.P256))),
                Multibase.encodeBase58Btc(KeyType.P384.multicodec().wrap(compressedXIsP(KeyType.P384))));
    }

    private static List<String> badJwks() {
        return List.of(edJwk(ED25519_IDENTITY), edJwk(ED25519_Y_IS_P), offCurveJwk(KeyType.P256), offCurveJwk(KeyType.P384));
    }

    @Test
    void didKeyRefusesBadKeys() {
        for (String multibase : badMultikeys()) {
            ProblemException e = assertThrows(ProblemException.class, () -> resolver.resolve(Did.parse("did:key:" + multibase)));
            assertEquals(ProblemType.INVALID_DID, e.type(), multibase);
        }
    }

    @Test
    void didJwkRefusesBadKeys() {
        for (String jwk : badJwks()) {
            Did did = Did.parse("did:jwk:" + Base64Url.encode(jwk.getBytes(StandardCharsets.UTF_8)));
            ProblemException e = assertThrows(ProblemException.class, () -> resolver.resolve(did));
            assertEquals(ProblemType.INVALID_DID, e.type(), jwk);
        }
    }

    @Test
    void didDocumentsRefuseBadMultikeyAndJwkMethods() {
        for (String multibase : badMultikeys()) {
            assertRefused("""
                {"id":"did:web:example.com","verificationMethod":[
                  {"id":"did:web:example.com#k","type":"Multikey","controller":"did:web:example.com","publicKeyMultibase":"%s"}]}
                """.formatted(multibase), "/verificationMethod/0/publicKeyMultibase");
        }
        for (String jwk : badJwks()) {
            assertRefused("""
                {"id":"did:web:example.com","verificationMethod":[
                  {"id":"did:web:example.com#k","type":"JsonWebKey","controller":"did:web:example.com","publicKeyJwk":%s}]}
                """.formatted(jwk), "/verificationMethod/0/publicKeyJwk");
        }
    }

    @Test
    void goodP384KeysEnterThroughEveryPath() {
        KeyPair key = KeyPair.generate(KeyType.P384, RANDOM);
        Did didKey = Did.parse("did:key:" + key.publicKey().toMultibase());
        assertEquals(key.publicKey(), resolver.resolve(didKey).document().methods().get(0).key());
        String jwk = dev.tabard.codec.JsonCodec.writeString(dev.tabard.codec.JsonCodec.tree(key.publicKey().toJwk()));
        Did didJwk = Did.parse("did:jwk:" + Base64Url.encode(jwk.getBytes(StandardCharsets.UTF_8)));
        assertEquals(key.publicKey(), resolver.resolve(didJwk).document().methods().get(0).key());
    }

    private static void assertRefused(String json, String pointer) {
        ProblemException e = assertThrows(ProblemException.class,
                () -> DidDocument.parse(json.getBytes(StandardCharsets.UTF_8)));
        assertEquals(ProblemType.INVALID_DID_DOCUMENT, e.type(), json);
        assertEquals(java.util.Optional.of(pointer), e.problem().pointer(), json);
    }
}
