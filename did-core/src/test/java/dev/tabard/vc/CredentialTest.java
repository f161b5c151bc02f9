package dev.tabard.vc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.did.Did;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CredentialTest {

    static AgentClaims claims() {
        return new AgentClaims(Did.parse("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"), "procurement-agent",
                Did.parse("did:web:acme.example"), "ACME Corp",
                new AgentClaims.Operator("Procurement team", Optional.of("procurement@acme.example")),
                Set.of("purchase-order:negotiate", "supplier:lookup"),
                new AgentClaims.Constraints(Optional.of(new AgentClaims.Money("5000", "EUR")), List.of("EU"), "{\"x-hours\":\"9-17\"}"),
                new AgentClaims.Delegation(true, 1));
    }

    static ObjectNode agentCredential() {
        return claims().credential(URI.create("urn:uuid:6a9c1e52-8d55-4b54-a6a4-0f8d5a3a1a10"),
                Instant.parse("2026-11-22T10:00:00Z"), Instant.parse("2026-11-22T11:00:00Z"),
                List.of(AgentClaims.statusEntry(URI.create("https://acme.example/status/1"), "revocation", 94567),
                        AgentClaims.statusEntry(URI.create("https://acme.example/status/2"), "suspension", 23452)));
    }

    private static ProblemException fails(String json) {
        return assertThrows(ProblemException.class, () -> Credential.parse(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void agentCredentialRoundTripsThroughItsClaims() {
        ObjectNode json = agentCredential();
        json.put("x-extension", "kept");
        Credential c = Credential.parse(JsonCodec.write(json));
        assertEquals(Credential.Version.V2_0, c.version());
        assertEquals(URI.create("did:web:acme.example"), c.issuer().id());
        assertEquals(Instant.parse("2026-11-22T11:00:00Z"), c.validUntil().orElseThrow());
        assertEquals(2, c.statuses().size());
        assertEquals(94567L, c.statuses().get(0).statusListIndex().orElseThrow());
        assertEquals("kept", c.json().get("x-extension").asText());
        AgentClaims back = AgentClaims.from(c);
        assertEquals(claims(), back);
    }

    @Test
    void agentClaimsRefuseForeignOrganizationsAndBadShapes() {
        ObjectNode json = agentCredential();
        json.put("issuer", "did:web:evil.example");
        Credential c = Credential.of(json);
        ProblemException e = assertThrows(ProblemException.class, () -> AgentClaims.from(c));
        assertEquals(Optional.of("/credentialSubject/memberOf/id"), e.problem().pointer());
        ObjectNode noCaps = agentCredential();
        ((ObjectNode) noCaps.get("credentialSubject")).put("capabilities", "all");
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR,
                assertThrows(ProblemException.class, () -> AgentClaims.from(Credential.of(noCaps))).type());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"type\":[\"VerifiableCredential\"],\"issuer\":\"did:ex:1\",\"credentialSubject\":{\"id\":\"did:ex:2\"}}|/@context",
        "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"issuer\":\"did:ex:1\",\"credentialSubject\":{\"id\":\"did:ex:2\"}}|/type",
        "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":[\"Other\"],\"issuer\":\"did:ex:1\",\"credentialSubject\":{\"id\":\"did:ex:2\"}}|/type",
        "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":\"VerifiableCredential\",\"credentialSubject\":{\"id\":\"did:ex:2\"}}|/issuer",
        "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":\"VerifiableCredential\",\"issuer\":\"not a url\",\"credentialSubject\":{\"id\":\"did:ex:2\"}}|/issuer",
        "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":\"VerifiableCredential\",\"issuer\":{\"name\":\"x\"},\"credentialSubject\":{\"id\":\"did:ex:2\"}}|/issuer/id",
        "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":\"VerifiableCredential\",\"issuer\":\"did:ex:1\",\"credentialSubject\":{}}|/credentialSubject",
        "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":\"VerifiableCredential\",\"issuer\":\"did:ex:1\",\"credentialSubject\":{\"id\":\"did:ex:2\"},\"validFrom\":\"2026-01-01T00:00:00\"}|/validFrom",
        "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":\"VerifiableCredential\",\"issuer\":\"did:ex:1\",\"credentialSubject\":{\"id\":\"did:ex:2\"},\"id\":[\"urn:a\",\"urn:b\"]}|/id",
        "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":\"VerifiableCredential\",\"issuer\":\"did:ex:1\",\"credentialSubject\":{\"id\":\"did:ex:2\"},\"credentialStatus\":{\"type\":\"BitstringStatusListEntry\",\"statusPurpose\":\"revocation\",\"statusListIndex\":-1,\"statusListCredential\":\"https://x/1\"}}|/credentialStatus/statusListIndex",
        "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":\"VerifiableCredential\",\"issuer\":\"did:ex:1\",\"credentialSubject\":{\"id\":\"did:ex:2\"},\"credentialSchema\":{\"type\":\"JsonSchema\"}}|/credentialSchema/id",
        "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":\"VerifiableCredential\",\"issuer\":\"did:ex:1\",\"credentialSubject\":{\"id\":\"did:ex:2\"},\"credentialStatus\":{\"type\":\"BitstringStatusListEntry\",\"statusPurpose\":\"message\",\"statusListIndex\":\"7\",\"statusListCredential\":\"https://x/1\",\"statusSize\":0}}|/credentialStatus/statusSize",
        "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":\"VerifiableCredential\",\"issuer\":\"did:ex:1\",\"credentialSubject\":{\"id\":\"did:ex:2\"},\"credentialStatus\":{\"type\":\"BitstringStatusListEntry\",\"statusPurpose\":\"message\",\"statusListIndex\":\"7\",\"statusListCredential\":\"https://x/1\",\"statusSize\":2}}|/credentialStatus/statusMessage",
        "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":\"VerifiableCredential\",\"issuer\":\"did:ex:1\",\"credentialSubject\":{\"id\":\"did:ex:2\"},\"credentialStatus\":{\"type\":\"BitstringStatusListEntry\",\"statusPurpose\":\"message\",\"statusListIndex\":\"7\",\"statusListCredential\":\"https://x/1\",\"statusSize\":2,\"statusMessage\":[{\"status\":\"0x0\",\"message\":\"m\"},{\"status\":\"0x1\",\"message\":\"m\"},{\"status\":\"0x2\",\"message\":\"m\"}]}}|/credentialStatus/statusMessage",
        "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":\"VerifiableCredential\",\"issuer\":\"did:ex:1\",\"credentialSubject\":{\"id\":\"did:ex:2\"},\"credentialStatus\":{\"type\":\"BitstringStatusListEntry\",\"statusPurpose\":\"message\",\"statusListIndex\":\"7\",\"statusListCredential\":\"https://x/1\",\"statusSize\":2,\"statusMessage\":[{\"status\":\"0x0\",\"message\":\"m\"},{\"status\":\"0x1\",\"message\":\"m\"},{\"status\":\"0x2\",\"message\":\"m\"},{\"status\":\"0x2\",\"message\":\"m\"}]}}|/credentialStatus/statusMessage/3/status",
        "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":\"VerifiableCredential\",\"issuer\":\"did:ex:1\",\"credentialSubject\":{\"id\":\"did:ex:2\"},\"credentialStatus\":{\"type\":\"BitstringStatusListEntry\",\"statusPurpose\":\"message\",\"statusListIndex\":\"7\",\"statusListCredential\":\"https://x/1\",\"statusSize\":2,\"statusMessage\":[{\"status\":\"0x0\",\"message\":\"m\"},{\"status\":\"0x1\",\"message\":\"m\"},{\"status\":\"0x2\",\"message\":\"m\"},{\"status\":\"0x4\",\"message\":\"m\"}]}}|/credentialStatus/statusMessage/3/status",
        "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":\"VerifiableCredential\",\"issuer\":\"did:ex:1\",\"credentialSubject\":{\"id\":\"did:ex:2\"},\"credentialStatus\":{\"type\":\"BitstringStatusListEntry\",\"statusPurpose\":\"message\",\"statusListIndex\":\"7\",\"statusListCredential\":\"https://x/1\",\"statusSize\":2,\"statusMessage\":[{\"status\":\"0\",\"message\":\"m\"},{\"status\":\"0x1\",\"message\":\"m\"},{\"status\":\"0x2\",\"message\":\"m\"},{\"status\":\"0x3\",\"message\":\"m\"}]}}|/credentialStatus/statusMessage/0/status",
        "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":\"VerifiableCredential\",\"issuer\":\"did:ex:1\",\"credentialSubject\":{\"id\":\"did:ex:2\"},\"credentialStatus\":{\"type\":\"BitstringStatusListEntry\",\"statusListIndex\":\"7\",\"statusListCredential\":\"https://x/1\"}}|/credentialStatus/statusPurpose",
        "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":\"VerifiableCredential\",\"issuer\":\"did:ex:1\",\"credentialSubject\":{\"id\":\"did:ex:2\"},\"credentialStatus\":{\"type\":\"BitstringStatusListEntry\",\"statusPurpose\":\"message\",\"statusListIndex\":7,\"statusListCredential\":\"https://x/1\"}}|/credentialStatus/statusListIndex",
        "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":\"VerifiableCredential\",\"issuer\":\"did:ex:1\",\"credentialSubject\":{\"id\":\"did:ex:2\"},\"credentialStatus\":{\"type\":\"BitstringStatusListEntry\",\"statusPurpose\":\"message\",\"statusListIndex\":\"7\",\"statusListCredential\":\"not a url\"}}|/credentialStatus/statusListCredential",
        "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":\"VerifiableCredential\",\"issuer\":\"did:ex:1\",\"credentialSubject\":{\"id\":\"did:ex:2\"},\"validUntil\":\"tomorrow\"}|/validUntil",
        "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":\"VerifiableCredential\",\"issuer\":\"did:ex:1\",\"credentialSubject\":{\"id\":\"did:ex:2\"},\"validUntil\":\"2026-02-30T00:00:00Z\"}|/validUntil",
        "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":\"VerifiableCredential\",\"issuer\":\"did:ex:1\",\"credentialSubject\":{\"id\":\"did:ex:2\"},\"validUntil\":\"2026-01-01T24:00:00Z\"}|/validUntil",
        "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":\"VerifiableCredential\",\"issuer\":\"did:ex:1\",\"credentialSubject\":{\"id\":\"did:ex:2\"},\"validFrom\":\"2026-13-01T00:00:00Z\"}|/validFrom",
        "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":[\"VerifiableCredential\",\"\"],\"issuer\":\"did:ex:1\",\"credentialSubject\":{\"id\":\"did:ex:2\"}}|/type/1",
        "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":\"VerifiableCredential\",\"issuer\":\"did:ex:1\",\"credentialSubject\":[{\"id\":\"did:ex:2\"},\"did:ex:3\"]}|/credentialSubject/1",
        "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":\"VerifiableCredential\",\"issuer\":\"did:ex:1\",\"credentialSubject\":{\"id\":\"did:ex:2\"},\"proof\":{\"proofValue\":\"z1\"}}|/proof",
        "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":\"VerifiableCredential\",\"issuer\":\"did:ex:1\",\"credentialSubject\":{\"id\":\"did:ex:2\"},\"name\":{\"@value\":\"x\",\"@foo\":\"y\"}}|/name/@foo",
        "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":\"VerifiableCredential\",\"issuer\":\"did:ex:1\",\"credentialSubject\":{\"id\":\"did:ex:2\"},\"evidence\":[\"urn:e\"]}|/evidence/0",
        "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":\"VerifiableCredential\",\"issuer\":\"did:ex:1\",\"credentialSubject\":{\"id\":\"did:ex:2\"},\"termsOfUse\":7}|/termsOfUse",
        "{\"@context\":[\"https://www.w3.org/ns/credentials/examples/v2\",\"https://www.w3.org/ns/credentials/v2\"],\"type\":\"VerifiableCredential\",\"issuer\":\"did:ex:1\",\"credentialSubject\":{\"id\":\"did:ex:2\"}}|/@context/0",
        "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\",7],\"type\":\"VerifiableCredential\",\"issuer\":\"did:ex:1\",\"credentialSubject\":{\"id\":\"did:ex:2\"}}|/@context/1",
        "{\"@context\":[\"https://www.w3.org/2018/credentials/v1\"],\"type\":\"VerifiableCredential\",\"issuer\":\"did:ex:1\",\"credentialSubject\":{\"id\":\"did:ex:2\"}}|/issuanceDate"
    })
    void dataModelViolationsPointAtTheValue(String json, String pointer) {
        ProblemException e = fails(json);
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, e.type(), e.getMessage());
        assertTrue(e.problem().pointer().orElse("").startsWith(pointer), e.problem().pointer() + " vs " + pointer);
    }

    @Test
    void validUntilBeforeValidFromIsARangeError() {
        ProblemException e = fails("{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":\"VerifiableCredential\","
                + "\"issuer\":\"did:ex:1\",\"credentialSubject\":{\"id\":\"did:ex:2\"},"
                + "\"validFrom\":\"2026-01-02T00:00:00Z\",\"validUntil\":\"2026-01-01T00:00:00+01:00\"}");
        assertEquals(ProblemType.RANGE_ERROR, e.type());
    }

    @Test
    void vc11IsRecognisedByItsContext() {
        Credential c = Credential.parse(("{\"@context\":[\"https://www.w3.org/2018/credentials/v1\"],\"type\":\"VerifiableCredential\","
                + "\"issuer\":\"did:ex:1\",\"issuanceDate\":\"2020-01-01T00:00:00Z\",\"expirationDate\":\"2030-01-01T00:00:00Z\","
                + "\"credentialSubject\":{\"id\":\"did:ex:2\"}}").getBytes(StandardCharsets.UTF_8));
        assertEquals(Credential.Version.V1_1, c.version());
        assertEquals(Instant.parse("2030-01-01T00:00:00Z"), c.validUntil().orElseThrow());
    }

    @Test
    void notJsonIsAParsingError() {
        assertEquals(ProblemType.PARSING_ERROR, fails("{\"@context\":").type());
        assertEquals(ProblemType.PARSING_ERROR, fails("[]").type());
        assertEquals(ProblemType.PARSING_ERROR, fails("{\"a\":1,\"a\":1}").type());
    }

    @Test
    void presentationsCarryObjectsOnlyAndAtMostTen() {
        String vc = "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":\"VerifiableCredential\",\"issuer\":\"did:ex:1\",\"credentialSubject\":{\"id\":\"did:ex:2\"}}";
        Presentation p = Presentation.parse(("{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":\"VerifiablePresentation\","
                + "\"holder\":\"did:ex:2\",\"verifiableCredential\":[" + vc + ",{\"@context\":\"https://www.w3.org/ns/credentials/v2\","
                + "\"type\":\"EnvelopedVerifiableCredential\",\"id\":\"data:application/vc+jwt,a.b.c\"}]}").getBytes(StandardCharsets.UTF_8));
        assertEquals(1, p.credentials().size());
        assertEquals(List.of("data:application/vc+jwt,a.b.c"), p.envelopedCredentials());
        ProblemException e = assertThrows(ProblemException.class, () -> Presentation.parse(("{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],"
                + "\"type\":\"VerifiablePresentation\",\"verifiableCredential\":[\"a.b.c\"]}").getBytes(StandardCharsets.UTF_8)));
        assertEquals(Optional.of("/verifiableCredential/0"), e.problem().pointer());
        String eleven = String.join(",", java.util.Collections.nCopies(11, vc));
        assertEquals(ProblemType.LIMIT_EXCEEDED, assertThrows(ProblemException.class, () -> Presentation.parse(
                ("{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":\"VerifiablePresentation\",\"verifiableCredential\":["
                        + eleven + "]}").getBytes(StandardCharsets.UTF_8))).type());
        ProblemException inner = assertThrows(ProblemException.class, () -> Presentation.parse(("{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],"
                + "\"type\":\"VerifiablePresentation\",\"verifiableCredential\":[" + vc.replace("did:ex:1", "nope") + "]}").getBytes(StandardCharsets.UTF_8)));
        assertEquals(Optional.of("/verifiableCredential/0/issuer"), inner.problem().pointer());
    }
}
