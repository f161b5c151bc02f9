package dev.tabard.cli;

import static dev.tabard.cli.Run.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.audit.AuditCheckpoint;
import dev.tabard.audit.AuditEntry;
import dev.tabard.audit.AuditKey;
import dev.tabard.audit.SignedHead;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.did.key.KeyDids;
import dev.tabard.issuer.IssuerConfig;
import dev.tabard.issuer.http.IssuerServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tabard audit verify} and {@code checkpoint} against a store a real issuer wrote over HTTP (with a key
 * rotation in the middle), tampered with through plain JDBC as someone who can write the database would.
 */
@Timeout(120)
class AuditCommandTest {

    private static final String ADMIN = "audit-test-admin-token-0123456789";
    private static final int ISSUED_PER_KEY = 60;

    /** One client, so its connections are reused: a client per request would hold more than the issuer allows one address. */
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path written;
    /** Entries in the untouched store. */
    private static long entries;

    @TempDir
    Path dir;

    @BeforeAll
    @Timeout(120)
    static void issuerWritesAStore() throws Exception {
        IssuerServer server = start(written);
        try {
            String agent = KeyDids.of(KeyPair.generate(KeyType.ED25519, new SecureRandom()).publicKey()).toString();
            assertEquals(201, post(server, "/admin/agents", "{\"did\":\"" + agent + "\",\"name\":\"a\",\"operator\":{\"name\":\"o\"}}").statusCode());
            for (int i = 0; i < ISSUED_PER_KEY; i++) {
                assertEquals(201, post(server, "/admin/agents/" + agent + "/credentials", "").statusCode());
            }
            // heads signed by key-1 must still verify once key-2 signs
            String next = server.service().addKey(KeyType.ED25519, "test").id();
            server.service().activateKey(next, "test");
            for (int i = 0; i < ISSUED_PER_KEY; i++) {
                assertEquals(201, post(server, "/admin/agents/" + agent + "/credentials", "").statusCode());
            }
        } finally {
            server.close();
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + written.resolve("issuer.db"))) {
            entries = Long.parseLong(scalar(c, "SELECT MAX(seq) FROM audit"));
        }
    }

    static IssuerServer start(Path data) {
        return IssuerServer.start(new IssuerConfig(data, URI.create("https://localhost:8443"), "web", "ACME",
                "audit test secret".toCharArray(), Duration.ofHours(1), Optional.of(ADMIN), 0), Optional.empty(), Clock.systemUTC());
    }

    private static HttpResponse<String> post(IssuerServer server, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A fresh copy of the untouched store for one test, with the admin-token key that belongs to it but without the
     * audit anchor: these tests are about what the store alone shows (AuditAnchorCommandTest adds the anchor).
     */
    private Path store() throws Exception {
        Files.copy(written.resolve("issuer.db"), dir.resolve("issuer.db"));
        Files.copy(written.resolve("admin-token.key"), dir.resolve("admin-token.key"));
        return dir;
    }

    private void sql(String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("issuer.db")); Statement s = c.createStatement()) {
            for (String q : statements) {
                s.executeUpdate(q);
            }
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

    private Run verify(Path checkpoint) {
        return run("audit", "verify", "--data", dir.toString(), "--checkpoint", checkpoint.toString());
    }

    private Path checkpoint() throws Exception {
        Run r = run("audit", "checkpoint", "--data", dir.toString());
        assertEquals(0, r.code(), r.err());
        Path file = dir.resolve("checkpoint.json");
        Files.writeString(file, r.out());
        return file;
    }

    @Test
    void verify_untouchedStore_exitsZeroWithEveryEntrySigned() throws Exception {
        store();
        Run r = verify();
        assertEquals(0, r.code(), r.out() + r.err());
        assertEquals("intact: " + entries + " entries, signed head at seq " + entries, r.out());
        assertTrue(entries > 2 * ISSUED_PER_KEY + 100 - 100, "entries " + entries);
        assertEquals(0, verify(checkpoint()).code());
    }

    @Test
    void checkpoint_printsTheSignedHeadAsJson() throws Exception {
        store();
        JsonNode cp = JsonCodec.parse(Files.readString(checkpoint()));
        assertEquals(entries, cp.get("seq").asLong());
        assertEquals("key-2", cp.get("keyId").asText());
        assertTrue(cp.get("hash").asText().matches("[0-9a-f]{64}"));
        assertTrue(cp.get("jws").asText().split("\\.").length == 3);
        Instant.parse(cp.get("time").asText());
    }

    @Test
    void verify_oneEntryEdited_exitsOneNamingTheEntry() throws Exception {
        store();
        sql("UPDATE audit SET actor = 'mallory' WHERE seq = 40");
        Run r = verify();
        assertEquals(1, r.code());
        assertEquals("BROKEN: entry 40 edited: its content no longer gives its stored hash", r.out());
    }

    @Test
    void verify_entryEditedAndChainRecomputed_exitsOneSignatureInvalid() throws Exception {
        store();
        recomputeFrom(40);
        Run r = verify();
        assertEquals(1, r.code());
        assertTrue(r.out().startsWith("BROKEN: entry 40 signature invalid: the head key-1 signed at "), r.out());
        assertTrue(r.out().endsWith("does not match entries 40-40: they were edited and the hash chain re-computed"), r.out());
    }

    @Test
    void verify_bootstrapEntryWrittenBeforeAnyKeyRecomputed_exitsOneSignatureInvalid() throws Exception {
        store();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("issuer.db"))) {
            assertEquals("key.create", scalar(c, "SELECT action FROM audit WHERE seq = 1"), "written before the key could sign");
            assertEquals("1", scalar(c, "SELECT MIN(seq) FROM audit_heads"), "covered by the first head, made once the key exists");
        }
        recomputeFrom(1);
        Run r = verify();
        assertEquals(1, r.code());
        assertTrue(r.out().startsWith("BROKEN: entry 1 signature invalid: the head key-1 signed at "), r.out());
    }

    @Test
    void verify_newest100Deleted_exitsOneTruncated() throws Exception {
        store();
        sql("DELETE FROM audit WHERE seq > " + (entries - 100));
        Run r = verify();
        assertEquals(1, r.code());
        assertEquals("BROKEN: entry " + (entries - 99) + " truncated: a signed head covers entry " + entries + " but the log ends at seq "
                + (entries - 100) + ": entries " + (entries - 99) + "-" + entries + " were deleted", r.out());
    }

    @Test
    void verify_entriesDeletedInTheMiddle_exitsOneDeleted() throws Exception {
        store();
        sql("DELETE FROM audit WHERE seq BETWEEN 50 AND 52");
        Run r = verify();
        assertEquals(1, r.code());
        assertEquals("BROKEN: entry 50 deleted: entries 50-52 are missing: entry 53 follows entry 49", r.out());
    }

    @Test
    void verify_twoEntriesSwapped_exitsOneReordered() throws Exception {
        store();
        sql("UPDATE audit SET seq = -1 WHERE seq = 60", "UPDATE audit SET seq = 60 WHERE seq = 61", "UPDATE audit SET seq = 61 WHERE seq = -1");
        Run r = verify();
        assertEquals(1, r.code());
        assertTrue(r.out().startsWith("BROKEN: entry 60 reordered: it does not follow entry 59"), r.out());
    }

    @Test
    void verify_truncatedWithItsHeadsAfterACheckpoint_onlyTheCheckpointShowsIt() throws Exception {
        store();
        Path checkpoint = checkpoint();
        long kept = entries - 100;
        sql("DELETE FROM audit WHERE seq > " + kept, "DELETE FROM audit_heads WHERE seq > " + kept);
        // what is left is consistent in itself: this is the case the exported checkpoint is for
        assertEquals(0, verify().code());
        Run r = verify(checkpoint);
        assertEquals(1, r.code());
        assertTrue(r.out().startsWith("BROKEN: entry " + (kept + 1) + " truncated: the checkpoint of "), r.out());
        assertTrue(r.out().endsWith("covers entry " + entries + " but the log ends at seq " + kept + ": entries " + (kept + 1) + "-"
                + entries + " were deleted"), r.out());
    }

    @Test
    void verify_checkpointWithItsSeqAndHashChanged_exitsOneSignatureInvalid() throws Exception {
        store();
        Path checkpoint = checkpoint();
        String earlierHash;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("issuer.db"))) {
            earlierHash = scalar(c, "SELECT hash FROM audit WHERE seq = 30");
        }
        ObjectNode cp = (ObjectNode) JsonCodec.parse(Files.readString(checkpoint));
        cp.put("seq", 30).put("hash", earlierHash);
        Files.writeString(checkpoint, JsonCodec.writeString(cp));
        Run r = verify(checkpoint);
        assertEquals(1, r.code());
        assertTrue(r.out().startsWith("BROKEN: entry 30 signature invalid: the checkpoint does not verify"), r.out());
    }

    @Test
    void verify_checkpointSignedWithAnotherKey_exitsOneSignatureInvalid() throws Exception {
        store();
        JsonNode real = JsonCodec.parse(Files.readString(checkpoint()));
        KeyPair mallory = KeyPair.generate(KeyType.ED25519, new SecureRandom());
        SignedHead forged = SignedHead.sign(real.get("seq").asLong() + 5, "0".repeat(64), Instant.now(), new AuditKey("key-2", mallory));
        Path file = dir.resolve("forged.json");
        Files.writeString(file, JsonCodec.writeString(new AuditCheckpoint(forged, mallory.publicKey()).toJson()));
        Run r = verify(file);
        assertEquals(1, r.code());
        assertTrue(r.out().startsWith("BROKEN: entry " + (entries + 5) + " signature invalid: the checkpoint was signed by key-2 = "
                + mallory.publicKey().toMultibase() + ", but the store holds "), r.out());
    }

    @Test
    void verify_missingStoreOrUnreadableCheckpoint_exitsTwo() throws Exception {
        Run noDir = run("audit", "verify", "--data", dir.resolve("absent").toString());
        assertEquals(2, noDir.code());
        assertTrue(noDir.err().startsWith("error: no data directory "), noDir.err());
        Run noStore = verify();
        assertEquals(2, noStore.code());
        assertTrue(noStore.err().startsWith("error: no issuer store at "), noStore.err());
        assertEquals(2, run("audit", "checkpoint", "--data", dir.toString()).code());
        store();
        Run noFile = verify(dir.resolve("absent.json"));
        assertEquals(2, noFile.code());
        assertTrue(noFile.err().contains("cannot read checkpoint"), noFile.err());
        for (String junk : new String[] {"not json", "{}", "[]", "{\"seq\":-1}", "{\"seq\":5,\"hash\":\"00\",\"time\":\"x\"}"}) {
            Path file = dir.resolve("junk.json");
            Files.writeString(file, junk);
            Run r = verify(file);
            assertEquals(2, r.code(), junk);
            assertTrue(r.err().contains("is malformed"), r.err());
        }
        Path huge = dir.resolve("huge.json");
        Files.writeString(huge, " ".repeat(AuditCheckpoint.MAX_BYTES + 1));
        Run tooLarge = verify(huge);
        assertEquals(2, tooLarge.code());
        assertTrue(tooLarge.err().contains("is larger than " + AuditCheckpoint.MAX_BYTES + " bytes"), tooLarge.err());
    }

    @Test
    void checkpoint_brokenChain_exitsOneAndPrintsNoHead() throws Exception {
        store();
        sql("UPDATE audit SET details = '{\"x\":1}' WHERE seq = 7");
        Run r = run("audit", "checkpoint", "--data", dir.toString());
        assertEquals(1, r.code());
        assertEquals("", r.out());
        assertTrue(r.err().contains("entry 7 edited"), r.err());
    }

    @Test
    void issuer_recomputedTailWithItsHeadsDeleted_refusesToStartRatherThanSignOverIt() throws Exception {
        store();
        recomputeFrom(40);
        sql("DELETE FROM audit_heads WHERE seq >= 40");
        Run r = verify();
        assertEquals(1, r.code());
        assertTrue(r.out().startsWith("BROKEN: entry 40 unsigned: entries 40-" + entries + " are not covered by a signed head"), r.out());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> start(dir).close());
        assertTrue(e.getMessage().contains("are not covered by a signed head"), e.getMessage());
        assertEquals(r.out(), verify().out(), "nothing was signed over the tampered entries");
    }

    @Test
    void issuer_storeFromBeforeSignedHeads_isSignedOnItsNextStart() throws Exception {
        store();
        // a store of schema 1: without what later migrations added (V5's columns too, which SQLite cannot add twice)
        sql("DROP TABLE audit_heads", "DROP TABLE delegations", "DROP INDEX IF EXISTS credentials_revocation",
                "ALTER TABLE credentials DROP COLUMN format", "ALTER TABLE agents DROP COLUMN private_constraints", "PRAGMA user_version = 1");
        Run before = verify();
        assertEquals(1, before.code());
        assertTrue(before.out().startsWith("BROKEN: entry 1 unsigned: entries 1-" + entries), before.out());
        start(dir).close();
        Run after = verify();
        assertEquals(0, after.code(), after.out());
        assertEquals("intact: " + entries + " entries, signed head at seq " + entries, after.out());
    }

    @Test
    void adminAuditVerify_givesTheCommandsVerdict() throws Exception {
        store();
        IssuerServer server = start(dir);
        try {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/admin/audit/verify"))
                    .header("Authorization", "Bearer " + ADMIN).build();
            JsonNode intact = JsonCodec.parse(http.send(get, HttpResponse.BodyHandlers.ofString()).body());
            assertTrue(intact.get("intact").asBoolean(), intact.toString());
            assertEquals(intact.get("entries").asLong(), intact.get("signedHeadSeq").asLong());
            sql("UPDATE audit SET subject = 'urn:uuid:other' WHERE seq = 41");
            JsonNode broken = JsonCodec.parse(http.send(get, HttpResponse.BodyHandlers.ofString()).body());
            assertFalse(broken.get("intact").asBoolean());
            assertEquals(verify().out(), broken.get("message").asText());
        } finally {
            server.close();
        }
    }

    /** Edits entry {@code from} and re-computes every later hash, as someone without the org key can. */
    private void recomputeFrom(long from) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("issuer.db"))) {
            c.setAutoCommit(false);
            String previous = AuditEntry.GENESIS;
            try (PreparedStatement ps = c.prepareStatement("SELECT hash FROM audit WHERE seq = ?")) {
                ps.setLong(1, from - 1);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        previous = rs.getString(1);
                    }
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
