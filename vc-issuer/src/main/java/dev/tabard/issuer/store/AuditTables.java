package dev.tabard.issuer.store;

import dev.tabard.audit.AuditEntry;
import dev.tabard.audit.AuditTrail.StoredHead;
import dev.tabard.audit.SignedHead;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The SQL of the {@code audit} and {@code audit_heads} tables. Rows are read as whoever could write the file left
 * them: a damaged row becomes an entry that fails its hash check, never an exception that stops the check.
 */
final class AuditTables {

    private AuditTables() {
    }

    static AuditEntry append(Connection c, AuditEntry e) throws SQLException {
        appendAll(c, List.of(e));
        return e;
    }

    /** Inserts {@code entries} in one batch: one round trip to the database for a whole group commit. */
    static void appendAll(Connection c, List<AuditEntry> entries) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit VALUES (?,?,?,?,?,?,?,?)")) {
            for (AuditEntry e : entries) {
                ps.setLong(1, e.seq());
                ps.setString(2, e.at().toString());
                ps.setString(3, e.actor());
                ps.setString(4, e.action());
                ps.setString(5, e.subject());
                ps.setString(6, e.detailsJson());
                ps.setString(7, e.previousHash());
                ps.setString(8, e.hash());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    static void insertHead(Connection c, SignedHead head) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_heads VALUES (?, ?) ON CONFLICT (seq) DO UPDATE SET jws = excluded.jws")) {
            ps.setLong(1, head.seq());
            ps.setString(2, head.jws());
            ps.executeUpdate();
        }
    }

    static List<AuditEntry> entries(Connection reader, long afterSeq, int limit) throws SQLException {
        List<AuditEntry> out = new ArrayList<>();
        try (PreparedStatement ps = reader.prepareStatement("SELECT * FROM audit WHERE seq > ? ORDER BY seq LIMIT ?")) {
            ps.setLong(1, afterSeq);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AuditEntry(rs.getLong("seq"), time(rs.getString("at")), text(rs, "actor"), text(rs, "action"),
                            text(rs, "subject"), text(rs, "details"), text(rs, "previous_hash"), text(rs, "hash")));
                }
            }
        }
        return out;
    }

    static List<StoredHead> heads(Connection reader, long afterSeq, int limit) throws SQLException {
        List<StoredHead> out = new ArrayList<>();
        try (PreparedStatement ps = reader.prepareStatement("SELECT seq, jws FROM audit_heads WHERE seq > ? ORDER BY seq LIMIT ?")) {
            ps.setLong(1, afterSeq);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredHead(rs.getLong(1), text(rs, "jws")));
                }
            }
        }
        return out;
    }

    static Optional<StoredHead> latestHead(Connection reader) throws SQLException {
        try (Statement s = reader.createStatement(); ResultSet rs = s.executeQuery("SELECT seq, jws FROM audit_heads ORDER BY seq DESC LIMIT 1")) {
            return rs.next() ? Optional.of(new StoredHead(rs.getLong(1), text(rs, "jws"))) : Optional.empty();
        }
    }

    /** A stored time that is not one reads as the epoch, which fails the entry's hash check: reported as edited. */
    private static Instant time(String at) {
        try {
            return Instant.parse(at == null ? "" : at);
        } catch (DateTimeException e) {
            return Instant.EPOCH;
        }
    }

    private static String text(ResultSet rs, String column) throws SQLException {
        String v = rs.getString(column);
        return v == null ? "" : v;
    }
}
