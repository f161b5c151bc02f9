package dev.tabard.cli;

import dev.tabard.did.DidResolver;
import dev.tabard.did.DidResolvers;
import dev.tabard.did.jwk.JwkDidResolver;
import dev.tabard.did.key.KeyDidResolver;
import dev.tabard.didweb.ResolutionBundle;
import dev.tabard.didweb.WebDidResolver;
import dev.tabard.fetch.FetchPolicy;
import dev.tabard.fetch.SafeFetcher;
import dev.tabard.fetch.SelfSignedTls;
import dev.tabard.http.MetricsAccess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Options every command that fetches shares: which non-public hosts it may reach and which extra certificates it trusts. */
final class NetOptions {

    @Option(names = "--allow-host", description = "Allow this host even though it resolves to a non-public address (e.g. localhost).")
    List<String> allowHosts = new ArrayList<>();

    @Option(names = "--trust-cert", description = "Trust this PEM certificate for TLS, in addition to the system's CAs.")
    Path trustCert;

    /** The fetch policy these options ask for: the defaults, plus the allowed hosts and trusted certificate. */
    FetchPolicy fetchPolicy() throws IOException {
        FetchPolicy.Builder b = FetchPolicy.builder();
        allowHosts.forEach(b::allowHost);
        if (trustCert != null) {
            b.trustCertificate(SelfSignedTls.readCertificate(Files.readString(InputFiles.readable(trustCert,
                    "the certificate to trust (--trust-cert)"))));
        }
        return b.build();
    }

    SafeFetcher fetcher() throws IOException {
        return new SafeFetcher(fetchPolicy());
    }

    DidResolver resolver(SafeFetcher fetcher, Optional<ResolutionBundle> bundle) {
        WebDidResolver.Builder web = WebDidResolver.builder().fetcher(fetcher);
        bundle.ifPresent(web::bundle);
        return DidResolvers.of(web.build(), new KeyDidResolver(), new JwkDidResolver());
    }

    /**
     * Who may read a server's {@code /metrics}: nobody by default; with a bearer token (from the flag or the server's
     * environment variable, which keeps it out of process listings), and/or on a separate listen address.
     */
    static final class Metrics {

        @Option(names = "--metrics-token", description = {"Serve /metrics on the service's port to requests with "
            + "'Authorization: Bearer TOKEN' (at least " + MetricsAccess.MIN_TOKEN_LENGTH + " characters). Prefer the "
            + "environment variable named in this command's description: a flag shows in process listings."})
        String token;

        @Option(names = "--metrics-listen", paramLabel = "HOST:PORT", description = {"Serve /metrics, without a token and "
            + "nothing else, on this address (for example 127.0.0.1:9464). Without this or a token, /metrics is not served."})
        String listen;

        /**
         * The access these options (and {@code tokenVariable} in {@code env}) ask for.
         *
         * @throws CommandLine.ParameterException for a malformed address or a short token, saying how to fix it
         */
        MetricsAccess access(CommandLine cmd, Map<String, String> env, String tokenVariable) {
            Optional<String> t = Optional.ofNullable(token).or(() -> Optional.ofNullable(env.get(tokenVariable)).filter(v -> !v.isEmpty()));
            Optional<InetSocketAddress> address = Optional.ofNullable(listen).map(l -> address(cmd, l));
            try {
                return new MetricsAccess(t, address);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cmd, "--metrics-token / " + tokenVariable + ": " + e.getMessage());
            }
        }

        private static InetSocketAddress address(CommandLine cmd, String hostPort) {
            int colon = hostPort.lastIndexOf(':');
            try {
                String host = hostPort.substring(0, colon).replaceAll("^\\[|\\]$", "");
                int port = Integer.parseInt(hostPort.substring(colon + 1));
                if (colon <= 0 || port < 0 || port > 65_535) {
                    throw new IllegalArgumentException(hostPort);
                }
                return new InetSocketAddress(host, port);
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                throw new CommandLine.ParameterException(cmd, "--metrics-listen takes HOST:PORT, for example 127.0.0.1:9464 (got '"
                        + hostPort + "')");
            }
        }

        /** What the server log says about metrics, so an operator sees how to turn them on; {@code bound} is the listener's port (for port 0). */
        String describe(MetricsAccess access, String tokenVariable, java.util.Optional<Integer> bound) {
            if (access.token().isEmpty() && access.listener().isEmpty()) {
                return "metrics: not served (turn on with --metrics-token, " + tokenVariable + ", or --metrics-listen 127.0.0.1:9464)";
            }
            return "metrics: " + (access.token().isPresent() ? "on this port with the bearer token" : "")
                    + (access.token().isPresent() && access.listener().isPresent() ? " and " : "")
                    + access.listener().map(a -> "on " + a.getHostString() + ":" + bound.orElse(a.getPort()) + " without a token").orElse("");
        }
    }
}
