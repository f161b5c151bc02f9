package dev.tabard.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The wallet file on disk: who may read it, and what an edited file can make the wallet do. */
class WalletFileTest {

    @TempDir
    Path dir;

    private Wallet open(Path file, String secret) {
        SafeFetcher fetcher = new SafeFetcher(FetchPolicy.builder().build());
        KeyDidResolver resolver = new KeyDidResolver();
        Verifier verifier = Verifier.builder().resolver(resolver).trustPolicy(TrustPolicy.builder().trustAnyIssuer().build())
                .fetchPolicy(fetcher.policy()).build();
        return Wallet.open(file, secret.toCharArray(), verifier, new IssuanceClient(fetcher, Clock.systemUTC()), Clock.systemUTC());
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void open_newWallet_fileWalShmAndCreatedDirectoryAreOwnerOnly() throws Exception {
        Path file = dir.resolve("agents").resolve("a").resolve("agent.wallet");
        try (Wallet w = open(file, "s")) {
            assertTrue(w.did().toString().startsWith("did:key:"));
            assertEquals("rw-------", mode(file));
            assertEquals("rw-------", mode(Path.of(file + "-wal")), "WAL");
            assertEquals("rw-------", mode(Path.of(file + "-shm")), "SHM");
            assertEquals("rwx------", mode(file.getParent()));
            assertEquals("rwx------", mode(file.getParent().getParent()));
        }
    }

    @Test
    void open_existingWorldReadableWallet_isNarrowedToOwnerOnly() throws Exception {
        Path file = dir.resolve("old.wallet");
        try (Wallet w = open(file, "s")) {
            assertEquals("rw-------", mode(file));
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        try (Wallet w = open(file, "s")) {
            assertEquals("rw-------", mode(file));
        }
    }

    /** Defect 8: parameters edited into a real wallet file made the CLI run out of memory after 20 s or spin for 71 s. */
    @ParameterizedTest(name = "{0}")
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    @CsvSource(delimiter = '|', value = {
        "4 GiB of memory|4194304|2|1|LIMIT_EXCEEDED",
        "a million passes|19456|1000000|1|LIMIT_EXCEEDED",
        "64 lanes|19456|2|64|LIMIT_EXCEEDED",
        "below the OWASP floor|1024|1|1|LIMIT_EXCEEDED",
        "not numbers|x|y|z|MALFORMED_VALUE_ERROR",
    })
    void open_editedKeyDerivationParameters_failsFastNamingTheFile(String name, String memory, String iterations, String lanes,
                                                                  ProblemType expected) throws Exception {
        Path file = dir.resolve("edited.wallet");
        String did;
        try (Wallet w = open(file, "s")) {
            did = w.did().toString();
        }
        String original;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT value FROM meta WHERE key = 'sealing'")) {
                rs.next();
                original = rs.getString(1);
            }
            String[] p = original.split("\\.");
            setSealing(c, "v2.argon2id." + memory + "." + iterations + "." + lanes + "." + p[5]);
        }
        long start = System.nanoTime();
        ProblemException e = assertThrows(ProblemException.class, () -> open(file, "s"));
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertEquals(expected, e.type(), e.getMessage());
        assertTrue(e.problem().detail().contains(file.toString()), e.problem().detail());
        assertTrue(millis < 2_000, "refused in " + millis + " ms, before any derivation");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            setSealing(c, original);
        }
        try (Wallet w = open(file, "s")) {
            assertEquals(did, w.did().toString(), "the refusal changed nothing in the file");
        }
    }

    /** The former scrypt sealer's format still opens (WalletSealingUpgradeTest), but only within what it ever wrote. */
    @Test
    void open_formerScryptParametersBeyondWhatItWrote_areRefusedAsLimitExceeded() throws Exception {
        Path file = dir.resolve("scrypt.wallet");
        try (Wallet w = open(file, "s")) {
            assertTrue(w.did().toString().startsWith("did:key:"));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            setSealing(c, "v1.22.32.16.AAAAAAAAAAAAAAAAAAAAAA");
        }
        assertEquals(ProblemType.LIMIT_EXCEEDED, assertThrows(ProblemException.class, () -> open(file, "s")).type());
    }

    private static void setSealing(Connection c, String value) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("UPDATE meta SET value = ? WHERE key = 'sealing'")) {
            ps.setString(1, value);
            assertEquals(1, ps.executeUpdate());
        }
    }
}
