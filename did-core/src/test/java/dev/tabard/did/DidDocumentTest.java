package dev.tabard.did;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.crypto.VerificationKey;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DidDocumentTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final VerificationKey ed = KeyPair.generate(KeyType.ED25519, RANDOM).publicKey();
    private final VerificationKey p256 = KeyPair.generate(KeyType.P256, RANDOM).publicKey();
    private final Did did = Did.parse("did:web:example.com");

    private DidDocument parse(String json) {
        return DidDocument.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private ProblemException fails(String json) {
        return assertThrows(ProblemException.class, () -> parse(json));
    }

    @Test
    void builtDocumentAuthorizesOnlyListedRelationships() {
        VerificationMethod mk = new VerificationMethod(did.withFragment("key-1"), did, ed, VerificationMethod.MULTIKEY);
        VerificationMethod jwk = new VerificationMethod(did.withFragment("key-2"), did, p256, VerificationMethod.JSON_WEB_KEY);
        DidDocument doc = DidDocumentBuilder.forDid(did)
                .method(mk, Relationship.ASSERTION_METHOD)
                .method(jwk, Relationship.AUTHENTICATION)
                .service(did.withFragment("issuer"), "TabardIssuer", "https://example.com/")
                .build();
        assertEquals(ed, doc.authorize(did.withFragment("key-1"), Relationship.ASSERTION_METHOD).key());
        assertEquals(p256, doc.authorize(did.withFragment("key-2"), Relationship.AUTHENTICATION).key());
        ProblemException e = assertThrows(ProblemException.class,
                () -> doc.authorize(did.withFragment("key-1"), Relationship.AUTHENTICATION));
        assertEquals(ProblemType.INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD, e.type());
        e = assertThrows(ProblemException.class, () -> doc.authorize(did.withFragment("nope"), Relationship.AUTHENTICATION));
        assertEquals(ProblemType.INVALID_VERIFICATION_METHOD, e.type());
        assertTrue(doc.json().contains("https://w3id.org/security/jwk/v1"));
        assertEquals(1, doc.services().size());
    }

    @Test
    void unknownPropertiesSurviveAndLegacyTypesAreRead() {
        String json = """
            {"@context":["https://www.w3.org/ns/did/v1"],"id":"did:web:example.com","x-custom":{"a":[1,2]},
             "verificationMethod":[
               {"id":"#k1","type":"Ed25519VerificationKey2020","controller":"did:web:example.com","publicKeyMultibase":"%s"},
               {"id":"did:web:example.com#k2","type":"JsonWebKey2020","controller":"did:web:example.com","publicKeyJwk":%s},
               {"id":"#x","type":"X25519KeyAgreementKey2020","controller":"did:web:example.com","publicKeyMultibase":"z6LS"}],
             "assertionMethod":["#k1",{"id":"#k3","type":"Multikey","controller":"did:web:example.com","publicKeyMultibase":"%s"}],
             "authentication":["did:web:example.com#k2"]}
            """.formatted(ed.toMultibase(), JsonCodec.writeString(p256.toJwk()), ed.toMultibase());
        DidDocument doc = parse(json);
        assertEquals(3, doc.methods().size()); // the X25519 method is kept in the JSON only
        assertEquals(ed, doc.authorize(DidUrl.parse("did:web:example.com#k3"), Relationship.ASSERTION_METHOD).key());
        assertEquals(p256, doc.authorize(DidUrl.parse("did:web:example.com#k2"), Relationship.AUTHENTICATION).key());
        ObjectNode back = JsonCodec.parseObject(doc.json().getBytes(StandardCharsets.UTF_8));
        assertEquals(2, back.get("x-custom").get("a").size());
    }

    @Test
    void documentForAnotherDidIsRefused() {
        byte[] json = DidDocumentBuilder.forDid(Did.parse("did:web:evil.example")).toJson();
        ProblemException e = assertThrows(ProblemException.class, () -> DidDocument.parse(json, did));
        assertEquals(ProblemType.INVALID_CONTROLLED_IDENTIFIER_DOCUMENT_ID, e.type());
    }

    @Test
    void methodOfAnotherDidIsRefusedWithItsPointer() {
        ProblemException e = fails("""
            {"id":"did:web:example.com","verificationMethod":[
              {"id":"did:web:evil.example#k","type":"Multikey","controller":"did:web:example.com","publicKeyMultibase":"%s"}]}
            """.formatted(ed.toMultibase()));
        assertEquals(ProblemType.INVALID_DID_DOCUMENT, e.type());
        assertEquals(Optional.of("/verificationMethod/0/id"), e.problem().pointer());
    }

    @Test
    void methodControlledBySomeoneElseCannotBeAuthorized() {
        DidDocument doc = parse("""
            {"id":"did:web:example.com","verificationMethod":[
              {"id":"#k","type":"Multikey","controller":"did:web:evil.example","publicKeyMultibase":"%s"}],
             "assertionMethod":["#k"]}
            """.formatted(ed.toMultibase()));
        ProblemException e = assertThrows(ProblemException.class,
                () -> doc.authorize(did.withFragment("k"), Relationship.ASSERTION_METHOD));
        assertEquals(ProblemType.INVALID_VERIFICATION_METHOD, e.type());
    }

    @Test
    void malformedDocumentsNameThePlace() {
        assertEquals(ProblemType.INVALID_DID_DOCUMENT, fails("[]").type());
        assertEquals(ProblemType.INVALID_DID_DOCUMENT, fails("{\"id\":\"did:web:a\",\"id\":\"did:web:b\"}").type());
        ProblemException e = fails("{\"id\":\"did:web:example.com\",\"verificationMethod\":{}}");
        assertEquals(Optional.of("/verificationMethod"), e.problem().pointer());
        e = fails("""
            {"id":"did:web:example.com","verificationMethod":[
              {"id":"#k","type":"Multikey","controller":"did:web:example.com","publicKeyMultibase":"zBAD0"}]}""");
        assertEquals(ProblemType.INVALID_DID_DOCUMENT, e.type());
        e = fails("""
            {"id":"did:web:example.com","verificationMethod":[
              {"id":"#k","type":"Multikey","controller":"did:web:example.com","publicKeyMultibase":"%s","publicKeyJwk":{}}]}
            """.formatted(ed.toMultibase()));
        assertEquals(ProblemType.INVALID_DID_DOCUMENT, e.type());
        byte[] big = new byte[DidDocument.MAX_BYTES + 1];
        assertEquals(ProblemType.INVALID_DID_DOCUMENT,
                assertThrows(ProblemException.class, () -> DidDocument.parse(big)).type());
    }

    @Test
    void privateKeyMaterialInADocumentIsRefused() {
        ProblemException e = fails("""
            {"id":"did:web:example.com","verificationMethod":[
              {"id":"#k","type":"JsonWebKey","controller":"did:web:example.com",
               "publicKeyJwk":{"kty":"OKP","crv":"Ed25519","x":"%s","d":"AAAA"}}]}
            """.formatted(ed.toJwk().get("x")));
        assertEquals(ProblemType.INVALID_DID_DOCUMENT, e.type());
    }
}
