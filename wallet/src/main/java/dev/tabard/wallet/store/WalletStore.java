package dev.tabard.wallet.store;

import dev.tabard.codec.JsonCodec;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The wallet file: SQLite in WAL mode with a busy timeout, so two threads or two processes can share it; every
 * change is one transaction, so a kill loses nothing that was committed.
 */
public final class WalletStore implements AutoCloseable {

    private final Connection c;

    private WalletStore(Connection c) throws SQLException {
        this.c = c;
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 10000");
            s.execute("PRAGMA journal_mode = WAL");
            s.execute("PRAGMA synchronous = NORMAL");
            s.executeUpdate("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
            s.executeUpdate("CREATE TABLE IF NOT EXISTS credentials (id TEXT PRIMARY KEY, token TEXT NOT NULL, issuer TEXT NOT NULL, "
                    + "types TEXT NOT NULL, capabilities TEXT NOT NULL, valid_until TEXT, stored TEXT NOT NULL)");
        }
    }

    public static WalletStore open(Path file) {
        try {
            return new WalletStore(DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath()));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the wallet " + file + ": " + e.getMessage(), e);
        }
    }

    public synchronized Optional<String> meta(String key) {
        try (PreparedStatement ps = c.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sets keys that do not exist yet, all or none; returns false when another writer set them first. */
    public synchronized boolean initMeta(java.util.Map<String, String> values) {
        try {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO meta VALUES (?, ?)")) {
                for (var e : values.entrySet()) {
                    ps.setString(1, e.getKey());
                    ps.setString(2, e.getValue());
                    ps.executeUpdate();
                }
                c.commit();
                return true;
            } catch (SQLException e) {
                c.rollback();
                if (e.getMessage() != null && e.getMessage().contains("UNIQUE")) {
                    return false;
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public synchronized void put(StoredCredential cred) {
        try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO credentials VALUES (?,?,?,?,?,?,?)")) {
            ps.setString(1, cred.id());
            ps.setString(2, cred.token());
            ps.setString(3, cred.issuer());
            ps.setString(4, JsonCodec.writeString(cred.types()));
            ps.setString(5, JsonCodec.writeString(cred.capabilities()));
            ps.setString(6, cred.validUntil().map(Instant::toString).orElse(null));
            ps.setString(7, cred.stored().toString());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public synchronized boolean delete(String id) {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM credentials WHERE id = ?")) {
            ps.setString(1, id);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public synchronized List<StoredCredential> query(CredentialQuery q) {
        List<StoredCredential> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM credentials ORDER BY stored DESC")) {
            while (rs.next()) {
                String until = rs.getString("valid_until");
                StoredCredential sc = new StoredCredential(rs.getString("id"), rs.getString("token"), rs.getString("issuer"),
                        strings(rs.getString("types")), strings(rs.getString("capabilities")),
                        until == null ? Optional.empty() : Optional.of(Instant.parse(until)), Instant.parse(rs.getString("stored")));
                if (q.matches(sc)) {
                    out.add(sc);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static Set<String> strings(String json) {
        Set<String> out = new LinkedHashSet<>();
        JsonCodec.parse(json).forEach(n -> out.add(n.asText()));
        return out;
    }

    @Override
    public synchronized void close() {
        try {
            c.close();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
