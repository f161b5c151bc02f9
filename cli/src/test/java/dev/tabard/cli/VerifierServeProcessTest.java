package dev.tabard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.codec.JsonCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code tabard verifier serve} as an operator runs it: its domain and metrics flags, in a real process. */
class VerifierServeProcessTest {

    private static final String METRICS = "verifier-metrics-token-0123456789";
    private final HttpClient http = HttpClient.newHttpClient();

    /** How long a verifier process may take to print its start lines. */
    private static final Duration START = Duration.ofSeconds(60);
    private static final Pattern SERVING = Pattern.compile("verifier serving https?://127\\.0\\.0\\.1:(\\d+)");

    /** The port the verifier bound ({@code --port 0}), read from its start line. */
    private static int portIn(String startupOutput) {
        Matcher m = SERVING.matcher(startupOutput);
        assertTrue(m.find(), startupOutput);
        return Integer.parseInt(m.group(1));
    }

    /** Everything a process that is expected to exit printed; fails if it does not exit in time. */
    private static String outputOfExit(Process p) throws Exception {
        ProcessOutput out = ProcessOutput.follow(p);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the process did not exit: " + out.text());
        }
        return out.awaitEnd(Duration.ofSeconds(10));
    }

    private static Process serve(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), Tabard.class.getName(), "verifier", "serve"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("TABARD_"));
        pb.environment().putAll(env);
        return pb.start();
    }

    /**
     * The process's output up to its last start line (the one about metrics), waited for with a deadline; the rest of
     * its output keeps being read so that it never blocks on a full pipe.
     */
    private static String startupOutput(Process p) throws Exception {
        ProcessOutput out = ProcessOutput.follow(p);
        out.awaitLine(line -> line.startsWith("metrics:"), START);
        return out.text();
    }

    private HttpResponse<String> send(String method, String url, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A presentation (not a valid one) answering a challenge the caller made up. */
    private static final String CALLERS_OWN_CHALLENGE =
            "{\"verifiablePresentation\":\"eyJhbGciOiJFZERTQSJ9.e30.c2ln\",\"options\":{\"challenge\":\"callers-own\"}}";

    @Test
    @Timeout(120)
    void serve_repeatedDomainsMetricsAndRequiredChallengeFlags_bindChallengesAndGuardMetrics() throws Exception {
        Process p = serve(Map.of("TABARD_VERIFIER_METRICS_TOKEN", METRICS), "--port", "0",
                "--domain", "https://a.example", "--domain", "https://b.example", "--metrics-listen", "127.0.0.1:0",
                "--require-issued-challenges");
        try {
            String out = startupOutput(p);
            int port = portIn(out);
            assertTrue(out.contains("for domain https://a.example, https://b.example"), out);
            java.util.regex.Matcher listener = java.util.regex.Pattern.compile("metrics: on this port with the bearer token and on 127\\.0\\.0\\.1:(\\d+) "
                    + "without a token").matcher(out);
            assertTrue(listener.find(), out);
            int metricsPort = Integer.parseInt(listener.group(1));
            assertTrue(metricsPort > 0, out);
            String base = "http://127.0.0.1:" + port;
            JsonNode forB = JsonCodec.parse(send("POST", base + "/challenges", "{\"domain\":\"https://b.example\"}", null).body());
            assertEquals("https://b.example", forB.get("domain").asText());
            assertEquals("https://a.example", JsonCodec.parse(send("POST", base + "/challenges", null, null).body()).get("domain").asText());
            HttpResponse<String> evil = send("POST", base + "/challenges", "{\"domain\":\"https://evil.example\"}", null);
            assertEquals(400, evil.statusCode());
            assertEquals("https://w3id.org/security#INVALID_DOMAIN_ERROR", JsonCodec.parse(evil.body()).get("type").asText());
            assertEquals(401, send("GET", base + "/metrics", null, null).statusCode());
            assertEquals(200, send("GET", base + "/metrics", null, METRICS).statusCode());
            assertEquals(200, send("GET", "http://127.0.0.1:" + metricsPort + "/metrics", null, null).statusCode());
            HttpResponse<String> own = send("POST", base + "/presentations/verify", CALLERS_OWN_CHALLENGE, null);
            assertEquals("https://w3id.org/security#INVALID_CHALLENGE_ERROR", JsonCodec.parse(own.body()).get("type").asText(),
                    "--require-issued-challenges refuses a challenge this verifier did not issue: " + own.body());
        } finally {
            p.destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        }
    }

    @Test
    @Timeout(120)
    void serve_withoutMetricsFlags_saysHowToTurnThemOn_andAShortTokenIsRefused() throws Exception {
        Process p = serve(Map.of(), "--port", "0");
        try {
            String out = startupOutput(p);
            int port = portIn(out);
            assertTrue(out.contains("metrics: not served (turn on with --metrics-token, TABARD_VERIFIER_METRICS_TOKEN, or --metrics-listen"),
                    out);
            HttpResponse<String> off = send("GET", "http://127.0.0.1:" + port + "/metrics", null, null);
            assertEquals(404, off.statusCode());
            HttpResponse<String> own = send("POST", "http://127.0.0.1:" + port + "/presentations/verify", CALLERS_OWN_CHALLENGE, null);
            assertEquals(400, own.statusCode());
            assertFalse(own.body().contains("INVALID_CHALLENGE_ERROR"), "by default a caller's own challenge is taken: " + own.body());
        } finally {
            p.destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        }
        Process bad = serve(Map.of("TABARD_VERIFIER_METRICS_TOKEN", "short"), "--port", "0");
        String out = outputOfExit(bad);
        assertTrue(bad.exitValue() != 0, out);
        assertTrue(out.contains("TABARD_VERIFIER_METRICS_TOKEN") && out.contains("at least 16"), out);
    }

    @Test
    @Timeout(120)
    void serve_startLineNamesAddressSchemeAndPolicy_andAnEmptyPolicyIsWarnedAbout(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path empty = java.nio.file.Files.writeString(dir.resolve("empty.json"), "{}");
        Path policy = java.nio.file.Files.writeString(dir.resolve("policy.json"),
                "{\"trustedWebDomains\": [\"issuer.example\"], \"requiredCapabilities\": [\"supplier:lookup\"]}");
        Process p = serve(Map.of(), "--port", "0", "--policy", empty.toString());
        try {
            String out = startupOutput(p);
            assertTrue(out.contains("warning: the policy " + empty + " trusts no issuer, so every credential is refused; add "
                    + "\"trustedIssuers\""), out);
            assertTrue(out.contains("verifier serving http://127.0.0.1:") && out.contains("; policy: " + empty
                    + ": 0 trusted issuers, 0 trusted domains, requiring no capability"), out);
        } finally {
            p.destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        }
        Process q = serve(Map.of(), "--port", "0", "--policy", policy.toString(), "--tls-self-signed");
        try {
            String out = startupOutput(q);
            assertFalse(out.contains("warning"), out);
            assertEquals(1, out.lines().filter(l -> l.startsWith("verifier serving https://127.0.0.1:") && l.endsWith("; policy: " + policy
                    + ": 0 trusted issuers, 1 trusted domain [issuer.example], requiring capabilities [supplier:lookup]")).count(), out);
        } finally {
            q.destroy();
            assertTrue(q.waitFor(30, TimeUnit.SECONDS));
        }
    }

    /** A Data Integrity credential as the W3C VC DM 2.0 suite writes one: the examples context and an inline context. */
    private static String suiteCredential(dev.tabard.crypto.KeyPair issuer, dev.tabard.crypto.KeyPair signer) throws Exception {
        java.time.Instant now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        com.fasterxml.jackson.databind.node.ObjectNode vc = (com.fasterxml.jackson.databind.node.ObjectNode) JsonCodec.parse(("""
                {"@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2",
                              {"alumniOf": "https://example.org/vocab#alumniOf"}],
                 "type": ["VerifiableCredential", "ExampleAlumniCredential"], "issuer": "%s", "validFrom": "%s",
                 "credentialSubject": {"id": "did:example:ebfeb1f712ebc6f1c276e12ec21", "alumniOf": "Example University"}}
                """).formatted(dev.tabard.did.key.KeyDids.of(issuer.publicKey()), now.minusSeconds(60)));
        dev.tabard.jsonld.BundledContexts contexts = dev.tabard.jsonld.BundledContexts.standard()
                .withW3cExamplesContextForConformanceRuns().allowingInlineContexts();
        return dev.tabard.vc.di.DataIntegrity.sign(vc, signer, dev.tabard.vc.di.ProofOptions.assertion("eddsa-rdfc-2022",
                dev.tabard.did.key.KeyDids.methodId(signer.publicKey()), now), contexts).toString();
    }

    @Test
    @Timeout(120)
    void serve_vcApiOpenForConformance_acceptsTheSuitesContexts_butStillRefusesAProofByAKeyNotTheIssuers() throws Exception {
        java.security.SecureRandom random = new java.security.SecureRandom();
        dev.tabard.crypto.KeyPair issuer = dev.tabard.crypto.KeyPair.generate(dev.tabard.crypto.KeyType.ED25519, random);
        dev.tabard.crypto.KeyPair forger = dev.tabard.crypto.KeyPair.generate(dev.tabard.crypto.KeyType.ED25519, random);
        Process p = serve(Map.of(), "--port", "0", "--vc-api-open-for-conformance");
        try {
            String out = startupOutput(p);
            int port = portIn(out);
            assertTrue(out.contains("--vc-api-open-for-conformance"), "the server warns about the mode: " + out);
            String url = "http://127.0.0.1:" + port + "/credentials/verify";
            HttpResponse<String> honest = send("POST", url, "{\"verifiableCredential\":" + suiteCredential(issuer, issuer) + "}", null);
            assertEquals(200, honest.statusCode(), honest.body());
            HttpResponse<String> forged = send("POST", url, "{\"verifiableCredential\":" + suiteCredential(issuer, forger) + "}", null);
            assertEquals(400, forged.statusCode(), forged.body());
            assertTrue(JsonCodec.parse(forged.body()).get("type").asText().endsWith("INVALID_VERIFICATION_METHOD"), forged.body());
        } finally {
            p.destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        }
    }

    /** A presentation by a fresh agent answering {@code challenge} for {@code domain}, with a credential from a fresh org. */
    private static String presentationRequest(String challenge, String domain) {
        java.security.SecureRandom random = new java.security.SecureRandom();
        dev.tabard.crypto.KeyPair org = dev.tabard.crypto.KeyPair.generate(dev.tabard.crypto.KeyType.ED25519, random);
        dev.tabard.crypto.KeyPair agent = dev.tabard.crypto.KeyPair.generate(dev.tabard.crypto.KeyType.ED25519, random);
        java.time.Instant now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        dev.tabard.vc.AgentClaims claims = new dev.tabard.vc.AgentClaims(dev.tabard.did.key.KeyDids.of(agent.publicKey()), "agent",
                dev.tabard.did.key.KeyDids.of(org.publicKey()), "ACME", new dev.tabard.vc.AgentClaims.Operator("Ops", java.util.Optional.empty()),
                java.util.Set.of("supplier:lookup"), dev.tabard.vc.AgentClaims.Constraints.none(), dev.tabard.vc.AgentClaims.Delegation.none());
        String vc = dev.tabard.vc.jose.VcJose.secureCredential(claims.credential(URI.create("urn:uuid:" + java.util.UUID.randomUUID()),
                now.minusSeconds(60), now.plusSeconds(600), List.of()), org, dev.tabard.did.key.KeyDids.methodId(org.publicKey()), now);
        String vp = dev.tabard.vc.jose.VcJose.securePresentation(dev.tabard.vc.jose.VcJose.presentationOf(List.of(vc)), agent,
                dev.tabard.did.key.KeyDids.methodId(agent.publicKey()), challenge, domain, "urn:uuid:" + java.util.UUID.randomUUID(), now,
                now.plusSeconds(60));
        return "{\"verifiablePresentation\":\"" + vp + "\",\"options\":{\"challenge\":\"" + challenge + "\",\"domain\":\"" + domain + "\"}}";
    }

    @Test
    @Timeout(120)
    void serve_replayStoreRedis_twoProcessesShareReplays_andThePasswordIsNeverPrinted() throws Exception {
        try (dev.tabard.testing.RedisServer redis = dev.tabard.testing.RedisServer.launch("--requirepass", "redis-pass-0123")) {
            String url = "redis://127.0.0.1:" + redis.port();
            Process first = serve(Map.of("TABARD_VERIFIER_REDIS_PASSWORD", "redis-pass-0123"), "--port", "0",
                    "--domain", "https://rp.example", "--replay-store", url, "--replay-store-prefix", "cli-test:");
            Process second = serve(Map.of(), "--port", "0", "--domain", "https://rp.example",
                    "--replay-store", "redis://:redis-pass-0123@127.0.0.1:" + redis.port(), "--replay-store-prefix", "cli-test:");
            try {
                String out = startupOutput(first);
                String out2 = startupOutput(second);
                int a = portIn(out);
                int b = portIn(out2);
                assertTrue(out.contains("replay store: redis://127.0.0.1:" + redis.port()), out);
                assertFalse(out.contains("redis-pass-0123") || out2.contains("redis-pass-0123"), out + out2);
                assertFalse(out.contains("does not answer"), out);
                String request = presentationRequest("callers-own", "https://rp.example");
                HttpResponse<String> accepted = send("POST", "http://127.0.0.1:" + a + "/presentations/verify", request, null);
                assertEquals(200, accepted.statusCode(), accepted.body());
                HttpResponse<String> replayed = send("POST", "http://127.0.0.1:" + b + "/presentations/verify", request, null);
                assertEquals(400, replayed.statusCode(), replayed.body());
                assertEquals("https://w3id.org/tabard/problems#PRESENTATION_REPLAYED", JsonCodec.parse(replayed.body()).get("type").asText());
            } finally {
                first.destroy();
                second.destroy();
                assertTrue(first.waitFor(30, TimeUnit.SECONDS) && second.waitFor(30, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    @Timeout(60)
    void serve_badReplayStoreUrl_isAUsageErrorNamingTheFlag() throws Exception {
        for (String bad : new String[] {"http://127.0.0.1:6379", "redis://", "redis://h/notadb"}) {
            Process p = serve(Map.of(), "--port", "0", "--replay-store", bad);
            String out = outputOfExit(p);
            assertEquals(2, p.exitValue(), out);
            assertTrue(out.contains("--replay-store") && out.contains("redis://HOST:PORT"), out);
        }
    }
}
