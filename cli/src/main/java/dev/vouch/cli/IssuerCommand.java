package dev.vouch.cli;

import dev.vouch.codec.Base64Url;
import dev.vouch.fetch.SelfSignedTls;
import dev.vouch.issuer.IssuerConfig;
import dev.vouch.issuer.http.IssuerServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "issuer", description = "The organization's issuer service.", subcommands = IssuerCommand.Serve.class)
final class IssuerCommand {

    @Command(name = "serve", mixinStandardHelpOptions = true, description = {
        "Serve the issuer on 127.0.0.1. The key-sealing secret comes from VOUCH_SECRET, or from DIR/secret (created on first start).",
        "The first admin token comes from VOUCH_ADMIN_TOKEN, or is printed once on first start."})
    static final class Serve implements Callable<Integer> {
        @Option(names = "--port", required = true, description = "Port to listen on.")
        int port;

        @Option(names = "--data", required = true, description = "Directory for the SQLite store and secrets.")
        Path data;

        @Option(names = "--public-url", description = "The https URL the issuer is reached at (default https://localhost:PORT; "
                + "serve plain HTTP only behind a TLS proxy).")
        URI publicUrl;

        @Option(names = "--did-method", defaultValue = "web", description = "web (default) or key.")
        String didMethod;

        @Option(names = "--org-name", defaultValue = "Vouch Organization", description = "The organization's display name.")
        String orgName;

        @Option(names = "--validity", defaultValue = "PT1H", description = "AgentCredential validity, ISO 8601 (default PT1H).")
        Duration validity;

        @Option(names = "--tls-self-signed", description = "Serve HTTPS with a certificate made on the spot (written to DIR/tls-cert.pem).")
        boolean selfSigned;

        @Option(names = "--tls-cert", description = "PEM certificate to serve HTTPS with (with --tls-key).")
        Path tlsCert;

        @Option(names = "--tls-key", description = "PEM PKCS#8 private key for --tls-cert.")
        Path tlsKey;

        @Option(names = "--vc-api-open-for-conformance", description = {
            "For local runs of the W3C conformance suites only: /credentials/issue and /credentials/status take requests "
                + "without a token, and credentials may use inline JSON-LD contexts and the W3C examples context."})
        boolean vcApiOpen;

        @Override
        public Integer call() throws Exception {
            Optional<SSLContext> tls = Optional.empty();
            if (selfSigned) {
                SelfSignedTls cert = SelfSignedTls.localhost();
                Files.createDirectories(data);
                Files.writeString(data.resolve("tls-cert.pem"), cert.certificatePem());
                tls = Optional.of(cert.serverContext());
            } else if (tlsCert != null || tlsKey != null) {
                if (tlsCert == null || tlsKey == null) {
                    System.err.println("error: --tls-cert and --tls-key go together");
                    return 2;
                }
                tls = Optional.of(Pem.serverContext(tlsCert, tlsKey));
            }
            URI url = publicUrl != null ? publicUrl : URI.create("https://localhost:" + port);
            IssuerConfig config = new IssuerConfig(data, url, didMethod, orgName, secret(data), validity,
                    Optional.ofNullable(System.getenv("VOUCH_ADMIN_TOKEN")), port);
            IssuerServer server = IssuerServer.start(config, tls, Clock.systemUTC(),
                    vcApiOpen ? IssuerServer.VcApiAccess.OPEN_FOR_LOCAL_CONFORMANCE_RUNS : IssuerServer.VcApiAccess.TOKEN);
            if (vcApiOpen) {
                System.err.println("warning: --vc-api-open-for-conformance: anyone who reaches this server can issue and revoke "
                        + "credentials through the VC-API; use it only for local conformance runs");
            }
            server.service().firstAdminToken().ifPresent(t -> System.out.println("admin token (shown once, keep it): " + t));
            System.out.println("issuer " + server.service().did() + " serving " + url + " on 127.0.0.1:" + server.port());
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                stopped.countDown();
            }));
            stopped.await();
            return 0;
        }

        private static char[] secret(Path data) throws java.io.IOException {
            String env = System.getenv("VOUCH_SECRET");
            if (env != null && !env.isEmpty()) {
                return env.toCharArray();
            }
            Files.createDirectories(data);
            Path file = data.resolve("secret");
            if (!Files.exists(file)) {
                byte[] b = new byte[32];
                new SecureRandom().nextBytes(b);
                Files.writeString(file, Base64Url.encode(b));
                try {
                    Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException ignored) {
                    // not a POSIX file system
                }
            }
            return Files.readString(file).trim().toCharArray();
        }
    }
}
