package dev.tabard.cli;

import static dev.tabard.cli.Run.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.audit.AuditEntry;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.key.KeyDids;
import dev.tabard.issuer.IssuerConfig;
import dev.tabard.issuer.audit.AuditAnchor;
import dev.tabard.issuer.audit.AuditAnchorWriter;
import dev.tabard.issuer.http.IssuerServer;
import dev.tabard.issuer.store.OwnerOnlyFiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit anchor against someone who can write {@code issuer.db} but not the rest of the data directory: the two
 * attacks a store alone cannot show (every signed head deleted and the chain re-computed; the newest entries cut
 * with their heads), performed with plain JDBC on a store a real issuer wrote over HTTP.
 */
@Timeout(120)
class AuditAnchorCommandTest {

    private static final String ADMIN = "anchor-test-admin-token-0123456789";
    private static final int ISSUED = 40;

    /** One client, so its connections are reused: a client per request would hold more than the issuer allows one address. */
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path written;
    private static String agent;
    /** Entries in the untouched store. */
    private static long entries;

    @TempDir
    Path dir;

    @BeforeAll
    @Timeout(120)
    static void issuerWritesAStore() throws Exception {
        IssuerServer server = start(written);
        try {
            agent = KeyDids.of(KeyPair.generate(KeyType.ED25519, new SecureRandom()).publicKey()).toString();
            assertEquals(201, post(server, "/admin/agents", "{\"did\":\"" + agent + "\",\"name\":\"a\",\"operator\":{\"name\":\"o\"}}").statusCode());
            issue(server, ISSUED);
        } finally {
            server.close();
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + written.resolve("issuer.db"))) {
            entries = Long.parseLong(scalar(c, "SELECT MAX(seq) FROM audit"));
        }
    }

    private static IssuerServer start(Path data) {
        return IssuerServer.start(new IssuerConfig(data, URI.create("https://localhost:8443"), "web", "ACME",
                "anchor test secret".toCharArray(), Duration.ofHours(1), Optional.of(ADMIN), 0), Optional.empty(), Clock.systemUTC());
    }

    private static void issue(IssuerServer server, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            assertEquals(201, post(server, "/admin/agents/" + agent + "/credentials", "").statusCode());
        }
    }

    private static HttpResponse<String> post(IssuerServer server, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A fresh copy of the untouched data directory (store, anchor, admin-token key) for one test. */
    private Path data() throws Exception {
        try (var files = Files.list(written)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        return dir;
    }

    private void sql(String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("issuer.db")); Statement s = c.createStatement()) {
            for (String q : statements) {
                s.executeUpdate(q);
            }
        }
    }

    private String scalar(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("issuer.db"))) {
            return scalar(c, sql);
        }
    }

    private static String scalar(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private Run verify() {
        return run("audit", "verify", "--data", dir.toString());
    }

    /** The verdict the store alone gives, with the anchor out of the directory: what an attacker counts on. */
    private Run verifyWithoutAnchor() throws Exception {
        Path away = dir.resolveSibling(dir.getFileName() + "-anchor-aside");
        Files.move(AuditAnchor.file(dir), away);
        try {
            return verify();
        } finally {
            Files.move(away, AuditAnchor.file(dir));
        }
    }

    private static long anchoredSeq(Path data) {
        return AuditAnchor.read(data).orElseThrow().head().seq();
    }

    @Test
    void anchor_afterACleanStop_isTheCheckpointJsonOfTheNewestHeadOwnerOnly() throws Exception {
        data();
        assertEquals(OwnerOnlyFiles.FILE, Files.getPosixFilePermissions(AuditAnchor.file(dir)));
        assertEquals(entries, anchoredSeq(dir));
        Run checkpoint = run("audit", "checkpoint", "--data", dir.toString());
        assertEquals(0, checkpoint.code(), checkpoint.err());
        assertEquals(JsonCodec.parse(checkpoint.out()), JsonCodec.parse(Files.readString(AuditAnchor.file(dir))));
    }

    @Test
    void verify_untouchedStoreWithItsAnchor_exitsZero() throws Exception {
        data();
        Run r = verify();
        assertEquals(0, r.code(), r.out() + r.err());
        assertEquals("intact: " + entries + " entries, signed head at seq " + entries, r.out());
    }

    /** Attack (a): every signed head deleted, an entry edited and every later hash re-computed. */
    @Test
    void headsDeletedAndChainRecomputed_verifyNamesTheEditAndTheIssuerRefusesToStart() throws Exception {
        data();
        sql("DELETE FROM audit_heads");
        recomputeFrom(12);
        Run alone = verifyWithoutAnchor();
        assertTrue(alone.out().contains("a store from before signed heads gets its first one when the issuer next starts"),
                "without the anchor the store passes for one from before signing: " + alone.out());

        Run r = verify();
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().startsWith("BROKEN: entry " + entries + " edited: its hash differs from the audit anchor audit-anchor.json"),
                r.out());
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> start(dir).close());
        assertRefusal(refused, "entry " + entries + " edited");
        assertEquals("0", scalar("SELECT COUNT(*) FROM audit_heads"), "nothing was signed over the forged chain");
        assertEquals(r.out(), verify().out());
    }

    /** Attack (a) without an edit: the heads alone deleted, so the next start would sign the log as it is. */
    @Test
    void everySignedHeadDeleted_verifyExitsOneAndTheIssuerRefusesToStart() throws Exception {
        data();
        sql("DELETE FROM audit_heads");
        Run r = verify();
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().startsWith("BROKEN: entry 1 unsigned: entries 1-" + entries + " are not covered by a signed head: "
                + "their signed heads were deleted (the audit anchor audit-anchor.json shows this log was signed up to entry "
                + entries + "): the audit log was altered"), r.out());
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> start(dir).close());
        assertRefusal(refused, "the store holds no signed head, but the audit anchor audit-anchor.json shows it was signed up to entry " + entries);
        assertEquals("0", scalar("SELECT COUNT(*) FROM audit_heads"));
    }

    /** Attack (b): the newest entries deleted together with their heads, at a transaction boundary. */
    @Test
    void truncatedWithItsHeadsAtATransactionBoundary_verifyExitsOneTruncatedAndTheIssuerRefusesToStart() throws Exception {
        data();
        long keep = Long.parseLong(scalar("SELECT MAX(seq) FROM audit_heads WHERE seq <= " + (entries - 10)));
        sql("DELETE FROM audit WHERE seq > " + keep, "DELETE FROM audit_heads WHERE seq > " + keep);
        Run alone = verifyWithoutAnchor();
        assertEquals(0, alone.code(), "the store alone is consistent in itself: " + alone.out());

        Run r = verify();
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().startsWith("BROKEN: entry " + (keep + 1) + " truncated: the audit anchor audit-anchor.json of "), r.out());
        assertTrue(r.out().endsWith("covers entry " + entries + " but the log ends at seq " + keep + ": entries " + (keep + 1) + "-"
                + entries + " were deleted"), r.out());
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> start(dir).close());
        assertRefusal(refused, "entry " + entries + " truncated");
        assertEquals(Long.toString(keep), scalar("SELECT MAX(seq) FROM audit"), "nothing was appended to the cut log");
    }

    @Test
    void serve_truncatedStore_exitsTwoWithTheRefusalAndNoStackTrace() throws Exception {
        data();
        long keep = Long.parseLong(scalar("SELECT MAX(seq) FROM audit_heads WHERE seq <= " + (entries - 5)));
        sql("DELETE FROM audit WHERE seq > " + keep, "DELETE FROM audit_heads WHERE seq > " + keep);
        Run r = run("issuer", "serve", "--data", dir.toString(), "--port", "0", "--public-url", "https://localhost:8443");
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().startsWith("error: refusing to start: the audit log in issuer.db was altered: entry " + entries
                + " truncated"), r.err());
        assertTrue(r.err().contains("'tabard audit verify --data " + dir + "'") && !r.err().contains("\tat "), r.err());
    }

    @Test
    void anchorOlderThanTheStore_isIntactAndMovesForwardOnTheNextRun() throws Exception {
        data();
        byte[] older = Files.readAllBytes(AuditAnchor.file(dir));
        IssuerServer server = start(dir);
        try {
            issue(server, 3);
        } finally {
            server.close();
        }
        long now = Long.parseLong(scalar("SELECT MAX(seq) FROM audit"));
        assertTrue(now > entries);
        assertEquals(now, anchoredSeq(dir), "a clean stop writes the newest head");
        Files.write(AuditAnchor.file(dir), older); // as a crash within the interval leaves it

        Run r = verify();
        assertEquals(0, r.code(), r.out());
        start(dir).close();
        assertEquals(now, anchoredSeq(dir));
    }

    @Test
    void runningIssuer_keepsTheAnchorAtTheNewestHeadWithinTheInterval() throws Exception {
        data();
        IssuerServer server = start(dir);
        try (WatchService watch = dir.getFileSystem().newWatchService()) {
            dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
            issue(server, 5);
            Instant issued = Instant.now();
            long newest = Long.parseLong(scalar("SELECT MAX(seq) FROM audit_heads"));
            assertTrue(newest > entries);
            Instant deadline = issued.plus(AuditAnchorWriter.INTERVAL.multipliedBy(10));
            while (anchoredSeq(dir) < newest && Instant.now().isBefore(deadline)) {
                WatchKey key = watch.poll(Duration.between(Instant.now(), deadline).toMillis() + 1, TimeUnit.MILLISECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
            }
            Duration took = Duration.between(issued, Instant.now());
            assertEquals(newest, anchoredSeq(dir), "the anchor follows the signed head while the issuer runs");
            System.out.println("anchor reached the newest head " + took.toMillis() + " ms after the last issuance");
            assertTrue(took.compareTo(AuditAnchorWriter.INTERVAL.multipliedBy(3)) < 0, "took " + took);
        } finally {
            server.close();
        }
    }

    @Test
    void checkpointAndAnchorBothApply() throws Exception {
        data();
        Path checkpoint = dir.resolveSibling(dir.getFileName() + "-checkpoint.json");
        Run exported = run("audit", "checkpoint", "--data", dir.toString());
        assertEquals(0, exported.code(), exported.err());
        Files.writeString(checkpoint, exported.out());
        assertEquals(0, run("audit", "verify", "--data", dir.toString(), "--checkpoint", checkpoint.toString()).code());

        // an anchor altered by hand fails its signature even when the checkpoint is fine
        ObjectNode anchor = (ObjectNode) JsonCodec.parse(Files.readString(AuditAnchor.file(dir)));
        anchor.put("seq", entries - 1);
        Files.writeString(AuditAnchor.file(dir), JsonCodec.writeString(anchor));
        Run forged = run("audit", "verify", "--data", dir.toString(), "--checkpoint", checkpoint.toString());
        assertEquals(1, forged.code(), forged.out());
        assertTrue(forged.out().startsWith("BROKEN: entry " + (entries - 1) + " signature invalid: the audit anchor audit-anchor.json does not verify"),
                forged.out());

        // a malformed anchor is an error (2) for the commands and a refusal for the issuer
        Files.writeString(AuditAnchor.file(dir), "{\"seq\":");
        Run malformed = verify();
        assertEquals(2, malformed.code());
        assertTrue(malformed.err().contains("is malformed"), malformed.err());
        assertRefusal(assertThrows(IllegalStateException.class, () -> start(dir).close()), "is malformed");
    }

    private void assertRefusal(IllegalStateException e, String found) {
        assertTrue(e.getMessage().startsWith("refusing to start: "), e.getMessage());
        assertTrue(e.getMessage().contains(found), e.getMessage());
        assertTrue(e.getMessage().contains("tabard audit verify --data " + dir), e.getMessage());
    }

    /** Edits entry {@code from} and re-computes every later hash, as someone without the org key can. */
    private void recomputeFrom(long from) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("issuer.db"))) {
            c.setAutoCommit(false);
            String previous;
            try (PreparedStatement ps = c.prepareStatement("SELECT hash FROM audit WHERE seq = ?")) {
                ps.setLong(1, from - 1);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    previous = rs.getString(1);
                }
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM audit WHERE seq >= " + from + " ORDER BY seq");
                 PreparedStatement up = c.prepareStatement("UPDATE audit SET actor = ?, previous_hash = ?, hash = ? WHERE seq = ?")) {
                while (rs.next()) {
                    long seq = rs.getLong("seq");
                    String actor = seq == from ? "mallory" : rs.getString("actor");
                    AuditEntry e = AuditEntry.next(seq, Instant.parse(rs.getString("at")), actor, rs.getString("action"),
                            rs.getString("subject"), rs.getString("details"), previous);
                    up.setString(1, actor);
                    up.setString(2, e.previousHash());
                    up.setString(3, e.hash());
                    up.setLong(4, seq);
                    up.executeUpdate();
                    previous = e.hash();
                }
            }
            c.commit();
        }
    }
}
