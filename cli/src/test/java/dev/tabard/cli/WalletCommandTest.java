package dev.tabard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.did.DidResolver;
import dev.tabard.did.DidResolvers;
import dev.tabard.did.key.KeyDidResolver;
import dev.tabard.didweb.WebDidResolver;
import dev.tabard.fetch.FetchPolicy;
import dev.tabard.fetch.SafeFetcher;
import dev.tabard.fetch.SelfSignedTls;
import dev.tabard.issuer.IssuerConfig;
import dev.tabard.issuer.http.IssuerServer;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.Verifier;
import dev.tabard.wallet.Wallet;
import dev.tabard.wallet.oid4vci.IssuanceClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tabard wallet} as its own JVM against a real issuer on 127.0.0.1 (HTTPS), on a real wallet file that the test
 * then edits the way an attacker with write access would.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class WalletCommandTest {

    private static final String ADMIN = "tabard_Zyrzkejts9L_buxSPcwhhZOqWAfI_ep_HFujCsJVQbs";
    private static final String SECRET = "wallet command test secret";
    private final SelfSignedTls tls = SelfSignedTls.localhost();
    @TempDir
    Path dir;
    private IssuerServer issuer;
    private String base;
    private SafeFetcher fetcher;
    private Path cert;

    private record Run(int code, String out, String err, long millis) {
    }

    @BeforeEach
    void start() throws Exception {
        // the did:web names the port, so it is chosen before the issuer binds it
        issuer = IssuerServer.start(new IssuerConfig(dir.resolve("issuer"), URI.create("https://localhost:0"),
                "web", "ACME", "issuer secret".toCharArray(), Duration.ofHours(1), Optional.of(ADMIN), 0), Optional.of(tls.serverContext()),
                Clock.systemUTC());
        base = "https://localhost:" + issuer.port();
        fetcher = new SafeFetcher(FetchPolicy.builder().allowHost("localhost").trustCertificate(tls.certificate()).build());
        cert = dir.resolve("issuer.pem");
        Files.writeString(cert, tls.certificatePem());
    }

    @AfterEach
    void stop() {
        issuer.close();
    }

    private Wallet wallet(Path file) {
        DidResolver resolver = DidResolvers.of(WebDidResolver.builder().fetcher(fetcher).build(), new KeyDidResolver());
        Verifier verifier = Verifier.builder().resolver(resolver).trustPolicy(TrustPolicy.builder().trustWebDomain("localhost").build())
                .fetchPolicy(fetcher.policy()).build();
        return Wallet.open(file, SECRET.toCharArray(), verifier, new IssuanceClient(fetcher, Clock.systemUTC()), Clock.systemUTC());
    }

    private JsonNode post(String path, String body) throws Exception {
        HttpClient admin = HttpClient.newBuilder().sslContext(tls.clientContext()).build();
        HttpResponse<String> r = admin.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(2, r.statusCode() / 100, r.body());
        return r.body().isEmpty() ? null : JsonCodec.parse(r.body());
    }

    /** A wallet file holding one credential issued to it; returns the credential id. */
    private String walletWithCredential(Path file) throws Exception {
        try (Wallet w = wallet(file)) {
            post("/admin/agents", "{\"did\":\"" + w.did() + "\",\"name\":\"agent\",\"operator\":{\"name\":\"Ops\"},"
                    + "\"capabilities\":[\"supplier:lookup\"]}");
            return w.store(post("/admin/agents/" + w.did() + "/credentials", null).get("vcJwt").asText()).id();
        }
    }

    private Run tabard(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), Tabard.class.getName()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("TABARD_"));
        pb.environment().put("TABARD_WALLET_SECRET", SECRET);
        long start = System.nanoTime();
        Process p = pb.start();
        try {
            assertTrue(p.waitFor(90, TimeUnit.SECONDS), "tabard " + String.join(" ", args) + " did not finish");
        } finally {
            p.destroyForcibly();
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err), (System.nanoTime() - start) / 1_000_000);
    }

    private Run list(Path file) throws Exception {
        return tabard("wallet", "list", "--wallet", file.toString(), "--allow-host", "localhost", "--trust-cert", cert.toString());
    }

    private static void sql(Path file, String statement, String... params) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); PreparedStatement ps = c.prepareStatement(statement)) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            assertEquals(1, ps.executeUpdate(), statement);
        }
    }

    @Test
    void list_tamperedRows_areSkippedWithAWarningAndNeverPrintedAsValid() throws Exception {
        Path file = dir.resolve("agent.wallet");
        String id = walletWithCredential(file);
        Run clean = list(file);
        assertEquals(0, clean.code(), clean.out() + clean.err());
        assertTrue(clean.out().contains(id) && clean.out().contains("[supplier:lookup]"), clean.out());

        sql(file, "UPDATE credentials SET capabilities = '[\"supplier:lookup\",\"treasury:transfer\"]' WHERE id = ?", id);
        Run widened = list(file);
        assertEquals(1, widened.code(), widened.out() + widened.err());
        assertFalse(widened.out().contains(id), widened.out());
        assertFalse(widened.out().contains("treasury:transfer"), widened.out());
        assertTrue(widened.err().contains("warning: skipped " + id) && widened.err().contains("altered"), widened.err());

        sql(file, "UPDATE credentials SET capabilities = '[\"supplier:lookup\"]', id = ? WHERE id = ?",
                "urn:x\u001b]0;owned\u0007\u001b[2J", id);
        Run escapes = list(file);
        assertEquals(1, escapes.code(), escapes.out() + escapes.err());
        assertFalse(escapes.err().contains("\u001b") || escapes.err().contains("\u0007"), "no terminal control characters: " + escapes.err());
        assertTrue(escapes.err().contains("urn:x?]0;owned??[2J"), escapes.err());
    }

    @Test
    void list_credentialOfAnotherWalletCopiedIn_isSkippedAsHolderMismatch() throws Exception {
        Path mine = dir.resolve("mine.wallet");
        Path theirs = dir.resolve("theirs.wallet");
        walletWithCredential(mine);
        String theirId = walletWithCredential(theirs);
        String token;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + theirs);
             ResultSet rs = c.createStatement().executeQuery("SELECT token FROM credentials")) {
            rs.next();
            token = rs.getString(1);
        }
        sql(mine, "UPDATE credentials SET token = ?, id = ?", token, theirId);
        Run r = list(mine);
        assertEquals(1, r.code(), r.out() + r.err());
        assertFalse(r.out().contains(theirId), r.out());
        assertTrue(r.err().contains("not this wallet"), r.err());
    }

    @Test
    void anyWalletCommand_editedKeyDerivationParameters_failsFastNamingTheFile() throws Exception {
        Path file = dir.resolve("kdf.wallet");
        walletWithCredential(file);
        String sealing;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             ResultSet rs = c.createStatement().executeQuery("SELECT value FROM meta WHERE key = 'sealing'")) {
            rs.next();
            sealing = rs.getString(1);
        }
        String salt = sealing.substring(sealing.lastIndexOf('.') + 1);
        for (String edited : new String[] {"v2.argon2id.4194304.2.1." + salt, "v2.argon2id.19456.1000000.1." + salt}) {
            sql(file, "UPDATE meta SET value = ? WHERE key = 'sealing'", edited);
            Run r = list(file);
            assertEquals(1, r.code(), r.out() + r.err());
            assertTrue(r.err().contains("error: Limit exceeded"), r.err());
            assertTrue(r.err().contains(file.toString()), r.err());
            assertTrue(r.millis() < 20_000, "failed fast (JVM start included): " + r.millis() + " ms");
        }
    }

    @Test
    void delegate_receiveDelegation_delegations_andPresentTheChain() throws Exception {
        Path a = dir.resolve("a.wallet");
        Path b = dir.resolve("b.wallet");
        String aDid;
        String bDid;
        try (Wallet w = wallet(b)) {
            bDid = w.did().toString();
        }
        try (Wallet w = wallet(a)) {
            aDid = w.did().toString();
            post("/admin/agents", "{\"did\":\"" + w.did() + "\",\"name\":\"agent\",\"operator\":{\"name\":\"Ops\"},"
                    + "\"capabilities\":[\"supplier:lookup\"],\"delegation\":{\"allowed\":true,\"maxDepth\":1}}");
            w.store(post("/admin/agents/" + w.did() + "/credentials", null).get("vcJwt").asText());
        }
        String[] net = {"--allow-host", "localhost", "--trust-cert", cert.toString()};
        Path chain = dir.resolve("chain.json");
        Run delegated = tabard(concat(new String[] {"wallet", "delegate", "--wallet", a.toString(), "--to", bDid, "--capability",
            "supplier:lookup", "--minutes", "5", "--task", "find paper", "--out", chain.toString()}, net));
        assertEquals(0, delegated.code(), delegated.out() + delegated.err());
        assertTrue(delegated.out().contains("receive-delegation --file " + chain), delegated.out());
        assertEquals(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(chain));

        Run received = tabard(concat(new String[] {"wallet", "receive-delegation", "--wallet", b.toString(), "--file", chain.toString()}, net));
        assertEquals(0, received.code(), received.out() + received.err());
        assertTrue(received.out().contains("received [supplier:lookup] from " + aDid), received.out());
        Run listed = tabard(concat(new String[] {"wallet", "delegations", "--wallet", b.toString()}, net));
        assertTrue(listed.out().contains("received ") && listed.out().contains("from " + aDid) && listed.out().contains("short_lived"),
                listed.out());
        Run presented = tabard(concat(new String[] {"wallet", "present", "--wallet", b.toString(), "--challenge", "c-1", "--domain",
            "https://shop.example", "--capability", "supplier:lookup"}, net));
        assertEquals(0, presented.code(), presented.out() + presented.err());
        Path vp = dir.resolve("vp.jwt");
        Files.writeString(vp, presented.out().trim());
        Run verified = tabard(concat(new String[] {"verify", vp.toString(), "--challenge", "c-1", "--domain", "https://shop.example"}, net));
        assertEquals(0, verified.code(), verified.out() + verified.err());
        assertTrue(verified.out().contains("\"delegationChain\"") && verified.out().contains(aDid), verified.out());

        Run wrong = tabard(concat(new String[] {"wallet", "delegate", "--wallet", a.toString(), "--to", "bob", "--capability",
            "supplier:lookup"}, net));
        assertTrue(wrong.code() != 0 && wrong.err().contains("wallet init"), wrong.err());
        Run widened = tabard(concat(new String[] {"wallet", "delegate", "--wallet", a.toString(), "--to", bDid, "--capability",
            "treasury:transfer"}, net));
        assertTrue(widened.code() != 0 && widened.err().contains("Missing capability") && widened.err().contains("to hand on"), widened.err());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
