package dev.tabard.issuer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.testing.ManualClock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The table's two bounds, with time moved by the test. */
class PerClientTableTest {


    private final ManualClock clock = new ManualClock();
    private final PerClientTable<String> table = new PerClientTable<>("nonce", Duration.ofMinutes(5), 3, 10, clock);

    @Test
    void put_overThePerOwnerCap_throwsClientLimitExceededWithWhenToRetry() {
        for (int i = 0; i < 3; i++) {
            table.put("a", "k" + i, "v");
        }
        ProblemException e = assertThrows(ProblemException.class, () -> table.put("a", "k3", "v"));
        assertEquals(ProblemType.CLIENT_LIMIT_EXCEEDED, e.problem().type());
        assertEquals(429, e.problem().type().status());
        assertTrue(e.problem().detail().contains("retry after 301 s"), e.problem().detail());
        assertEquals(Duration.ofSeconds(301), table.retryAfter("a"));
        table.put("b", "k4", "v"); // another owner is not affected
    }

    @Test
    void put_afterTheOwnersEntriesExpire_isAcceptedAgain() {
        for (int i = 0; i < 3; i++) {
            table.put("a", "k" + i, "v");
        }
        clock.advance(Duration.ofMinutes(5));
        table.put("a", "k3", "v");
        assertEquals(1, table.held("a"));
        assertEquals(1, table.size());
    }

    @Test
    void put_intoAFullTable_shedsTheLargestHoldersOldestEntryNotTheNewcomer() {
        // three owners at the cap and one with one entry: 10 entries, the table is full
        for (String owner : new String[] {"x", "y", "z"}) {
            for (int i = 0; i < 3; i++) {
                table.put(owner, owner + i, owner);
                clock.advance(Duration.ofSeconds(1));
            }
        }
        table.put("honest-1", "h1", "h");
        assertEquals(10, table.size());
        table.put("honest-2", "h2", "h");
        assertEquals(10, table.size());
        assertTrue(table.peek("h1").isPresent(), "a small holder keeps its entry");
        assertTrue(table.peek("h2").isPresent(), "a newcomer is never refused by a full table");
        assertEquals(Optional.empty(), table.peek("x0"), "the oldest entry of a largest holder went");
        assertEquals(2, table.held("x"));
    }

    @Test
    void put_manyOwners_neverHoldsMoreThanTheTotal() {
        for (int i = 0; i < 1_000; i++) {
            table.put("owner-" + i, "k" + i, "v");
            assertTrue(table.size() <= 10);
        }
        assertTrue(table.peek("k999").isPresent());
    }

    @Test
    void put_intoAFullTable_dropsExpiredEntriesFirst() {
        for (int i = 0; i < 10; i++) {
            table.put("o" + i, "old" + i, "v");
        }
        clock.advance(Duration.ofMinutes(6));
        table.put("new", "n", "v");
        assertEquals(1, table.size());
    }

    @Test
    void take_isSingleUseAndRefusesExpiredValues() {
        table.put("a", "k", "v");
        assertEquals(Optional.of("v"), table.take("k"));
        assertEquals(Optional.empty(), table.take("k"));
        table.put("a", "late", "v");
        clock.advance(Duration.ofMinutes(5));
        assertEquals(Optional.empty(), table.take("late"));
        assertEquals(0, table.held("a"));
    }

    @Test
    void remove_onlyTheExpectedValue() {
        table.put("a", "k", "v");
        assertFalse(table.remove("k", "w"));
        assertTrue(table.replace("k", "v", "w"));
        assertFalse(table.replace("k", "v", "x"));
        assertTrue(table.remove("k", "w"));
        assertFalse(table.remove("k", "w"));
    }

    @Test
    void clientAddress_ipv6CountsPer64_ipv4PerAddress() {
        assertEquals("127.0.0.2", dev.tabard.http.ClientAddress.of("127.0.0.2"));
        assertEquals("127.0.0.2", dev.tabard.http.ClientAddress.of("::ffff:127.0.0.2"));
        assertEquals("2001:db8:0:1::/64", dev.tabard.http.ClientAddress.of("2001:db8:0:1:aaaa:bbbb:cccc:dddd"));
        assertEquals(dev.tabard.http.ClientAddress.of("[2001:db8:0:1::1]"), dev.tabard.http.ClientAddress.of("2001:db8:0:1:ffff::2%eth0"));
        assertEquals("0:0:0:0::/64", dev.tabard.http.ClientAddress.of("::1"));
    }
}
