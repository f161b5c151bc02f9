package dev.tabard.wallet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.did.Did;
import dev.tabard.did.key.KeyDidResolver;
import dev.tabard.fetch.FetchPolicy;
import dev.tabard.fetch.SafeFetcher;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.Verifier;
import dev.tabard.wallet.oid4vci.IssuanceClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Wallet#openExisting}: opens the wallets {@code open} made, and never makes one of a wrong path or file. */
class WalletOpenExistingTest {

    @TempDir
    Path dir;

    private final SafeFetcher fetcher = new SafeFetcher(FetchPolicy.builder().build());
    private final Verifier verifier = Verifier.builder().resolver(new KeyDidResolver())
            .trustPolicy(TrustPolicy.builder().trustAnyIssuer().build()).fetchPolicy(fetcher.policy()).build();

    private Wallet openExisting(Path file) {
        return Wallet.openExisting(file, "s".toCharArray(), verifier, new IssuanceClient(fetcher, Clock.systemUTC()), Clock.systemUTC());
    }

    @Test
    void openExisting_walletMadeByOpen_hasTheSameDid() {
        Path file = dir.resolve("agent.wallet");
        Did did;
        try (Wallet w = Wallet.open(file, "s".toCharArray(), verifier, new IssuanceClient(fetcher, Clock.systemUTC()), Clock.systemUTC())) {
            did = w.did();
        }
        try (Wallet w = openExisting(file)) {
            assertEquals(did, w.did());
        }
    }

    @Test
    void openExisting_missingPath_isNotFoundAndCreatesNothing() {
        Path file = dir.resolve("typo").resolve("agnet.wallet");
        ProblemException e = assertThrows(ProblemException.class, () -> openExisting(file));
        assertEquals(ProblemType.RESOURCE_NOT_FOUND, e.type());
        assertTrue(e.problem().detail().contains(file.toString()), e.problem().detail());
        assertFalse(Files.exists(file.getParent()));
    }

    @Test
    void openExisting_emptyTextDatabaseOrDirectory_isRefusedAndLeftUnchanged() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.wallet"));
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a wallet, but sixteen bytes and more");
        Path db = dir.resolve("other.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            c.createStatement().executeUpdate("CREATE TABLE t (x TEXT)");
        }
        for (Path file : new Path[] {empty, text, db, dir}) {
            byte[] before = Files.isDirectory(file) ? new byte[0] : Files.readAllBytes(file);
            ProblemException e = assertThrows(ProblemException.class, () -> openExisting(file));
            assertEquals(ProblemType.MALFORMED_VALUE_ERROR, e.type(), file.toString());
            assertTrue(e.problem().detail().contains(file.toString()), e.problem().detail());
            if (!Files.isDirectory(file)) {
                assertArrayEquals(before, Files.readAllBytes(file), "unchanged: " + file);
            }
        }
        assertTrue(openExistingDetail(empty).contains("is empty"));
    }

    private String openExistingDetail(Path file) {
        ProblemException e = assertThrows(ProblemException.class, () -> openExisting(file));
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, e.type(), file.toString());
        return e.problem().detail();
    }
}
