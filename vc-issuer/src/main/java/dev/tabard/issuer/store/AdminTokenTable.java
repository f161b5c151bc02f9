package dev.tabard.issuer.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code admin_tokens} table, keyed with the {@link AdminTokenKey} of the data directory. The key's
 * {@link AdminTokenKey#check() check value} is kept in {@code meta}, so every instance on a shared database must hold
 * the same key file, and one that does not is stopped on open with a message naming the file to copy. A store that one
 * process opens (SQLite) holds the check to the key only once a token was hashed with it.
 */
final class AdminTokenTable {

    /** The meta row holding the admin-token key's check value. */
    static final String CHECK_META = "admin-token-key.check";

    private final AdminTokenKey key;

    private AdminTokenTable(AdminTokenKey key) {
        this.key = key;
    }

    /**
     * Reads (or makes) the admin-token key in {@code dataDir}, records its check value when the store has none, and
     * re-keys, in one transaction, the bare SHA-256 hashes that stores made before the key hold: a keyed hash is
     * HMAC(key, SHA-256), so this needs no token and every existing token keeps working.
     */
    static AdminTokenTable open(Database db, Path dataDir, SecureRandom random, boolean shared) {
        List<String> bare = new ArrayList<>();
        boolean[] anyKeyed = {false};
        Optional<String> check = db.read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT token_hash FROM admin_tokens")) {
                while (rs.next()) {
                    if (AdminTokenKey.isKeyed(rs.getString(1))) {
                        anyKeyed[0] = true;
                    } else {
                        bare.add(rs.getString(1));
                    }
                }
            }
            return storedCheck(c);
        });
        // one process's store with no keyed hash yet depends on no key: a lost key file is simply made anew
        AdminTokenKey key = AdminTokenKey.openOrCreate(dataDir, random, anyKeyed[0], shared || anyKeyed[0] ? check : Optional.empty());
        String winner = db.write(Database.CHAIN_LOCK, c -> {
            // on a shared database another instance may have recorded its key since the read above: the first one stands
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO "
                    + (shared ? "NOTHING" : "UPDATE SET value = excluded.value"))) {
                ps.setString(1, CHECK_META);
                ps.setString(2, key.check());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE admin_tokens SET token_hash = ? WHERE token_hash = ?")) {
                for (String hash : bare) {
                    ps.setString(1, key.keyed(hash));
                    ps.setString(2, hash);
                    ps.executeUpdate();
                }
            }
            return storedCheck(c).orElseThrow();
        });
        if (!winner.equals(key.check())) {
            throw new IllegalStateException(dataDir.resolve(AdminTokenKey.FILE_NAME) + " is not the key this store's admin tokens are "
                    + "hashed with (another instance started at the same time with its own): copy " + AdminTokenKey.FILE_NAME
                    + " from the data directory of an instance already running on this database");
        }
        return new AdminTokenTable(key);
    }

    private static Optional<String> storedCheck(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
            ps.setString(1, CHECK_META);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    void put(Connection c, String name, String tokenHashHex, String role) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO admin_tokens VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
                + "token_hash = excluded.token_hash, role = excluded.role")) {
            ps.setString(1, name);
            ps.setString(2, key.keyed(tokenHashHex));
            ps.setString(3, role);
            ps.executeUpdate();
        }
    }

    /** The token whose SHA-256 is {@code tokenHashHex}; every stored hash is compared, in constant time. */
    Optional<IssuerStore.AdminToken> find(Database db, String tokenHashHex) {
        List<String[]> all = db.read(c -> {
            List<String[]> out = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT token_hash, name, role FROM admin_tokens")) {
                while (rs.next()) {
                    out.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
            return out;
        });
        byte[] wanted = key.keyed(tokenHashHex).getBytes(StandardCharsets.US_ASCII);
        IssuerStore.AdminToken found = null;
        for (String[] t : all) {
            // timing tells nothing about which one matched
            if (MessageDigest.isEqual(wanted, t[0].getBytes(StandardCharsets.US_ASCII))) {
                found = new IssuerStore.AdminToken(t[1], t[2]);
            }
        }
        return Optional.ofNullable(found);
    }
}
