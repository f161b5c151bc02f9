package dev.tabard.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.fetch.FetchPolicy;
import dev.tabard.fetch.SafeFetcher;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.testing.LogCapture;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.Verifier;
import dev.tabard.wallet.oid4vci.IssuanceClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fault while opening a wallet is an INTERNAL_ERROR naming the incident whose trace was logged, not a raw exception. */
class WalletIncidentTest {

    @TempDir
    Path dir;

    private Wallet open(Path file) {
        SafeFetcher fetcher = new SafeFetcher(FetchPolicy.builder().build());
        Verifier verifier = Verifier.builder().trustPolicy(TrustPolicy.builder().trustAnyIssuer().build()).build();
        return Wallet.open(file, "s".toCharArray(), verifier, new IssuanceClient(fetcher, Clock.systemUTC()), Clock.systemUTC());
    }

    @Test
    void open_fileWhoseKeyTypeNoCodeKnows_internalErrorWithTheLoggedIncident() throws Exception {
        Path file = dir.resolve("agent.wallet");
        try (Wallet w = open(file)) {
            assertTrue(w.did().toString().startsWith("did:key:"));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            assertEquals(1, c.createStatement().executeUpdate("UPDATE meta SET value = 'RSA4096' WHERE key = 'key.type'"));
        }
        ProblemException e;
        Optional<String> logged;
        String log;
        try (LogCapture capture = new LogCapture()) {
            e = assertThrows(ProblemException.class, () -> open(file));
            logged = capture.incident();
            log = capture.text();
        }
        assertEquals(ProblemType.INTERNAL_ERROR, e.type());
        assertTrue(e.problem().incident().isPresent(), e.getMessage());
        assertEquals(e.problem().incident(), logged, log);
        assertTrue(log.contains("IllegalArgumentException") && log.contains("RSA4096"), "the log holds the trace: " + log);
        assertFalse(e.getMessage().contains("RSA4096"), e.getMessage());
        // the store was closed on the way out: the file opens again once repaired
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            c.createStatement().executeUpdate("UPDATE meta SET value = 'ED25519' WHERE key = 'key.type'");
        }
        try (Wallet w = open(file)) {
            assertTrue(w.did().toString().startsWith("did:key:"));
        }
    }
}
