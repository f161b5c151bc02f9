package dev.tabard.cli;

import dev.tabard.fetch.SelfSignedTls;
import dev.tabard.http.MetricsAccess;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.Verifier;
import dev.tabard.verifier.VerifierBuilder;
import dev.tabard.verifier.http.VerifierServer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "verifier", description = "The verification endpoint.", subcommands = VerifierCommand.Serve.class)
final class VerifierCommand {

    @Command(name = "serve", mixinStandardHelpOptions = true, description = {
        "Serve the W3C VC-API verification endpoints on 127.0.0.1: plain HTTP unless a TLS option is given.",
        "Without --policy any issuer is accepted (proofs, holder binding, dates and status are still checked) and the server warns.",
        "/metrics is not served unless --metrics-token (or TABARD_VERIFIER_METRICS_TOKEN) or --metrics-listen is given."})
    static final class Serve implements Callable<Integer> {
        static final String METRICS_TOKEN_VARIABLE = "TABARD_VERIFIER_METRICS_TOKEN";

        @Option(names = "--port", required = true, description = "Port to listen on.")
        int port;

        @Option(names = "--policy", description = "Trust policy (JSON, or YAML when the name ends in .yaml/.yml).")
        Path policy;

        @Option(names = "--domain", description = {"Restrict the domains presentations may be addressed to (repeat for several; "
            + "the first is the default for challenges). Default: each caller names the domain it expects (options.domain)."})
        List<String> domains = new ArrayList<>();

        @Option(names = "--tls-self-signed", description = "Serve HTTPS with a certificate made on the spot.")
        boolean selfSigned;

        @Option(names = "--require-issued-challenges", description = {"Accept only challenges from POST /challenges (single-use, "
            + "valid 5 minutes). By default a caller's own challenge is accepted too, and a replayed presentation is refused."})
        boolean requireIssuedChallenges;

        @Option(names = "--vc-api-open-for-conformance", description = {"Local W3C suite runs only: accept inline JSON-LD "
            + "@context objects and the W3C examples context. A proof must still be made by the issuer's key. Never beyond your machine."})
        boolean vcApiOpenForConformance;

        @Mixin
        NetOptions net;

        @Mixin
        NetOptions.Metrics metrics;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            TrustPolicy trust;
            if (policy != null) {
                trust = PolicyFiles.read(policy);
            } else {
                // the VC-API mode the W3C suites use: any issuer, and credentials about others reported, not refused
                trust = TrustPolicy.builder().trustAnyIssuer().acceptCredentialsNotBoundToHolder().build();
                System.err.println("warning: no --policy given: credentials from any issuer are accepted; no trust policy is applied");
            }
            VerifierBuilder verifierBuilder = Verifier.builder().trustPolicy(trust).fetchPolicy(net.fetchPolicy());
            if (vcApiOpenForConformance) {
                verifierBuilder.acceptInlineContextsAndExamplesContextForConformance();
                System.err.println("warning: --vc-api-open-for-conformance: inline @context objects and the W3C examples context "
                        + "are accepted; for local W3C suite runs only");
            }
            Verifier verifier = verifierBuilder.build();
            String scheme = selfSigned ? "https" : "http";
            MetricsAccess metricsAccess = metrics.access(spec.commandLine(), System.getenv(), METRICS_TOKEN_VARIABLE);
            VerifierServer.Builder builder = VerifierServer.builder(verifier).port(port).metrics(metricsAccess).clock(Clock.systemUTC());
            if (selfSigned) {
                builder.tls(SelfSignedTls.localhost().serverContext());
            }
            domains.forEach(builder::domain);
            if (requireIssuedChallenges) {
                builder.requireIssuedChallenges();
            }
            VerifierServer server = builder.start();
            System.out.println("verifier serving " + scheme + "://127.0.0.1:" + server.port() + (server.domains().isEmpty()
                    ? " for the domain each caller names" : " for domain " + String.join(", ", server.domains())));
            System.out.println(metrics.describe(metricsAccess, METRICS_TOKEN_VARIABLE));
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                stopped.countDown();
            }));
            stopped.await();
            return 0;
        }
    }
}
