package dev.tabard.issuer;

import dev.tabard.issuer.http.IssuerServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * An issuer in its own JVM, for the crash test: {@code IssuerProcess DIR PORT}; PORT may be 0 for any free one. When
 * serving, it writes the bound port to DIR/ready, moved into place whole so a reader never sees half of it. The issuer
 * uses did:key, so its public URL names no port and a restart may take another.
 */
public final class IssuerProcess {

    private IssuerProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        IssuerServer server = IssuerServer.start(new IssuerConfig(dir, URI.create(port == 0 ? "http://localhost" : "http://localhost:" + port), "key", "ACME",
                "crash test secret".toCharArray(), Duration.ofHours(1), Optional.of(CrashTest.ADMIN), port), Optional.empty(),
                Clock.systemUTC());
        Path written = Files.writeString(dir.resolve("ready.tmp"), Integer.toString(server.port()));
        Files.move(written, dir.resolve("ready"), StandardCopyOption.ATOMIC_MOVE);
        Thread.currentThread().join();
    }
}
