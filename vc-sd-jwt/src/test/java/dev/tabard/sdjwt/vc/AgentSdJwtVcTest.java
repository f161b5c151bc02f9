package dev.tabard.sdjwt.vc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.did.Did;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.sdjwt.ClaimPath;
import dev.tabard.sdjwt.status.StatusReference;
import dev.tabard.vc.AgentClaims;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AgentSdJwtVcTest {

    private static final Did ORG = Did.parse("did:web:acme.example");
    private static final AgentClaims AGENT = new AgentClaims(Did.parse("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"),
            "Buyer", ORG, "Acme", new AgentClaims.Operator("Ops", Optional.of("ops@acme.example")), Set.of("quote", "purchase"),
            new AgentClaims.Constraints(Optional.of(new AgentClaims.Money("500", "EUR")), List.of("EU"), "{\"hours\":\"9-17\"}"),
            new AgentClaims.Delegation(true, 2));

    @Test
    void claimsThenRead_roundTrips() {
        ObjectNode c = AgentSdJwtVc.claims(AGENT);
        assertEquals(AGENT.agent().toString(), c.get("sub").asText());
        assertEquals("{\"id\":\"did:web:acme.example\",\"name\":\"Acme\"}", c.get("organization").toString());
        assertEquals(AGENT, AgentSdJwtVc.read(c, ORG));
    }

    @Test
    void read_organizationOtherThanIssuer_failsWithPointer() {
        ProblemException e = assertThrows(ProblemException.class,
                () -> AgentSdJwtVc.read(AgentSdJwtVc.claims(AGENT), Did.parse("did:web:other.example")));
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, e.type());
        assertEquals(Optional.of("/organization/id"), e.problem().pointer());
    }

    @Test
    void read_malformedShapes_failWithPointers() {
        for (String[] bad : new String[][] {
            {"capabilities", "\"all\"", "/capabilities"},
            {"operator", "{\"email\":\"x@y\"}", "/operator/name"},
            {"delegation", "{\"allowed\":false,\"maxDepth\":3}", "/delegation/maxDepth"},
            {"sub", "\"agent-7\"", "/sub"},
            {"constraints", "null", "/constraints"},
        }) {
            ObjectNode c = AgentSdJwtVc.claims(AGENT);
            if (bad[1].equals("null")) {
                c.remove(bad[0]);
            } else {
                c.set(bad[0], JsonCodec.parse(bad[1]));
            }
            ProblemException e = assertThrows(ProblemException.class, () -> AgentSdJwtVc.read(c, ORG), bad[0]);
            assertEquals(ProblemType.MALFORMED_VALUE_ERROR, e.type());
            assertEquals(Optional.of(bad[2]), e.problem().pointer());
        }
    }

    @Test
    void statusReference_malformed_failsWithMalformedValue() {
        for (String s : List.of("{}", "{\"status_list\":{\"idx\":-1,\"uri\":\"https://a.example/s\"}}",
                "{\"status_list\":{\"idx\":1.5,\"uri\":\"https://a.example/s\"}}", "{\"status_list\":{\"idx\":1,\"uri\":\"ftp://a.example/s\"}}",
                "{\"status_list\":{\"idx\":1,\"uri\":\"/relative\"}}")) {
            assertEquals(ProblemType.MALFORMED_VALUE_ERROR, assertThrows(ProblemException.class,
                    () -> StatusReference.parse(JsonCodec.parse(s)), s).type());
        }
    }

    @Test
    void claimPath_rejectsBadSegments_andPrintsAsJson() {
        assertThrows(IllegalArgumentException.class, () -> ClaimPath.of());
        assertThrows(IllegalArgumentException.class, () -> ClaimPath.of("a", -1));
        assertThrows(IllegalArgumentException.class, () -> ClaimPath.of("a", 1.5));
        assertEquals("[\"capabilities\",0]", ClaimPath.of("capabilities", 0).toString());
    }
}
