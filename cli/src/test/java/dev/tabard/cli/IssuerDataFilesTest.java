package dev.tabard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tabard issuer serve} as its own JVM with a data directory it creates: the sealing secret it generates, the
 * self-signed certificate, the store and SQLite's companion files are all owner-only (POSIX).
 */
class IssuerDataFilesTest {

    @TempDir
    Path dir;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    @Timeout(90)
    void serve_freshDataDirectory_writesOnlyOwnerOnlyFiles() throws Exception {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "owner-only modes are POSIX modes");
        Path data = dir.resolve("data");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), Tabard.class.getName(), "issuer", "serve", "--data", data.toString(), "--port", "0",
                "--did-method", "key", "--public-url", "https://localhost:8443", "--tls-self-signed")
                .redirectError(dir.resolve("err.txt").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("TABARD_"));
        Process p = pb.start();
        try {
            ProcessOutput.follow(p).awaitLine(line -> line.contains(" serving "), Duration.ofSeconds(60));
            assertEquals("rwx------", mode(data));
            for (String name : new String[] {"secret", "tls-cert.pem", "issuer.db", "issuer.db-wal", "issuer.db-shm"}) {
                assertEquals("rw-------", mode(data.resolve(name)), name);
            }
        } finally {
            p.destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(data)) {
            files = s.filter(Files::isRegularFile).toList();
        }
        assertTrue(files.size() >= 3, files.toString());
        for (Path f : files) {
            assertEquals("rw-------", mode(f), f.toString());
        }
    }
}
