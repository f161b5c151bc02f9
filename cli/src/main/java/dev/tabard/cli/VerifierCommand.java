package dev.tabard.cli;

import dev.tabard.did.DidResolver;
import dev.tabard.fetch.SafeFetcher;
import dev.tabard.fetch.SelfSignedTls;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.Verifier;
import dev.tabard.verifier.http.VerifierServer;
import dev.tabard.verifier.status.StatusListCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "verifier", description = "The verification endpoint.", subcommands = VerifierCommand.Serve.class)
final class VerifierCommand {

    @Command(name = "serve", mixinStandardHelpOptions = true, description = {
        "Serve the W3C VC-API verification endpoints on 127.0.0.1: plain HTTP unless a TLS option is given.",
        "Without --policy any issuer is accepted (proofs, holder binding, dates and status are still checked) and the server warns."})
    static final class Serve implements Callable<Integer> {
        @Option(names = "--port", required = true, description = "Port to listen on.")
        int port;

        @Option(names = "--policy", description = "Trust policy (JSON, or YAML when the name ends in .yaml/.yml).")
        Path policy;

        @Option(names = "--domain", description = "The domain presentations must be addressed to (default: this server's URL).")
        String domain;

        @Option(names = "--tls-self-signed", description = "Serve HTTPS with a certificate made on the spot.")
        boolean selfSigned;

        @Mixin
        NetOptions net;

        @Override
        public Integer call() throws Exception {
            TrustPolicy trust;
            if (policy != null) {
                trust = TrustPolicy.fromFile(policy);
            } else {
                trust = TrustPolicy.builder().trustAnyIssuer().build();
                System.err.println("warning: no --policy given: credentials from any issuer are accepted; no trust policy is applied");
            }
            SafeFetcher fetcher = net.fetcher();
            DidResolver resolver = net.resolver(fetcher, Optional.empty());
            Verifier verifier = Verifier.builder().resolver(resolver).trustPolicy(trust)
                    .statusLists(new StatusListCache(Optional.of(fetcher), Optional.empty(), resolver, Clock.systemUTC())).build();
            String scheme = selfSigned ? "https" : "http";
            String d = domain != null ? domain : scheme + "://localhost:" + port;
            VerifierServer server = VerifierServer.start(verifier, d, port,
                    selfSigned ? Optional.of(SelfSignedTls.localhost().serverContext()) : Optional.empty(), Clock.systemUTC(), true);
            System.out.println("verifier serving " + scheme + "://127.0.0.1:" + server.port() + " for domain " + d);
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
