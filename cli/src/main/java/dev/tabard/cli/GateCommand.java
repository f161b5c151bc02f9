package dev.tabard.cli;

import dev.tabard.fetch.SafeFetcher;
import dev.tabard.fetch.SelfSignedTls;
import dev.tabard.gate.DecisionLog;
import dev.tabard.gate.Gate;
import dev.tabard.gate.GateIdentity;
import dev.tabard.gate.RoutesFile;
import dev.tabard.gate.http.GateServer;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.Verifier;
import dev.tabard.wallet.Wallet;
import dev.tabard.wallet.oid4vci.IssuanceClient;
import dev.tabard.wallet.present.PresentationRequest;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "gate", mixinStandardHelpOptions = true, description = "The gate in front of an organization's agents.",
        subcommands = GateCommand.Serve.class)
final class GateCommand {

    @Command(name = "serve", mixinStandardHelpOptions = true, description = {
        "Run the gate as a reverse proxy on 127.0.0.1 in front of any HTTP service (--upstream).",
        "Every request must be signed (RFC 9421) by an agent key: @method, @target-uri, content-digest (RFC 9530), content-type, "
            + "created, expires, nonce, keyid = the agent's DID URL. The first call carries the agent's vp+jwt in Tabard-Presentation "
            + "(nonce = the signature's nonce, audience = the gate's origin); later calls carry only the signature.",
        "Only requests whose route is declared, whose caller's credential or delegation chain allows the route's action, and which are "
            + "within the rate limits are forwarded. Every decision is appended to --log (verify it with 'tabard audit verify --log FILE'), "
            + "and every answer is signed by the gate's own agent (--wallet), which presents its credential when a caller sends "
            + "Tabard-Ask-Presentation: ?1.",
        "",
        "The routes file (JSON):",
        "  {\"routes\": [",
        "     {\"method\": \"POST\", \"path\": \"/orders\", \"capability\": \"orders:place\",",
        "      \"amount\": \"body:/total/value\", \"currency\": \"body:/total/currency\", \"dataRegion\": \"header:Data-Region\"},",
        "     {\"method\": \"GET\", \"path\": \"/orders/{id}\", \"capability\": \"orders:read\", \"resource\": \"path:id\"}],",
        "   \"limits\": {\"agent\": {\"requests\": 50, \"per\": \"PT1S\"}, \"organization\": {\"requests\": 200, \"per\": \"PT1S\"},",
        "              \"capabilities\": {\"orders:place\": {\"requests\": 10, \"per\": \"PT1M\"}}},",
        "   \"breaker\": {\"refusals\": 20, \"within\": \"PT10S\", \"pause\": \"PT30S\"},",
        "   \"audience\": \"https://gate.example\"}",
        "  Parameters are read from body:/json/pointer, query:name, header:Name, path:name (a {name} segment) or literal:value;",
        "  a path segment {name} matches one segment, a final * any rest. Requests matching no route are refused (404).",
        "",
        "Headers passed to the upstream (the same names sent by clients are removed first):",
        "  " + GateServer.AGENT + ": the acting agent's DID",
        "  " + GateServer.ORGANIZATION + ": the organization's DID",
        "  " + GateServer.CHAIN + ": every agent on the authority's path, comma-separated, the organization's agent first",
        "  " + GateServer.ACTION + ": the authorized action as JSON",
        "  " + GateServer.DECISION_FIELD + ": the decision-log entry (seq, hash, log)",
        "",
        "Refusals are RFC 9457 problem details: 401 SIGNATURE_MISSING, SIGNATURE_INVALID, SIGNATURE_EXPIRED, NONCE_REPLAYED, "
            + "PRESENTATION_REQUIRED, UNAUTHORIZED; 403 ACTION_FORBIDDEN; 404 ROUTE_NOT_FOUND; 429 RATE_LIMITED and 503 AGENT_PAUSED "
            + "with Retry-After; 502 UPSTREAM_FAILED.",
        "The gate's wallet secret comes from TABARD_WALLET_SECRET."})
    static final class Serve implements Callable<Integer> {

        @Option(names = "--port", required = true, description = "Port to listen on (0 for any free one).")
        int port;

        @Option(names = "--upstream", required = true, description = "The service behind the gate, e.g. http://127.0.0.1:9000.")
        URI upstream;

        @Option(names = "--routes", required = true, description = "The routes file: route -> action table, limits, breaker (JSON).")
        Path routes;

        @Option(names = "--policy", required = true, description = "Trust policy for callers' credentials (JSON, or YAML by extension).")
        Path policy;

        @Option(names = "--wallet", required = true, description = "The gate's own agent wallet: signs answers and presents its credential.")
        Path wallet;

        @Option(names = "--log", required = true, description = "The decision log file (JSON lines, hash-chained, signed by the gate's key).")
        Path log;

        @ArgGroup(exclusive = true)
        Tls tls;

        static final class Tls {
            @Option(names = "--tls-self-signed", description = "Serve HTTPS with a certificate made on the spot.")
            boolean selfSigned;

            @ArgGroup(exclusive = false)
            CertAndKey files;
        }

        static final class CertAndKey {
            @Option(names = "--tls-cert", required = true, description = "PEM certificate to serve HTTPS with, then its chain (with --tls-key).")
            Path cert;

            @Option(names = "--tls-key", required = true, description = "PEM private key for --tls-cert (PKCS#8, EC or RSA; unencrypted).")
            Path key;
        }

        @Mixin
        NetOptions net;

        @Override
        public Integer call() throws Exception {
            String secret = System.getenv("TABARD_WALLET_SECRET");
            if (secret == null || secret.isEmpty()) {
                System.err.println("error: set TABARD_WALLET_SECRET to the gate wallet's secret (the one 'tabard wallet init' was given)");
                return 2;
            }
            if (!Files.isRegularFile(wallet)) {
                System.err.println("error: no wallet at " + wallet + "; create the gate's agent wallet with 'tabard wallet init --wallet "
                        + wallet + "' and receive its credential");
                return 2;
            }
            RoutesFile routesFile;
            try {
                routesFile = RoutesFile.parse(Files.readAllBytes(InputFiles.readable(routes, "the routes file (--routes)")));
            } catch (IOException e) {
                System.err.println("error: cannot read the routes file " + routes + ": " + e.getClass().getSimpleName());
                return 2;
            } catch (IllegalArgumentException e) {
                System.err.println("error: routes file " + routes + ": " + e.getMessage());
                return 2;
            }
            TrustPolicy trust = PolicyFiles.read(policy);
            PolicyFiles.warning(trust, policy).ifPresent(System.err::println);
            SafeFetcher fetcher = net.fetcher();
            Verifier verifier = Verifier.builder().trustPolicy(trust).fetchPolicy(fetcher.policy()).build();
            Verifier own = Verifier.builder().trustPolicy(TrustPolicy.builder().trustAnyIssuer().build()).fetchPolicy(fetcher.policy()).build();
            Wallet w = Wallet.openExisting(wallet, secret.toCharArray(), own, new IssuanceClient(fetcher, Clock.systemUTC()), Clock.systemUTC());
            GateIdentity identity = new GateIdentity(w.keyId(), w.signer(), (challenge, audience) ->
                    w.present(new PresentationRequest(challenge, audience, Set.of(), Set.of())));
            Gate.Builder gb = Gate.builder(verifier, identity, routesFile.routes(), DecisionLog.open(log, w.signer(), w.keyId(), Clock.systemUTC()))
                    .limits(routesFile.limits());
            routesFile.audience().ifPresent(gb::audience);
            GateServer.Builder sb = GateServer.builder(gb.build(), upstream).port(port);
            String scheme = "http";
            if (tls != null && tls.selfSigned) {
                sb.tls(SelfSignedTls.localhost().serverContext());
                scheme = "https";
            } else if (tls != null && tls.files != null) {
                sb.tls(Pem.serverContext(new Pem.Source(tls.files.cert, "the TLS certificate (--tls-cert)"),
                        new Pem.Source(tls.files.key, "the TLS key (--tls-key)")));
                scheme = "https";
            }
            GateServer server = sb.start();
            System.out.println("gate serving " + scheme + "://127.0.0.1:" + server.port() + " in front of " + upstream + " as " + w.did()
                    + ", " + routesFile.routes().routes().size() + " routes, decisions in " + log);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                w.close();
                stopped.countDown();
            }));
            stopped.await();
            return 0;
        }
    }
}
