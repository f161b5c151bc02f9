package dev.tabard.vectors.vcdm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.fetch.SelfSignedTls;
import dev.tabard.issuer.IssuerConfig;
import dev.tabard.issuer.http.IssuerServer;
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
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The issuer and verifier set up as the README's "Running the W3C conformance suites locally" says (open VC-API,
 * did:key issuer, no trust policy), over real HTTPS on 127.0.0.1, with one client. Used by the suite reproductions
 * in this package; close it after the class.
 */
final class SuiteServers implements AutoCloseable {

    private final SelfSignedTls tls = SelfSignedTls.localhost();
    private final Path data;
    private final IssuerServer issuer;
    private final VerifierServer verifier;
    private final HttpClient client;

    SuiteServers() throws Exception {
        data = Files.createTempDirectory("suite-servers");
        issuer = IssuerServer.start(new IssuerConfig(data, URI.create("https://localhost:0"), "key",
                "Suite Org", "correct horse".toCharArray(), Duration.ofHours(1), Optional.of("tabard_conformance_0123456789abcdefGHIJKLMN"),
                0), Optional.of(tls.serverContext()), Clock.systemUTC(), IssuerServer.VcApiAccess.OPEN_FOR_LOCAL_CONFORMANCE_RUNS);
        // as `verifier serve` without --policy
        Verifier v = Verifier.builder().trustPolicy(TrustPolicy.builder().trustAnyIssuer().acceptCredentialsNotBoundToHolder().build())
                .build();
        // as `verifier serve` without --require-issued-challenges: the caller's own challenge is accepted
        verifier = VerifierServer.builder(v).domain(VERIFIER_DOMAIN).port(0).tls(tls.serverContext())
                .clock(Clock.systemUTC()).start();
        client = HttpClient.newBuilder().sslContext(tls.clientContext()).build();
    }

    String issuerId() {
        return issuer.service().did().toString();
    }

    /** {@code POST /credentials/issue} with the suite's body {@code {"credential": …, "options": …}}. */
    HttpResponse<String> issue(JsonNode credential, JsonNode options) throws Exception {
        String body = "{\"credential\":" + credential + (options == null ? "" : ",\"options\":" + options) + "}";
        return post(issuer.port(), "/credentials/issue", body);
    }

    /** {@code POST /credentials/verify} with the suite's body (createVerifyRequestBody: {@code checks: ["proof"]}). */
    HttpResponse<String> verify(JsonNode credential) throws Exception {
        return post(verifier.port(), "/credentials/verify",
                "{\"verifiableCredential\":" + credential + ",\"options\":{\"checks\":[\"proof\"]}}");
    }

    /** The domain the verifier accepts presentations for (its default). */
    static final String VERIFIER_DOMAIN = "https://verifier.example";

    /** {@code POST /presentations/verify} as the suite's verifyVp: the presentation and {@code options.challenge/domain}. */
    HttpResponse<String> verifyVp(JsonNode presentation, String challenge, String domain) throws Exception {
        ObjectNode body = JsonCodec.objectNode();
        body.set("verifiablePresentation", presentation);
        body.putObject("options").put("challenge", challenge).put("domain", domain);
        return post(verifier.port(), "/presentations/verify", body.toString());
    }

    private HttpResponse<String> post(int port, String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) {
        return JsonCodec.parse(r.body());
    }

    @Override
    public void close() throws Exception {
        verifier.close();
        issuer.close();
        try (Stream<Path> s = Files.walk(data)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
