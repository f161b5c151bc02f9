package dev.tabard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.Did;
import dev.tabard.did.key.KeyDids;
import dev.tabard.fetch.FetchPolicy;
import dev.tabard.fetch.SafeFetcher;
import dev.tabard.http.HttpService;
import dev.tabard.vc.AgentClaims;
import dev.tabard.vc.jose.VcJose;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.Verifier;
import dev.tabard.wallet.Wallet;
import dev.tabard.wallet.call.AgentHttpClient;
import dev.tabard.wallet.call.AgentRequest;
import dev.tabard.wallet.call.AgentResponse;
import dev.tabard.wallet.oid4vci.IssuanceClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tabard gate serve} as an operator runs it, in a real process, in front of a real service: an agent of a trusted
 * organization calls through it; the service sees the verified agent, never the fields a client sends in its name; the
 * decision log the process wrote verifies with {@code tabard audit verify --log}.
 */
class GateServeProcessTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SECRET = "gate-wallet-secret";

    @TempDir
    Path dir;

    private static String credential(KeyPair org, Did agent, Set<String> caps) {
        Instant now = Instant.now();
        AgentClaims claims = new AgentClaims(agent, "agent", KeyDids.of(org.publicKey()), "Org", new AgentClaims.Operator("Ops", Optional.empty()),
                caps, new AgentClaims.Constraints(Optional.of(new AgentClaims.Money("100", "EUR")), List.of(), "{}"), AgentClaims.Delegation.none());
        ObjectNode vc = claims.credential(URI.create("urn:uuid:" + UUID.randomUUID()), now, now.plus(Duration.ofHours(1)), List.of());
        return VcJose.secureCredential(vc, org, KeyDids.methodId(org.publicKey()), now);
    }

    /** The text of the README block that follows {@code opening}. */
    private static String block(String readme, String opening) {
        int start = readme.indexOf(opening);
        assertTrue(start >= 0, "the README shows " + opening.trim());
        start += opening.length();
        return readme.substring(start, readme.indexOf("\n```", start));
    }

    private static Wallet wallet(Path file, char[] secret) {
        Verifier any = Verifier.builder().trustPolicy(TrustPolicy.builder().trustAnyIssuer().build()).build();
        return Wallet.open(file, secret, any, new IssuanceClient(new SafeFetcher(FetchPolicy.defaults()), Clock.systemUTC()), Clock.systemUTC());
    }

    @Test
    @Timeout(120)
    void aTrustedAgentCallsThroughTheProxyAndTheLogVerifies() throws Exception {
        KeyPair buyerOrg = KeyPair.generate(KeyType.ED25519, RANDOM);
        KeyPair supplierOrg = KeyPair.generate(KeyType.ED25519, RANDOM);
        Path gateWallet = dir.resolve("gate.wallet");
        try (Wallet g = wallet(gateWallet, SECRET.toCharArray())) {
            g.store(credential(supplierOrg, g.did(), Set.of("orders:answer")));
        }
        Map<String, String> seen = new ConcurrentHashMap<>();
        HttpService upstream = HttpService.builder("upstream").passBodiesOfAnyMediaType().build();
        upstream.app().post("/orders", ctx -> {
            seen.put("agent", String.valueOf(ctx.header("Tabard-Agent")));
            seen.put("action", String.valueOf(ctx.header("Tabard-Action")));
            seen.put("decision", String.valueOf(ctx.header("Tabard-Decision")));
            ctx.json(Map.of("placed", true));
        });
        upstream.start();
        String readme = Files.readString(Path.of("../README.md"));
        Files.writeString(dir.resolve("routes.json"), block(readme, "<!-- gate-routes-example -->\n```json\n"));
        Files.writeString(dir.resolve("policy.json"), "{\"trustedIssuers\": [\"" + KeyDids.of(buyerOrg.publicKey()) + "\"]}");
        Path log = dir.resolve("decisions.jsonl");
        // the README's command as written, on a free port and with this test's upstream
        String shown = block(readme, "<!-- gate-serve-example: cli/src/test/java/dev/tabard/cli/GateServeProcessTest.java -->\n```\n");
        String launcher = "cli/target/tabard/bin/tabard ";
        assertTrue(shown.startsWith(launcher + "gate serve "), shown);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), Tabard.class.getName()));
        cmd.addAll(List.of(shown.substring(launcher.length()).replace("--port 8443", "--port 0")
                .replace("http://127.0.0.1:9000", "http://127.0.0.1:" + upstream.port()).split(" ")));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("TABARD_"));
        pb.environment().put("TABARD_WALLET_SECRET", SECRET);
        Process p = pb.start();
        try {
            // the port the gate bound (--port 0), from its start line, waited for with a deadline
            int port = ProcessOutput.follow(p).port(Pattern.compile("gate serving http://127\\.0\\.0\\.1:(\\d+) in front of"),
                    Duration.ofSeconds(60));
            try (Wallet buyer = wallet(dir.resolve("buyer.wallet"), "buyer".toCharArray())) {
                buyer.store(credential(buyerOrg, buyer.did(), Set.of("orders:place")));
                Verifier trustsSupplier = Verifier.builder().trustPolicy(TrustPolicy.builder().trustIssuer(KeyDids.of(supplierOrg.publicKey())).build())
                        .build();
                AgentHttpClient client = AgentHttpClient.of(buyer, trustsSupplier, HttpClient.newHttpClient(), Clock.systemUTC());
                AgentResponse ok = client.send(AgentRequest.post(URI.create("http://127.0.0.1:" + port + "/orders"), "application/json",
                        "{\"value\": \"40\"}".getBytes(StandardCharsets.UTF_8)).header("Tabard-Agent", "did:key:z6MkSomeoneElse"));
                assertEquals(200, ok.status(), ok.bodyText());
                assertEquals(buyer.did().toString(), seen.get("agent"));
                JsonNode action = JsonCodec.parse(seen.get("action"));
                assertEquals("orders:place", action.path("capability").asText());
                assertEquals("40", action.path("amount").path("value").asText());
                assertEquals(ok.receipt().orElseThrow().fieldValue(), seen.get("decision"));
                AgentResponse over = client.send(AgentRequest.post(URI.create("http://127.0.0.1:" + port + "/orders"), "application/json",
                        "{\"value\": \"400\"}".getBytes(StandardCharsets.UTF_8)));
                assertEquals(403, over.status(), over.bodyText());
            }
        } finally {
            p.destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            upstream.close();
        }
        assertEquals(0, Tabard.run("audit", "verify", "--log", log.toString()));
    }
}
