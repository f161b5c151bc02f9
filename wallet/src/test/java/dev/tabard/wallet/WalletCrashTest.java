package dev.tabard.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabard.wallet.store.CredentialQuery;
import dev.tabard.wallet.store.WalletStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two processes write one wallet file; both are SIGKILLed mid-write; everything they reported committed is there. */
class WalletCrashTest {

    @TempDir
    Path dir;

    @Test
    void killMidWriteLosesNothingCommitted() throws Exception {
        Path file = dir.resolve("shared.wallet");
        try (WalletStore init = WalletStore.open(file)) {
            init.meta("x"); // create the schema before two writers race for it
        }
        List<Process> writers = new ArrayList<>();
        List<BufferedReader> outs = new ArrayList<>();
        for (String name : new String[] {"a", "b"}) {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), WalletWriterProcess.class.getName(), file.toString(), name).start();
            writers.add(p);
            outs.add(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
        }
        int[] committed = new int[2];
        // the blocking reads run on their own thread, bounded by a deadline: a writer that hangs without dying fails the
        // test, and the writers are killed either way (which also ends a read still blocked)
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            reader.submit(() -> {
                while (committed[0] < 100 || committed[1] < 100) {
                    for (int i = 0; i < 2; i++) {
                        String line = outs.get(i).readLine();
                        assertTrue(line != null, "writer " + i + " died early");
                        committed[i] = Integer.parseInt(line.trim());
                    }
                }
                return null;
            }).get(120, TimeUnit.SECONDS);
        } finally {
            for (Process p : writers) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            reader.shutdownNow();
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); ResultSet rs = c.createStatement().executeQuery("PRAGMA integrity_check")) {
            rs.next();
            assertEquals("ok", rs.getString(1));
        }
        try (WalletStore store = WalletStore.open(file)) {
            var all = store.query(CredentialQuery.all());
            long a = all.stream().filter(x -> x.id().startsWith("urn:uuid:a-")).count();
            long b = all.stream().filter(x -> x.id().startsWith("urn:uuid:b-")).count();
            assertTrue(a >= committed[0] && b >= committed[1], a + "/" + committed[0] + ", " + b + "/" + committed[1]);
        }
    }
}
