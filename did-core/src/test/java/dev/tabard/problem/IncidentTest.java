package dev.tabard.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class IncidentTest {

    @Test
    void report_eachCall_freshSixteenHexIdCarriedByTheProblemAndItsJson() {
        IllegalStateException cause = new IllegalStateException("secret internals");
        Incident a = Incident.report(LoggerFactory.getLogger(IncidentTest.class), "testing", cause);
        Incident b = Incident.report(LoggerFactory.getLogger(IncidentTest.class), "testing", cause);
        assertTrue(a.id().matches("[0-9a-f]{16}"), a.id());
        assertNotEquals(a.id(), b.id());
        Problem p = a.problem();
        assertEquals(ProblemType.INTERNAL_ERROR, p.type());
        assertEquals(Optional.of(a.id()), p.incident());
        assertTrue(p.detail().contains(a.id()), p.detail());
        ObjectNode json = ProblemJson.of(p, null);
        assertEquals(a.id(), json.get(ProblemJson.INCIDENT_MEMBER).asText());
        assertEquals(500, json.get("status").asInt());
        assertFalse(json.toString().contains("secret internals"), json.toString());
        assertEquals(p, a.exception().problem());
    }

    @Test
    void problemWithoutIncident_hasNoIncidentMember() {
        ObjectNode json = ProblemJson.of(Problem.of(ProblemType.PARSING_ERROR, "x"), null);
        assertFalse(json.has(ProblemJson.INCIDENT_MEMBER), json.toString());
    }

    @Test
    void constructor_idNotSixteenLowerHex_refused() {
        assertThrows(IllegalArgumentException.class, () -> new Incident("ABCDEF0123456789"));
        assertThrows(IllegalArgumentException.class, () -> new Incident("0123"));
        assertThrows(IllegalArgumentException.class, () -> new Incident("req-1234567890ab"));
    }
}
