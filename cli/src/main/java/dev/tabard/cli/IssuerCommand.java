package dev.tabard.cli;

import dev.tabard.codec.Base64Url;
import dev.tabard.fetch.SelfSignedTls;
import dev.tabard.http.MetricsAccess;
import dev.tabard.http.TransportLimits;
import dev.tabard.issuer.IssuerConfig;
import dev.tabard.issuer.IssuerConfigLoader;
import dev.tabard.issuer.IssuerConfigLoader.Setting;
import dev.tabard.issuer.http.IssuerServer;
import dev.tabard.issuer.store.OwnerOnlyFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "issuer", mixinStandardHelpOptions = true, description = "The organization's issuer service.", subcommands = {IssuerCommand.Serve.class,
    IssuerTokenCommand.class})
final class IssuerCommand {

    @Command(name = "serve", mixinStandardHelpOptions = true, description = {
        "Serve the issuer on 127.0.0.1. Settings come from flags, then TABARD_ISSUER_<SETTING> variables, then --config, "
            + "then defaults.",
        "The key-sealing secret comes from TABARD_SECRET, or from DIR/secret (created on first start).",
        "The first admin token comes from TABARD_ADMIN_TOKEN, or is printed once on first start. Neither goes in a config file.",
        "/metrics is not served unless --metrics-token (or TABARD_ISSUER_METRICS_TOKEN) or --metrics-listen is given."})
    static final class Serve implements Callable<Integer> {
        static final String METRICS_TOKEN_VARIABLE = "TABARD_ISSUER_METRICS_TOKEN";

        @Option(names = "--config", description = "Settings file, YAML (.yaml, .yml) or JSON; keys as in the README.")
        Path configFile;

        @Option(names = "--port", description = "Port to listen on (default 8443; 0 takes any free port, printed at start, and the "
                + "default public URL follows it).")
        String port;

        @Option(names = "--data", description = "Directory for the SQLite store and secrets (required).")
        String data;

        @Option(names = "--public-url", description = "The https URL the issuer is reached at (default https://localhost:PORT; "
                + "serve plain HTTP only behind a TLS proxy).")
        String publicUrl;

        @Option(names = "--did-method", description = "web (default) or key.")
        String didMethod;

        @Option(names = "--org-name", description = "The organization's display name (default Tabard Organization).")
        String orgName;

        @Option(names = "--validity", description = "AgentCredential validity, ISO 8601 (default PT1H).")
        String validity;

        @Option(names = "--p256", description = "Also keep a P-256 assertion key (ES256, ecdsa-rdfc-2019, ecdsa-jcs-2019); did:web only.")
        Boolean p256;

        @Option(names = "--tls-self-signed", description = "Serve HTTPS with a certificate made on the spot (written to DIR/tls-cert.pem).")
        Boolean selfSigned;

        @Option(names = "--tls-cert", description = "PEM certificate to serve HTTPS with, then its chain (with --tls-key).")
        String tlsCert;

        @Option(names = "--tls-key", description = "PEM private key for --tls-cert (PKCS#8, EC or RSA; unencrypted).")
        String tlsKey;

        @Option(names = "--database-url", paramLabel = "JDBC_URL", description = {
            "Keep the state in PostgreSQL (jdbc:postgresql://HOST:PORT/DATABASE), shared by every issuer instance given the "
                + "same URL, instead of SQLite in --data. The role comes from TABARD_ISSUER_DATABASE_USER, its password from "
                + "TABARD_ISSUER_DATABASE_PASSWORD or the file databasePasswordFile names; --data still holds the secret "
                + "files, the same on every instance."})
        String databaseUrl;

        @Option(names = "--vc-api-open-for-conformance", description = {
            "For local runs of the W3C conformance suites only: /credentials/issue and /credentials/status take requests "
                + "without a token, and credentials may use inline JSON-LD contexts and the W3C examples context."})
        boolean vcApiOpen;

        @Mixin
        NetOptions.Metrics metrics;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Map<Setting, String> flags = new EnumMap<>(Setting.class);
            put(flags, Setting.PORT, port);
            put(flags, Setting.DATA, data);
            put(flags, Setting.PUBLIC_URL, publicUrl);
            put(flags, Setting.DID_METHOD, didMethod);
            put(flags, Setting.ORGANIZATION_NAME, orgName);
            put(flags, Setting.VALIDITY, validity);
            put(flags, Setting.P256, p256);
            put(flags, Setting.TLS_SELF_SIGNED, selfSigned);
            put(flags, Setting.TLS_CERT, tlsCert);
            put(flags, Setting.TLS_KEY, tlsKey);
            put(flags, Setting.DATABASE_URL, databaseUrl);
            // the metrics token is a secret like TABARD_SECRET, not a setting: it never goes through the config loader
            Map<String, String> env = new HashMap<>(System.getenv());
            env.remove(METRICS_TOKEN_VARIABLE);
            MetricsAccess metricsAccess = metrics.access(spec.commandLine(), System.getenv(), METRICS_TOKEN_VARIABLE);
            IssuerConfigLoader.Settings settings = IssuerConfigLoader.load(Optional.ofNullable(configFile), env, flags);
            Optional<SSLContext> tls = Optional.empty();
            if (settings.tlsSelfSigned()) {
                SelfSignedTls cert = SelfSignedTls.localhost();
                OwnerOnlyFiles.createDirectories(settings.data());
                OwnerOnlyFiles.writeString(settings.data().resolve("tls-cert.pem"), cert.certificatePem());
                tls = Optional.of(cert.serverContext());
            } else if (settings.tlsCert().isPresent()) {
                tls = Optional.of(Pem.serverContext(
                        new Pem.Source(settings.tlsCert().get(), "the TLS certificate (" + source(tlsCert, "--tls-cert", Setting.TLS_CERT) + ")"),
                        new Pem.Source(settings.tlsKey().orElseThrow(), "the TLS key (" + source(tlsKey, "--tls-key", Setting.TLS_KEY) + ")")));
            }
            IssuerConfig config = settings.config(secret(settings.data()), Optional.ofNullable(System.getenv("TABARD_ADMIN_TOKEN")));
            IssuerServer server = IssuerServer.start(config, tls, Clock.systemUTC(),
                    vcApiOpen ? IssuerServer.VcApiAccess.OPEN_FOR_LOCAL_CONFORMANCE_RUNS : IssuerServer.VcApiAccess.TOKEN,
                    new IssuerServer.Transport(TransportLimits.defaults(), metricsAccess));
            if (vcApiOpen) {
                // a log line like every other on standard error, so JSON log collectors see it too
                org.slf4j.LoggerFactory.getLogger(IssuerCommand.class).atWarn()
                        .setMessage("VC-API open for local conformance runs: anyone who reaches this server can issue and revoke "
                                + "credentials through /credentials/issue and /credentials/status")
                        .addKeyValue("event", "vc-api-open").log();
            }
            server.service().firstAdminToken().ifPresent(t -> System.out.println("admin token (shown once, keep it): " + t));
            // the address it listens on says the scheme it speaks: a plain-HTTP issuer sits behind a TLS proxy
            System.out.println("issuer " + server.service().did() + " serving " + server.publicUrl() + " on "
                    + (tls.isPresent() ? "https" : "http") + "://127.0.0.1:" + server.port());
            System.out.println(metrics.describe(metricsAccess, METRICS_TOKEN_VARIABLE, server.metricsPort()));
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                stopped.countDown();
            }, "tabard-issuer-shutdown"));
            stopped.await();
            return 0;
        }

        private static void put(Map<Setting, String> flags, Setting s, Object value) {
            if (value != null) {
                flags.put(s, value.toString());
            }
        }

        /** Where a setting's value came from, in the loader's order: flag, then environment, then config file. */
        private String source(String flagValue, String flag, Setting setting) {
            if (flagValue != null) {
                return flag;
            }
            if (System.getenv(setting.env()) != null) {
                return setting.env();
            }
            return "'" + setting.key() + "' in " + configFile;
        }

        private static char[] secret(Path data) throws java.io.IOException {
            String env = System.getenv("TABARD_SECRET");
            if (env != null && !env.isEmpty()) {
                return env.toCharArray();
            }
            OwnerOnlyFiles.createDirectories(data);
            Path file = data.resolve("secret");
            if (!Files.exists(file)) {
                byte[] b = new byte[32];
                new SecureRandom().nextBytes(b);
                OwnerOnlyFiles.writeString(file, Base64Url.encode(b));
            }
            return Files.readString(file).trim().toCharArray();
        }
    }
}
