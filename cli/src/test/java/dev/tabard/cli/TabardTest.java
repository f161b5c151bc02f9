package dev.tabard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands as a shell runs them: exit codes and what they print. */
class TabardTest {

    private record Run(int code, String out) {
    }

    private static synchronized Run run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int code = Tabard.run(args);
            return new Run(code, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(old);
        }
    }

    @Test
    void demoTellsTheWholeStoryAndExitsZero() {
        Run r = run("demo");
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("verified: procurement-agent"), r.out());
        assertTrue(r.out().contains("the agent is refused: Credential revoked"), r.out());
        assertTrue(r.out().contains("authorized: did:key:"), r.out());
        assertTrue(r.out().contains("refused: Constraint violated: 900 EUR is beyond the limit of 250 EUR"), r.out());
        assertTrue(r.out().contains("and so is everything it delegated: Credential revoked at /verifiableCredential/0"), r.out());
        assertTrue(r.out().contains("intact: true"), r.out());
    }

    @Test
    void demoCallsShowsMutualAuthenticationARefusalTheBreakerAndAnIntactLog() {
        Run r = run("demo", "calls");
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("answered signed by order-desk of Globex Supplies"), r.out());
        assertTrue(r.out().contains("200 {"), r.out());
        assertTrue(r.out().contains("a second call carries only the signature: 200"), r.out());
        assertTrue(r.out().contains("403 ACTION_FORBIDDEN: the caller's authority does not allow purchase-order:negotiate: 9000.00 EUR is beyond"), r.out());
        assertTrue(r.out().contains("503 AGENT_PAUSED"), r.out());
        assertTrue(r.out().contains("Globex's decision log: intact: 6 entries"), r.out());
    }

    @Test
    void resolveAndVerifyExitCodes(@TempDir Path dir) throws Exception {
        Run ok = run("resolve", "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK");
        assertEquals(0, ok.code(), ok.out());
        assertTrue(ok.out().contains("\"didDocument\""));
        Run bad = run("resolve", "did:key:zzz");
        assertEquals(1, bad.code());
        assertTrue(bad.out().contains("INVALID_DID"), bad.out());
        Path junk = dir.resolve("junk.jwt");
        Files.writeString(junk, "eyJhbGciOiJub25lIn0.e30.");
        Run v = run("verify", junk.toString());
        assertEquals(1, v.code(), v.out());
        assertTrue(v.out().contains("\"verified\" : false"), v.out());
    }

    @Test
    void everyDocumentedCommandHasHelp() {
        for (String[] cmd : new String[][] {{"issuer", "serve", "--help"}, {"verifier", "serve", "--help"}, {"resolve", "--help"},
            {"verify", "--help"}, {"wallet", "init", "--help"}, {"wallet", "receive", "--help"}, {"wallet", "list", "--help"},
            {"wallet", "present", "--help"}, {"wallet", "card", "--help"}, {"audit", "verify", "--help"}, {"audit", "checkpoint", "--help"},
            {"demo", "--help"}, {"demo", "calls", "--help"}, {"gate", "serve", "--help"}}) {
            Run r = run(cmd);
            assertEquals(0, r.code(), String.join(" ", cmd));
            assertTrue(r.out().contains("Usage"), r.out());
        }
    }

    @Test
    void issuerServe_badConfigFile_exitsOneNamingTheKey(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("issuer.yaml");
        Files.writeString(config, "data: " + dir.resolve("d") + "\nadminToken: do-not-echo\n");
        java.io.PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Tabard.run("issuer", "serve", "--config", config.toString());
        } finally {
            System.setErr(old);
        }
        assertEquals(1, code);
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("'adminToken' does not belong in a config file"), text);
        assertTrue(!text.contains("do-not-echo"), text);
    }

    @Test
    void auditVerifyOnAMissingStoreIsAClearError(@TempDir Path dir) {
        assertEquals(2, run("audit", "verify", "--data", dir.toString()).code());
    }
}
