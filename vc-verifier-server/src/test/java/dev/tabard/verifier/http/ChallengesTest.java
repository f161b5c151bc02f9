package dev.tabard.verifier.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.testing.ManualClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChallengesTest {


    private final ManualClock clock = new ManualClock();
    private final Challenges table = new Challenges(10, 6, Duration.ofMinutes(5), clock, new SecureRandom());

    @Test
    void issue_overThePerClientCap_failsWithClientLimitExceeded_otherClientsServed() {
        for (int i = 0; i < 6; i++) {
            table.issue("10.0.0.1", "https://a.example");
        }
        ProblemException e = assertThrows(ProblemException.class, () -> table.issue("10.0.0.1", "https://a.example"));
        assertEquals(ProblemType.CLIENT_LIMIT_EXCEEDED, e.problems().get(0).type());
        assertEquals("https://a.example", table.issue("10.0.0.2", "https://a.example").domain());
        clock.advance(Duration.ofMinutes(6));
        table.issue("10.0.0.1", "https://a.example");
    }

    @Test
    void issue_fullTable_shedsTheLargestHoldersOldest_neverRefusesANewClient() {
        List<String> flooder = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            flooder.add(table.issue("10.0.0.66", "https://a.example").challenge());
        }
        List<String> honest = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            honest.add(table.issue("10.0.0." + i, "https://a.example").challenge());
        }
        assertEquals(10, table.open());
        String newcomer = table.issue("10.0.0.9", "https://b.example").challenge();
        assertEquals(10, table.open());
        assertTrue(table.redeem(flooder.get(0)).isEmpty(), "the flooder's oldest challenge was shed");
        for (String c : honest) {
            assertTrue(table.redeem(c).isPresent(), "honest challenges survive a full table");
        }
        assertEquals("https://b.example", table.redeem(newcomer).orElseThrow().domain());
    }

    @Test
    void issue_fullTable_dropsExpiredChallengesFirst() {
        for (int i = 0; i < 5; i++) {
            table.issue("10.0.0.1", "https://a.example");
            table.issue("10.0.0.2", "https://a.example");
        }
        clock.advance(Duration.ofMinutes(4));
        String recent = table.issue("10.0.0.3", "https://a.example").challenge();
        clock.advance(Duration.ofMinutes(2));
        table.issue("10.0.0.4", "https://a.example");
        assertEquals(2, table.open(), "the ten expired challenges were dropped, the unexpired one kept");
        assertTrue(table.redeem(recent).isPresent());
    }

    @Test
    void redeem_isSingleUse_andRefusesExpired() {
        String c = table.issue("10.0.0.1", "https://a.example").challenge();
        assertTrue(table.redeem(c).isPresent());
        assertTrue(table.redeem(c).isEmpty());
        String late = table.issue("10.0.0.1", "https://a.example").challenge();
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        assertTrue(table.redeem(late).isEmpty());
    }
}
