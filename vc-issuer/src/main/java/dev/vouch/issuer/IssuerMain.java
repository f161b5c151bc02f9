package dev.vouch.issuer;

import dev.vouch.fetch.SelfSignedTls;
import dev.vouch.issuer.http.IssuerServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the issuer from the command line: {@code --data DIR --port N [--public-url URL] [--did-method web|key]
 * [--tls-self-signed] [--org-name NAME] [--validity PT1H]}. The sealing secret comes from {@code VOUCH_SECRET}
 * (or a file {@code secret} created in the data directory on first start, readable by the owner only), the first
 * admin token from {@code VOUCH_ADMIN_TOKEN} or is printed once. Stops cleanly on SIGTERM.
 */
public final class IssuerMain {

    private IssuerMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--tls-self-signed")) {
                opts.put("tls-self-signed", "true");
            } else if (args[i].startsWith("--") && i + 1 < args.length) {
                opts.put(args[i].substring(2), args[++i]);
            } else {
                System.err.println("unknown argument " + args[i]);
                System.exit(2);
            }
        }
        Path data = Path.of(opts.getOrDefault("data", "vouch-issuer"));
        int port = Integer.parseInt(opts.getOrDefault("port", "8443"));
        boolean tls = opts.containsKey("tls-self-signed");
        URI publicUrl = URI.create(opts.getOrDefault("public-url", (tls ? "https" : "http") + "://localhost:" + port));
        IssuerConfig config = new IssuerConfig(data, publicUrl, opts.getOrDefault("did-method", "web"),
                opts.getOrDefault("org-name", "Vouch Organization"), secret(data),
                Duration.parse(opts.getOrDefault("validity", "PT1H")), Optional.ofNullable(System.getenv("VOUCH_ADMIN_TOKEN")), port);
        Optional<javax.net.ssl.SSLContext> ssl = Optional.empty();
        if (tls) {
            SelfSignedTls cert = SelfSignedTls.localhost();
            Files.createDirectories(data);
            Files.writeString(data.resolve("tls-cert.pem"), cert.certificatePem());
            ssl = Optional.of(cert.serverContext());
        }
        IssuerServer server = IssuerServer.start(config, ssl, Clock.systemUTC());
        server.service().firstAdminToken().ifPresent(t -> System.out.println("admin token (shown once): " + t));
        System.out.println("issuer " + server.service().did() + " listening on " + (tls ? "https" : "http") + "://127.0.0.1:" + server.port());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        stopped.await();
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
            new java.security.SecureRandom().nextBytes(b);
            Files.writeString(file, dev.vouch.codec.Base64Url.encode(b));
            try {
                Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
        }
        return Files.readString(file).trim().toCharArray();
    }
}
