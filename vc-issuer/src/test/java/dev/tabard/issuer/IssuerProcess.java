package dev.tabard.issuer;

import dev.tabard.issuer.http.IssuerServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** An issuer in its own JVM, for the crash test: {@code IssuerProcess DIR PORT}; writes DIR/ready when serving. */
public final class IssuerProcess {

    private IssuerProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        IssuerServer server = IssuerServer.start(new IssuerConfig(dir, URI.create("http://localhost:" + port), "key", "ACME",
                "crash test secret".toCharArray(), Duration.ofHours(1), Optional.of(CrashTest.ADMIN), port), Optional.empty(),
                Clock.systemUTC());
        Files.writeString(dir.resolve("ready"), Integer.toString(server.port()));
        Thread.currentThread().join();
    }
}
