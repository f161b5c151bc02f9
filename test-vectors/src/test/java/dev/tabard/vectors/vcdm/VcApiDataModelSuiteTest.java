package dev.tabard.vectors.vcdm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.did.key.KeyDidResolver;
import dev.tabard.fetch.SelfSignedTls;
import dev.tabard.issuer.IssuerConfig;
import dev.tabard.issuer.http.IssuerServer;
import dev.tabard.vectors.Vectors;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.Verifier;
import dev.tabard.verifier.http.VerifierServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The W3C VC Data Model 2.0 test suite's inputs (w3c/vc-data-model-2.0-test-suite 6e075243, {@code tests/input}) posted
 * the way the suite posts them, over real HTTPS on 127.0.0.1, to our issuer's {@code /credentials/issue} (run as
 * for a local conformance run: open VC-API, did:key, default options, so credentials come back as
 * EnvelopedVerifiableCredentials) and our verifier's {@code /credentials/verify} and {@code /presentations/verify}.
 *
 * <ul>
 *   <li>{@code credential-*-ok}: issued, 201, {@code {"verifiableCredential": …}} with the input's {@code @context} order kept.</li>
 *   <li>{@code credential-*-fail}: 400 or 422 at issue (never 401), or, if issued, 400 at verify (the suite's
 *       {@code shouldRejectEitherIssueOrVerify}).</li>
 *   <li>{@code credential-*-fail-or-inject}: refused, or issued with the base context first ({@code injectOrReject}).</li>
 *   <li>{@code presentation-*-fail}: 400 at {@code /presentations/verify}. The {@code -ok} presentations are signed by the
 *       suite's own key without a verifier-issued challenge and mostly carry no credential bound to their holder, which this
 *       verifier refuses by design (see README), so they are not claimed here.</li>
 * </ul>
 */
class VcApiDataModelSuiteTest {

    private static final String DIR = "w3c-vc-data-model-2.0-test-suite/tests/input/";
    private static final String V2 = "https://www.w3.org/ns/credentials/v2";
    private static final SelfSignedTls TLS = SelfSignedTls.localhost();
    private static Path data;
    private static IssuerServer issuer;
    private static VerifierServer verifier;
    private static HttpClient client;
    private static String issuerId;

    @BeforeAll
    static void start() throws Exception {
        data = Files.createTempDirectory("vcdm-suite");
        issuer = IssuerServer.start(new IssuerConfig(data, URI.create("https://localhost:0"), "key",
                "Suite Org", "correct horse".toCharArray(), Duration.ofHours(1), Optional.of("tabard_conformance_0123456789abcdefGHIJKLMN"),
                0), Optional.of(TLS.serverContext()), Clock.systemUTC(), IssuerServer.VcApiAccess.OPEN_FOR_LOCAL_CONFORMANCE_RUNS);
        issuerId = issuer.service().did().toString();
        KeyDidResolver keys = new KeyDidResolver();
        Verifier v = Verifier.builder().resolver(keys).trustPolicy(TrustPolicy.builder().trustAnyIssuer().build()).build();
        verifier = VerifierServer.builder(v).domain("https://verifier.example").port(0).tls(TLS.serverContext()).clock(Clock.systemUTC()).requireIssuedChallenges().start();
        client = HttpClient.newBuilder().sslContext(TLS.clientContext()).build();
    }

    @AfterAll
    static void stop() throws Exception {
        verifier.close();
        issuer.close();
        try (Stream<Path> s = Files.walk(data)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static Stream<String> credentialInputs() throws Exception {
        return inputs("credential");
    }

    static Stream<String> failingPresentationInputs() throws Exception {
        return inputs("presentation").filter(n -> n.contains("-fail"));
    }

    private static Stream<String> inputs(String prefix) throws Exception {
        Path root = Path.of(VcApiDataModelSuiteTest.class.getResource("/vectors/" + DIR).toURI());
        List<String> names;
        try (Stream<Path> s = Files.walk(root)) {
            names = s.filter(p -> p.toString().endsWith(".json")).map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(n -> n.substring(n.lastIndexOf('/') + 1).startsWith(prefix) || n.startsWith("names-and-descriptions/") && prefix.equals("credential"))
                    .sorted().toList();
        }
        return names.stream();
    }

    private static HttpResponse<String> post(int port, String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** What the suite's createRequestBody does before posting: our issuer id where the input has none, and real dates. */
    private static ObjectNode prepared(String name) {
        return SuiteInputs.prepare((ObjectNode) Vectors.json(DIR + name), issuerId);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("credentialInputs")
    void credentialInput_isIssuedOrRefusedAsTheSuiteExpects(String name) throws Exception {
        ObjectNode credential = prepared(name);
        HttpResponse<String> issued = post(issuer.port(), "/credentials/issue", "{\"credential\":" + credential + "}");
        boolean refused = issued.statusCode() == 400 || issued.statusCode() == 422;
        assertTrue(refused || issued.statusCode() == 201, name + ": " + issued.statusCode() + " " + issued.body());
        if (refused) {
            JsonNode problem = JsonCodec.parse(issued.body());
            assertTrue(problem.path("type").asText().startsWith("https://"), issued.body());
        }
        if (name.endsWith("-ok.json")) {
            assertEquals(201, issued.statusCode(), name + ": " + issued.body());
            JsonNode envelope = JsonCodec.parse(issued.body()).get("verifiableCredential");
            assertEquals("EnvelopedVerifiableCredential", envelope.get("type").asText(), name);
            JsonNode payload = JsonCodec.parse(Base64.getUrlDecoder().decode(envelope.get("id").asText().split(",")[1].split("\\.")[1]));
            assertEquals(credential.get("@context"), payload.get("@context"), name + ": @context kept as given");
            assertEquals(credential.get("credentialSubject"), payload.get("credentialSubject"), name);
        } else if (name.endsWith("-fail-or-inject.json")) {
            if (!refused) {
                JsonNode payload = JsonCodec.parse(Base64.getUrlDecoder().decode(
                        JsonCodec.parse(issued.body()).get("verifiableCredential").get("id").asText().split(",")[1].split("\\.")[1]));
                assertEquals(V2, payload.get("@context").get(0).asText(), name + ": the base context is injected first");
            }
        } else {
            assertTrue(name.endsWith("-fail.json"), name);
            if (!refused) {
                HttpResponse<String> verified = post(verifier.port(), "/credentials/verify", "{\"verifiableCredential\":"
                        + JsonCodec.parse(issued.body()).get("verifiableCredential") + ",\"options\":{\"checks\":[\"proof\"]}}");
                assertEquals(400, verified.statusCode(), name + " was issued, so the verifier must refuse it: " + verified.body());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failingPresentationInputs")
    void failingPresentationInput_isRefusedByTheVerifier(String name) throws Exception {
        JsonNode vp = Vectors.json(DIR + name);
        // with a challenge this verifier issued, so the refusal is for the presentation, not for a missing challenge
        String challenge = JsonCodec.parse(post(verifier.port(), "/challenges", "{}").body()).get("challenge").asText();
        HttpResponse<String> r = post(verifier.port(), "/presentations/verify", "{\"verifiablePresentation\":" + vp
                + ",\"options\":{\"checks\":[],\"challenge\":\"" + challenge + "\",\"domain\":\"https://verifier.example\"}}");
        assertEquals(400, r.statusCode(), name + ": " + r.body());
        assertEquals("application/problem+json", r.headers().firstValue("content-type").orElse(""), name);
        assertTrue(!JsonCodec.parse(r.body()).get("type").asText().endsWith("#INVALID_CHALLENGE_ERROR"), name + ": " + r.body());
    }
}
