package dev.tabard.issuer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tabard.issuer.IssuerConfig;
import dev.tabard.issuer.http.IssuerServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The issuer's data files are readable by their owner only, from the moment they exist (POSIX file systems). */
class OwnerOnlyFilesTest {

    private static final String ADMIN = "owner-only-test-admin-token-0123456789";

    @TempDir
    Path dir;

    @BeforeEach
    void posix() {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "owner-only modes are POSIX modes");
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static List<Path> filesUnder(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    @Timeout(60)
    void issuer_freshDataDirectory_everythingItWritesIsOwnerOnly() throws Exception {
        Path data = dir.resolve("state/issuer");
        IssuerServer server = IssuerServer.start(new IssuerConfig(data, URI.create("http://localhost:8080"), "key", "ACME",
                "owner only".toCharArray(), Duration.ofHours(1), Optional.of(ADMIN), 0), Optional.empty(), Clock.systemUTC());
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/admin/agents")).header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"did\":\"did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK\","
                            + "\"name\":\"a\",\"operator\":{\"name\":\"o\"}}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, r.statusCode(), r.body());
            // while it runs: the database and SQLite's write-ahead log and shared-memory index
            for (String name : new String[] {"issuer.db", "issuer.db-wal", "issuer.db-shm"}) {
                assertEquals("rw-------", mode(data.resolve(name)), name);
            }
        } finally {
            server.close();
        }
        assertEquals("rwx------", mode(data));
        assertEquals("rwx------", mode(data.getParent()), "every directory it created");
        List<Path> files = filesUnder(data);
        assertTrue(files.contains(data.resolve("issuer.db")), files.toString());
        for (Path f : files) {
            assertEquals("rw-------", mode(f), f.toString());
        }
    }

    @Test
    void open_existingWorldReadableStore_isRestrictedToItsOwner() throws Exception {
        Path db = dir.resolve("issuer.db");
        SqliteIssuerStore.open(db, Clock.systemUTC(), new SecureRandom()).close();
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(dir.resolve("issuer.db-wal"), "");
        Files.setPosixFilePermissions(dir.resolve("issuer.db-wal"), PosixFilePermissions.fromString("rw-rw-rw-"));
        try (SqliteIssuerStore store = SqliteIssuerStore.open(db, Clock.systemUTC(), new SecureRandom())) {
            assertEquals("rw-------", mode(db));
            assertEquals("rw-------", mode(dir.resolve("issuer.db-wal")));
            assertTrue(store.audit(0, 10).isEmpty());
        }
    }

    @Test
    void writeString_newAndExistingFiles_endOwnerOnly() throws Exception {
        Path fresh = dir.resolve("a/b/secret");
        OwnerOnlyFiles.createDirectories(fresh.getParent());
        OwnerOnlyFiles.writeString(fresh, "one");
        assertEquals("rw-------", mode(fresh));
        assertEquals("rwx------", mode(dir.resolve("a")));
        Path old = dir.resolve("cert.pem");
        Files.writeString(old, "a longer old content");
        Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rw-r--r--"));
        OwnerOnlyFiles.writeString(old, "new");
        assertEquals("rw-------", mode(old));
        assertEquals("new", Files.readString(old));
    }
}
