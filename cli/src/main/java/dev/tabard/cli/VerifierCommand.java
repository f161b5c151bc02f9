package dev.tabard.cli;

import dev.tabard.fetch.SelfSignedTls;
import dev.tabard.http.MetricsAccess;
import dev.tabard.problem.ProblemException;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.Verifier;
import dev.tabard.verifier.VerifierBuilder;
import dev.tabard.verifier.http.RedisConfig;
import dev.tabard.verifier.http.RedisStore;
import dev.tabard.verifier.http.VerifierServer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "verifier", mixinStandardHelpOptions = true, description = "The verification endpoint.", subcommands = VerifierCommand.Serve.class)
final class VerifierCommand {

    @Command(name = "serve", mixinStandardHelpOptions = true, description = {
        "Serve the W3C VC-API verification endpoints on 127.0.0.1: plain HTTP unless a TLS option is given.",
        "Without --policy any issuer is accepted (proofs, holder binding, dates and status are still checked) and the server warns.",
        "/metrics is not served unless --metrics-token (or TABARD_VERIFIER_METRICS_TOKEN) or --metrics-listen is given."})
    static final class Serve implements Callable<Integer> {
        static final String METRICS_TOKEN_VARIABLE = "TABARD_VERIFIER_METRICS_TOKEN";
        static final String REDIS_PASSWORD_VARIABLE = "TABARD_VERIFIER_REDIS_PASSWORD";

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

        @Option(names = "--replay-store", paramLabel = "URL", description = {"Share replay state (accepted presentations, issued "
            + "challenges) with other instances in Redis: redis://HOST:PORT[/DB] or rediss://HOST:PORT (TLS). The password comes from "
            + REDIS_PASSWORD_VARIABLE + " or the URL's user info. When Redis does not answer, presentations are refused with 503 "
            + "until it does. Default: in memory, this instance only."})
        String replayStore;

        @Option(names = "--replay-store-prefix", paramLabel = "PREFIX", description = {"Prefix of this deployment's keys in the "
            + "shared Redis (default " + RedisConfig.DEFAULT_PREFIX + ")."})
        String replayStorePrefix;

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
                PolicyFiles.warning(trust, policy).ifPresent(System.err::println);
            } else {
                // the VC-API mode the W3C suites use: any issuer, and credentials about others reported, not refused
                trust = TrustPolicy.builder().trustAnyIssuer().acceptCredentialsNotBoundToHolder().build();
                System.err.println("warning: no --policy given: credentials from any issuer are accepted; no trust policy is applied");
            }
            Optional<RedisStore> shared = redis(spec.commandLine(), System.getenv());
            VerifierBuilder verifierBuilder = Verifier.builder().trustPolicy(trust).fetchPolicy(net.fetchPolicy());
            shared.ifPresent(verifierBuilder::replayStore);
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
            shared.ifPresent(builder::replayStore);
            VerifierServer server = builder.start();
            System.out.println("verifier serving " + scheme + "://127.0.0.1:" + server.port() + (server.domains().isEmpty()
                    ? " for the domain each caller names" : " for domain " + String.join(", ", server.domains()))
                    + "; policy: " + (policy == null ? "none (any issuer)" : policy + ": " + PolicyFiles.summary(trust)));
            System.out.println(metrics.describe(metricsAccess, METRICS_TOKEN_VARIABLE, server.metricsPort()));
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                shared.ifPresent(RedisStore::close);
                stopped.countDown();
            }));
            stopped.await();
            return 0;
        }

        /**
         * The Redis store {@code --replay-store} names, or empty for the in-memory default. Says on stdout where replay
         * state lives (never the password), and warns when Redis does not answer yet: the server still starts, and
         * refuses presentations with 503 until it does.
         *
         * @throws CommandLine.ParameterException for a malformed URL or prefix, naming the flag
         */
        private Optional<RedisStore> redis(CommandLine cmd, Map<String, String> env) {
            if (replayStore == null) {
                if (replayStorePrefix != null) {
                    throw new CommandLine.ParameterException(cmd, "--replay-store-prefix needs --replay-store");
                }
                return Optional.empty();
            }
            RedisConfig config;
            try {
                config = RedisConfig.parse(replayStore);
            } catch (ProblemException e) {
                throw new CommandLine.ParameterException(cmd, "--replay-store: " + e.problems().get(0).detail()
                        + "; expected redis://HOST:PORT or rediss://HOST:PORT");
            }
            String password = env.get(REDIS_PASSWORD_VARIABLE);
            if (password != null && !password.isEmpty()) {
                config = config.withPassword(password);
            }
            if (replayStorePrefix != null) {
                try {
                    config = config.withPrefix(replayStorePrefix);
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(cmd, "--replay-store-prefix: " + e.getMessage());
                }
            }
            RedisStore store = RedisStore.connect(config, Clock.systemUTC());
            System.out.println("replay store: " + config);
            try {
                store.ping();
            } catch (ProblemException e) {
                System.err.println("warning: the replay store does not answer yet; presentations and challenges are refused (503) until it does");
            }
            return Optional.of(store);
        }
    }
}
