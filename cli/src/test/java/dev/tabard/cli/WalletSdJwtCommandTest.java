package dev.tabard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.fetch.SelfSignedTls;
import dev.tabard.issuer.IssuerConfig;
import dev.tabard.issuer.http.IssuerServer;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tabard wallet receive}, {@code tabard wallet present --format dc+sd-jwt --disclose …} and {@code tabard verify}
 * as their own JVMs, against a real issuer on 127.0.0.1 (HTTPS) offering an SD-JWT VC.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class WalletSdJwtCommandTest {

    private static final String ADMIN = "tabard_Wq2rzkejts9L_buxSPcwhhZOqWAfI_ep_HFujCsJVQb";
    private static final String SECRET = "wallet sd-jwt command test secret";
    private final SelfSignedTls tls = SelfSignedTls.localhost();
    @TempDir
    Path dir;
    private IssuerServer issuer;
    private String base;
    private Path cert;

    private record Result(int code, String out, String err) {
    }

    @BeforeEach
    void start() throws Exception {
        issuer = IssuerServer.start(new IssuerConfig(dir.resolve("issuer"), URI.create("https://localhost:0"),
                "web", "ACME", "issuer secret".toCharArray(), Duration.ofHours(1), Optional.of(ADMIN), 0), Optional.of(tls.serverContext()),
                Clock.systemUTC());
        base = "https://localhost:" + issuer.port();
        cert = dir.resolve("issuer.pem");
        Files.writeString(cert, tls.certificatePem());
    }

    @AfterEach
    void stop() {
        issuer.close();
    }

    @Test
    void receivesPresentsASubsetAndVerifies() throws Exception {
        Path file = dir.resolve("agent.wallet");
        Result init = tabard("wallet", "init", "--wallet", file.toString());
        assertEquals(0, init.code(), init.err());
        String did = init.out().strip();
        post("/admin/agents", "{\"did\":\"" + did + "\",\"name\":\"buyer\",\"operator\":{\"name\":\"Ops\",\"email\":\"ops@acme.example\"},"
                + "\"capabilities\":[\"purchase\"],\"constraints\":{\"maxTransactionValue\":{\"amount\":\"500\",\"currency\":\"EUR\"}},"
                + "\"privateConstraints\":[\"maxTransactionValue\"]}");
        String offer = post("/admin/agents/" + did + "/offer?format=dc%2Bsd-jwt", null).get("offer_url").asText();
        Result received = tabard("wallet", "receive", "--wallet", file.toString(), "--offer", offer, "--allow-host", "localhost",
                "--trust-cert", cert.toString());
        assertEquals(0, received.code(), received.err());
        assertTrue(received.out().startsWith("stored urn:sd-jwt:"), received.out());

        Result shown = tabard("wallet", "present", "--wallet", file.toString(), "--format", "dc+sd-jwt", "--disclose", "operator.email",
                "--capability", "purchase", "--challenge", "c-1", "--domain", "https://verifier.example", "--allow-host", "localhost",
                "--trust-cert", cert.toString());
        assertEquals(0, shown.code(), shown.err());
        Path presentation = dir.resolve("presentation.txt");
        Files.writeString(presentation, shown.out().strip());

        Result ok = tabard("verify", presentation.toString(), "--challenge", "c-1", "--domain", "https://verifier.example",
                "--allow-host", "localhost", "--trust-cert", cert.toString());
        assertEquals(0, ok.code(), ok.out() + ok.err());
        JsonNode result = JsonCodec.parse(ok.out());
        assertEquals("[[\"operator\",\"email\"]]", result.get("disclosed").toString(), result.toString());
        assertFalse(result.toString().contains("\"500\""), "the private limit was not disclosed: " + result);

        Result wrongNonce = tabard("verify", presentation.toString(), "--challenge", "c-2", "--domain", "https://verifier.example",
                "--allow-host", "localhost", "--trust-cert", cert.toString());
        assertEquals(1, wrongNonce.code(), wrongNonce.out());

        // an SD-JWT VC as issued (ending in ~, no key-binding JWT) is verified as a credential: no challenge, no holder
        Path issued = dir.resolve("issued.txt");
        Files.writeString(issued, post("/admin/agents/" + did + "/credentials?format=dc%2Bsd-jwt", "").get("credential").asText());
        Result credential = tabard("verify", issued.toString(), "--allow-host", "localhost", "--trust-cert", cert.toString());
        assertEquals(0, credential.code(), credential.out() + credential.err());
        JsonNode checked = JsonCodec.parse(credential.out()).get("checks");
        assertTrue(checked.toString().contains("\"status\"") && !checked.toString().contains("holder_binding"), checked.toString());

        Result vcJwtDisclose = tabard("wallet", "present", "--wallet", file.toString(), "--disclose", "operator.email",
                "--challenge", "c", "--domain", "d");
        assertFalse(vcJwtDisclose.code() == 0, "--disclose without --format dc+sd-jwt is refused");
    }

    private JsonNode post(String path, String body) throws Exception {
        HttpClient admin = HttpClient.newBuilder().sslContext(tls.clientContext()).build();
        HttpResponse<String> r = admin.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + ADMIN)
                .header("Content-Type", "application/json").POST(body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(2, r.statusCode() / 100, r.body());
        return r.body().isEmpty() ? null : JsonCodec.parse(r.body());
    }

    private Result tabard(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), Tabard.class.getName()));
        cmd.addAll(List.of(args));
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
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
