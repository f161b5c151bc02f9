package dev.tabard.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.did.key.KeyDidResolver;
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
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tabard wallet} as its own JVM: which paths it opens (only {@code init} creates a wallet), and what
 * {@code wallet list} and {@code wallet present} say about credentials that are active, suspended, revoked, expired
 * or whose status cannot be read, against a real did:key issuer on 127.0.0.1 (HTTPS).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class WalletListProcessTest {

    private static final String ADMIN = "tabard_Zyrzkejts9L_buxSPcwhhZOqWAfI_ep_HFujCsJVQbs";
    private static final String SECRET = "wallet list test secret";
    private final SelfSignedTls tls = SelfSignedTls.localhost();
    @TempDir
    Path dir;
    private IssuerServer issuer;
    private String base;
    private Path cert;

    private record Run(int code, String out, String err) {
    }

    /** A did:key issuer whose clock is {@code clock}, issuing credentials valid one hour. */
    private void startIssuer(Clock clock) throws Exception {
        // the status-list URLs in its credentials name the port, so it is chosen before the issuer binds it
        issuer = IssuerServer.start(new IssuerConfig(dir.resolve("issuer"), URI.create("https://localhost:0"),
                "key", "ACME", "issuer secret".toCharArray(), Duration.ofHours(1), Optional.of(ADMIN), 0), Optional.of(tls.serverContext()),
                clock);
        base = "https://localhost:" + issuer.port();
        cert = dir.resolve("issuer.pem");
        Files.writeString(cert, tls.certificatePem());
    }

    @AfterEach
    void stop() {
        if (issuer != null) {
            issuer.close();
        }
    }

    /** A wallet file holding one credential issued to it, stored by a wallet whose clock is {@code clock}; its id. */
    private String walletWithCredential(Path file, Clock clock) throws Exception {
        SafeFetcher fetcher = new SafeFetcher(FetchPolicy.builder().allowHost("localhost").trustCertificate(tls.certificate()).build());
        Verifier verifier = Verifier.builder().resolver(new KeyDidResolver()).trustPolicy(TrustPolicy.builder().trustAnyIssuer().build())
                .fetchPolicy(fetcher.policy()).clock(clock).build();
        try (Wallet w = Wallet.open(file, SECRET.toCharArray(), verifier, new IssuanceClient(fetcher, clock), clock)) {
            post("/admin/agents", "{\"did\":\"" + w.did() + "\",\"name\":\"agent\",\"operator\":{\"name\":\"Ops\"},"
                    + "\"capabilities\":[\"supplier:lookup\"]}");
            return w.store(post("/admin/agents/" + w.did() + "/credentials", null).get("vcJwt").asText()).id();
        }
    }

    private JsonNode post(String path, String body) throws Exception {
        HttpClient admin = HttpClient.newBuilder().sslContext(tls.clientContext()).build();
        HttpResponse<String> r = admin.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + ADMIN)
                .header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(2, r.statusCode() / 100, r.body());
        return r.body().isEmpty() ? null : JsonCodec.parse(r.body());
    }

    private Run tabard(String... args) throws Exception {
        return tabard(true, args);
    }

    /** Runs {@code tabard args}, with {@code --allow-host localhost --trust-cert} for the issuer when {@code net}. */
    private Run tabard(boolean net, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), Tabard.class.getName()));
        cmd.addAll(List.of(args));
        if (net && cert != null) {
            cmd.addAll(List.of("--allow-host", "localhost", "--trust-cert", cert.toString()));
        }
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("TABARD_"));
        pb.environment().put("TABARD_WALLET_SECRET", SECRET);
        Process p = pb.start();
        try {
            assertTrue(p.waitFor(90, TimeUnit.SECONDS), "tabard " + String.join(" ", args) + " did not finish");
        } finally {
            p.destroyForcibly();
        }
        return new Run(p.exitValue(), Files.readString(out).trim(), Files.readString(err).trim());
    }

    @Test
    void anyCommandButInit_missingWallet_saysSoPointsToInitAndCreatesNothing() throws Exception {
        Path typo = dir.resolve("agnet.wallet");
        for (String[] args : new String[][] {{"wallet", "list"}, {"wallet", "delegations"},
            {"wallet", "present", "--challenge", "c", "--domain", "https://shop.example"},
            {"wallet", "receive", "--offer", "openid-credential-offer://?credential_offer_uri=https%3A%2F%2Flocalhost%2Fo"}}) {
            List<String> a = new ArrayList<>(List.of(args));
            a.addAll(List.of("--wallet", typo.toString()));
            Run r = tabard(a.toArray(String[]::new));
            assertEquals(1, r.code(), r.out() + r.err());
            assertTrue(r.err().contains("there is no wallet at " + typo) && r.err().contains("tabard wallet init --wallet " + typo), r.err());
            assertFalse(Files.exists(typo), "no wallet made by " + args[1]);
        }
    }

    @Test
    void init_createsOnceThenReopens_andAnEmptyOrForeignFileIsRefusedUnchanged() throws Exception {
        Path file = dir.resolve("agents").resolve("a.wallet");
        Run made = tabard("wallet", "init", "--wallet", file.toString());
        assertEquals(0, made.code(), made.err());
        assertTrue(made.out().startsWith("did:key:"), made.out());
        Run again = tabard("wallet", "init", "--wallet", file.toString());
        assertEquals(made.out(), again.out(), "the same wallet, the same DID");
        Run none = tabard("wallet", "list", "--wallet", file.toString());
        assertEquals(0, none.code(), none.err());
        assertTrue(none.out().startsWith("no credentials in " + file) && none.out().contains("tabard wallet receive"), none.out());

        Path empty = Files.createFile(dir.resolve("empty.wallet"));
        Path foreign = Files.writeString(dir.resolve("notes.wallet"), "{\"not\": \"a wallet, just some JSON\"}");
        for (Path p : new Path[] {empty, foreign}) {
            byte[] before = Files.readAllBytes(p);
            for (String command : new String[] {"init", "list"}) {
                Run r = tabard("wallet", command, "--wallet", p.toString());
                assertEquals(1, r.code(), r.out() + r.err());
                assertTrue(r.err().startsWith("error: Malformed value: ") && r.err().contains(p.toString()), r.err());
                assertFalse(r.out().startsWith("did:key:"), r.out());
                assertArrayEquals(before, Files.readAllBytes(p), "unchanged: " + p);
            }
        }
        assertTrue(tabard("wallet", "list", "--wallet", empty.toString()).err().contains("is empty, not a wallet"));
    }

    @Test
    void list_showsValidityAndStatus_activeSuspendedRevokedAndUnknown() throws Exception {
        startIssuer(Clock.systemUTC());
        Path file = dir.resolve("agent.wallet");
        String id = walletWithCredential(file, Clock.systemUTC());
        Run active = tabard("wallet", "list", "--wallet", file.toString());
        assertEquals(0, active.code(), active.out() + active.err());
        assertTrue(active.out().startsWith(id + "  did:key:") && active.out().contains("  [supplier:lookup]  valid from 20") && active.out().contains(" until 20")
                && active.out().endsWith("  active"), active.out());

        post("/admin/credentials/" + id + "/suspend", null);
        Run suspended = tabard("wallet", "list", "--wallet", file.toString());
        assertEquals(1, suspended.code(), suspended.out() + suspended.err());
        assertTrue(suspended.out().startsWith(id + "  suspended: "), suspended.out());

        post("/admin/credentials/" + id + "/revoke", null);
        Run revoked = tabard("wallet", "list", "--wallet", file.toString());
        assertTrue(revoked.out().startsWith(id + "  revoked: ") || revoked.out().startsWith(id + "  suspended: "), revoked.out());

        issuer.close();
        issuer = null;
        Run unknown = tabard("wallet", "list", "--wallet", file.toString());
        assertEquals(1, unknown.code(), unknown.out() + unknown.err());
        assertTrue(unknown.out().startsWith(id + "  status unknown: "), unknown.out() + unknown.err());
    }

    @Test
    void receive_withoutNetFlags_namesAllowHostThenTrustCert_andWithBothStores() throws Exception {
        startIssuer(Clock.systemUTC());
        Path file = dir.resolve("agent.wallet");
        String did = tabard("wallet", "init", "--wallet", file.toString()).out();
        post("/admin/agents", "{\"did\":\"" + did + "\",\"name\":\"agent\",\"operator\":{\"name\":\"Ops\"},"
                + "\"capabilities\":[\"supplier:lookup\"]}");
        String offer = JsonCodec.writeString(post("/admin/agents/" + did + "/offer", null).get("credential_offer"));
        Run refused = tabard(false, "wallet", "receive", "--wallet", file.toString(), "--offer", offer);
        assertEquals(1, refused.code(), refused.out() + refused.err());
        assertTrue(refused.err().startsWith("error: Retrieval refused by policy: ") && refused.err().endsWith("; to reach it, pass "
                + "--allow-host localhost"), refused.err());
        Run untrusted = tabard(false, "wallet", "receive", "--wallet", file.toString(), "--offer", offer, "--allow-host", "localhost");
        assertEquals(1, untrusted.code(), untrusted.out() + untrusted.err());
        assertTrue(untrusted.err().startsWith("error: Retrieval failed: the TLS handshake with localhost:") && untrusted.err()
                .contains("pass --trust-cert FILE"), untrusted.err());
        assertFalse(untrusted.err().contains("PKIX"), untrusted.err());
        Run stored = tabard("wallet", "receive", "--wallet", file.toString(), "--offer", offer);
        assertEquals(0, stored.code(), stored.out() + stored.err());
        assertTrue(stored.out().startsWith("stored "), stored.out());
    }

    @Test
    void expiredCredential_listSaysExpired_presentSaysAskTheIssuerForANewOffer() throws Exception {
        Clock past = Clock.offset(Clock.systemUTC(), Duration.ofHours(-3));
        startIssuer(past);
        Path file = dir.resolve("agent.wallet");
        String id = walletWithCredential(file, past);
        Run listed = tabard("wallet", "list", "--wallet", file.toString());
        assertEquals(1, listed.code(), listed.out() + listed.err());
        assertTrue(listed.out().startsWith(id + "  expired: ") && listed.out().contains(" expired at "), listed.out() + listed.err());
        Run presented = tabard("wallet", "present", "--wallet", file.toString(), "--challenge", "c-1", "--domain", "https://shop.example",
                "--capability", "supplier:lookup");
        assertEquals(1, presented.code(), presented.out() + presented.err());
        assertTrue(presented.err().startsWith("error: Credential expired: the credential " + id + " expired")
                && presented.err().contains("ask the issuer for a new offer"), presented.err());
        assertFalse(presented.err().contains("Missing capability"), presented.err());
    }
}
