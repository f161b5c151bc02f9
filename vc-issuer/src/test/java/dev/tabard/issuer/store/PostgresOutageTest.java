package dev.tabard.issuer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.did.Did;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.testing.PostgresServer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database that stops answering while the issuer runs: reads and writes fail as {@code SERVICE_UNAVAILABLE} (503,
 * retry), never as the issuer's own fault, and the store works again by itself once the database is back.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PostgresOutageTest {

    @TempDir
    Path dir;

    @Test
    void databaseGone_isServiceUnavailable_andTheStoreRecoversByItself() throws Exception {
        String url = PostgresServer.shared().createDatabase();
        String name = url.substring(url.lastIndexOf('/') + 1);
        String server = url.substring(0, url.lastIndexOf('/') + 1) + "postgres";
        Did agent = Did.parse("did:web:agents.example:procurement");
        try (IssuerStore store = PostgresIssuerStore.open(new DatabaseSettings(url, PostgresServer.USER, ""), dir.resolve("data"),
                Clock.systemUTC(), new SecureRandom())) {
            assertTrue(store.agent(agent).isEmpty());

            // the database refuses new connections and drops the ones the pool holds
            admin(server, "ALTER DATABASE " + name + " ALLOW_CONNECTIONS false",
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
            ProblemException read = assertThrows(ProblemException.class, () -> store.agent(agent));
            assertEquals(ProblemType.SERVICE_UNAVAILABLE, read.problem().type());
            ProblemException write = assertThrows(ProblemException.class,
                    () -> store.record(new IssuerStore.Audit("test", "outage.probe", "-", "{}")));
            assertEquals(ProblemType.SERVICE_UNAVAILABLE, write.problem().type());

            admin(server, "ALTER DATABASE " + name + " ALLOW_CONNECTIONS true");
            // a connection the pool still held from before may fail once more (the pool then drops it), as a retry
            // after the 503 would see; within seconds the store answers again, without a restart
            Instant deadline = Instant.now().plusSeconds(30);
            boolean answered = false;
            while (!answered && Instant.now().isBefore(deadline)) {
                try {
                    boolean empty = store.agent(agent).isEmpty();
                    store.record(new IssuerStore.Audit("test", "outage.over", "-", "{}"));
                    answered = empty;
                } catch (ProblemException stillDown) {
                    assertEquals(ProblemType.SERVICE_UNAVAILABLE, stillDown.problem().type());
                }
            }
            assertTrue(answered, "the store answers again without a restart");
            assertTrue(store.audit(0, 1000).stream().anyMatch(e -> e.action().equals("outage.over")));
            assertTrue(store.audit(0, 1000).stream().noneMatch(e -> e.action().equals("outage.probe")), "nothing half-written");
        }
    }

    private static void admin(String url, String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection(url, PostgresServer.USER, ""); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}
