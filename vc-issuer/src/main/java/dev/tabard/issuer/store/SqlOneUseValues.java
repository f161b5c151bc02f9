package dev.tabard.issuer.store;

import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link OneUseValues} in the {@code one_use} table, shared by every instance on the database. A key is stored as its
 * SHA-256, so reading the table gives no live code or token. {@link #take} is one {@code DELETE … RETURNING}: of two
 * callers, on any instances, one gets the row. Puts of one kind are serialized by a lock of their own, so the per-owner
 * and total bounds hold across instances; each put first purges the kind's expired rows.
 */
final class SqlOneUseValues implements OneUseValues {

    /** Bounds on what one row holds, so no caller can make the table hold more than a few bytes per value. */
    static final int MAX_OWNER = 512;
    static final int MAX_VALUE = 16 * 1024;

    private final Kind kind;
    private final Database db;
    private final Clock clock;
    private final long lock;

    SqlOneUseValues(Kind kind, Database db, Clock clock) {
        this.kind = kind;
        this.db = db;
        this.clock = clock;
        this.lock = Database.oneUseLock(kind.name());
    }

    /**
     * @throws ProblemException {@link ProblemType#CLIENT_LIMIT_EXCEEDED} when the owner holds {@code perOwner} live values;
     *     {@link ProblemType#INPUT_TOO_LARGE} for an owner over {@value #MAX_OWNER} or a value over {@value #MAX_VALUE}
     *     characters
     */
    @Override
    public void put(String owner, String key, String value) {
        Objects.requireNonNull(key, "key");
        if (owner.length() > MAX_OWNER || value.length() > MAX_VALUE) {
            throw new ProblemException(ProblemType.INPUT_TOO_LARGE, "a " + kind.name() + " is held for an owner of at most " + MAX_OWNER
                    + " characters, with a value of at most " + MAX_VALUE);
        }
        long now = clock.millis();
        int held = db.write(lock, c -> {
            update(c, "DELETE FROM one_use WHERE kind = ? AND expires <= ?", kind.name(), now);
            int mine = count(c, "SELECT count(*) FROM one_use WHERE kind = ? AND owner = ?", kind.name(), owner);
            if (mine >= kind.perOwner()) {
                return mine;
            }
            if (count(c, "SELECT count(*) FROM one_use WHERE kind = ?", kind.name()) >= kind.total()) {
                // full: the value that expires first of the owner holding the most goes, never the newcomer's
                update(c, "DELETE FROM one_use WHERE kind = ? AND key_hash = (SELECT key_hash FROM one_use WHERE kind = ? AND owner = "
                        + "(SELECT owner FROM one_use WHERE kind = ? GROUP BY owner ORDER BY count(*) DESC, owner LIMIT 1) "
                        + "ORDER BY expires LIMIT 1)", kind.name(), kind.name(), kind.name());
            }
            update(c, "INSERT INTO one_use VALUES (?, ?, ?, ?, ?)", kind.name(), hash(key), owner, value,
                    now + kind.lifetime().toMillis());
            return -1;
        });
        if (held >= 0) {
            throw new ProblemException(ProblemType.CLIENT_LIMIT_EXCEEDED, "this client holds " + held + " open " + kind.name()
                    + "s, the most one client may hold; use one, or retry after " + retryAfter(owner).toSeconds()
                    + " s when the oldest expires");
        }
    }

    @Override
    public Optional<String> take(String key) {
        long now = clock.millis();
        return db.write(lock, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM one_use WHERE kind = ? AND key_hash = ? RETURNING value, expires")) {
                ps.setString(1, kind.name());
                ps.setString(2, hash(key));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() && rs.getLong(2) > now ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    @Override
    public Optional<String> peek(String key) {
        long now = clock.millis();
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT value FROM one_use WHERE kind = ? AND key_hash = ? AND expires > ?")) {
                ps.setString(1, kind.name());
                ps.setString(2, hash(key));
                ps.setLong(3, now);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    @Override
    public boolean remove(String key, String expected) {
        return db.write(lock, c -> update(c, "DELETE FROM one_use WHERE kind = ? AND key_hash = ? AND value = ?",
                kind.name(), hash(key), expected)) == 1;
    }

    @Override
    public boolean replace(String key, String expected, String replacement) {
        if (replacement.length() > MAX_VALUE) {
            throw new ProblemException(ProblemType.INPUT_TOO_LARGE, "a " + kind.name() + " holds a value of at most " + MAX_VALUE);
        }
        long now = clock.millis();
        return db.write(lock, c -> update(c, "UPDATE one_use SET value = ? WHERE kind = ? AND key_hash = ? AND value = ? AND expires > ?",
                replacement, kind.name(), hash(key), expected, now)) == 1;
    }

    @Override
    public Duration retryAfter(String owner) {
        long now = clock.millis();
        long oldest = db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT min(expires) FROM one_use WHERE kind = ? AND owner = ? AND expires > ?")) {
                ps.setString(1, kind.name());
                ps.setString(2, owner);
                ps.setLong(3, now);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    long v = rs.getLong(1);
                    return rs.wasNull() ? 0L : v;
                }
            }
        });
        return oldest == 0 ? Duration.ZERO : Duration.ofMillis(oldest - now).plusSeconds(1).withNanos(0);
    }

    private static int count(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = bind(c, sql, args); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = bind(c, sql, args)) {
            return ps.executeUpdate();
        }
    }

    private static PreparedStatement bind(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            if (args[i] instanceof Long l) {
                ps.setLong(i + 1, l);
            } else {
                ps.setString(i + 1, (String) args[i]);
            }
        }
        return ps;
    }

    /** The stored form of a key: its SHA-256, hex. */
    static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
