package dev.tabard.issuer.store;

import dev.tabard.issuer.status.StatusListRecord;
import dev.tabard.vc.status.Bitstring;
import dev.tabard.vc.status.StatusPurpose;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The SQL of the status lists: handing out random unused indexes and setting bits, with the bits kept as a
 * {@link Bitstring}. Allocation runs inside a transaction holding {@link Database#CHAIN_LOCK}, so it reads the lists'
 * state after every other instance's last commit; the primary key (list_id, idx) makes a second use of an index
 * impossible even so.
 */
final class StatusTables {

    /** Entries per status list: the spec's minimum, for group privacy. */
    static final int LIST_LENGTH = Bitstring.MIN_ENTRIES;
    /** Random picks before falling back to a scan for a free index (a list this close to full has few left). */
    private static final int RANDOM_ATTEMPTS = 64;

    private StatusTables() {
    }

    /** Where one status entry lives. */
    record Entry(int list, long index) {
    }

    /**
     * Allocation within one transaction: the open list of each purpose is read once, inside the transaction, and its
     * count kept for the rest of it. A full list opens a new one; under the lock that happens once.
     */
    static final class Allocation {
        private final Connection c;
        private final SecureRandom random;
        private final Map<StatusPurpose, int[]> open = new EnumMap<>(StatusPurpose.class);

        Allocation(Connection c, SecureRandom random) {
            this.c = c;
            this.random = random;
        }

        Entry allocate(StatusPurpose purpose, String credentialId) throws SQLException {
            int[] list = open.get(purpose);
            if (list == null || list[1] >= LIST_LENGTH) {
                list = openList(purpose);
                open.put(purpose, list);
            }
            long idx = freeIndex(list[0], credentialId);
            try (PreparedStatement up = c.prepareStatement("UPDATE status_lists SET allocated = allocated + 1 WHERE id = ?")) {
                up.setInt(1, list[0]);
                up.executeUpdate();
            }
            list[1]++;
            return new Entry(list[0], idx);
        }

        /** The newest list of {@code purpose} with room, or a new one; as {id, allocated}. */
        private int[] openList(StatusPurpose purpose) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, allocated, length FROM status_lists WHERE purpose = ? ORDER BY id DESC LIMIT 1")) {
                ps.setString(1, purpose.value());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getInt(2) < rs.getInt(3)) {
                        return new int[] {rs.getInt(1), rs.getInt(2)};
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO status_lists (purpose, length, bits, version, allocated) VALUES (?, ?, ?, 1, 0) RETURNING id")) {
                ps.setString(1, purpose.value());
                ps.setInt(2, LIST_LENGTH);
                ps.setBytes(3, Bitstring.create(LIST_LENGTH, 1).toBytes());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new int[] {rs.getInt(1), 0};
                }
            }
        }

        /** A random unused index, taken by inserting it: the insert that succeeds owns the index. */
        private long freeIndex(int listId, String credentialId) throws SQLException {
            for (int attempt = 0; attempt < RANDOM_ATTEMPTS; attempt++) {
                long idx = random.nextInt(LIST_LENGTH);
                if (take(listId, idx, credentialId)) {
                    return idx;
                }
            }
            // nearly full: a random free index among those left
            BitSet used = new BitSet(LIST_LENGTH);
            try (PreparedStatement ps = c.prepareStatement("SELECT idx FROM status_allocations WHERE list_id = ?")) {
                ps.setInt(1, listId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        used.set((int) rs.getLong(1));
                    }
                }
            }
            int from = random.nextInt(LIST_LENGTH);
            int idx = used.nextClearBit(from);
            if (idx >= LIST_LENGTH) {
                idx = used.nextClearBit(0);
            }
            if (idx >= LIST_LENGTH || !take(listId, idx, credentialId)) {
                throw new IllegalStateException("status list " + listId + " is full");
            }
            return idx;
        }

        private boolean take(int listId, long idx, String credentialId) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO status_allocations VALUES (?, ?, ?) ON CONFLICT (list_id, idx) DO NOTHING")) {
                ps.setInt(1, listId);
                ps.setLong(2, idx);
                ps.setString(3, credentialId);
                return ps.executeUpdate() == 1;
            }
        }
    }

    /** Sets or clears one bit and counts a new version of the list, inside the caller's (locked) transaction. */
    static void setBit(Connection c, int listId, long idx, boolean set) throws SQLException {
        Bitstring bits;
        try (PreparedStatement ps = c.prepareStatement("SELECT bits FROM status_lists WHERE id = ?")) {
            ps.setInt(1, listId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("status list " + listId + " is missing");
                }
                bits = Bitstring.fromBytes(rs.getBytes(1), 1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE status_lists SET bits = ?, version = version + 1 WHERE id = ?")) {
            ps.setBytes(1, bits.with(idx, set ? 1 : 0).toBytes());
            ps.setInt(2, listId);
            ps.executeUpdate();
        }
    }

    static Optional<StatusListRecord> read(Connection c, int id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM status_lists WHERE id = ?")) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Bitstring bits = Bitstring.fromBytes(rs.getBytes("bits"), 1);
                return Optional.of(new StatusListRecord(rs.getInt("id"), StatusPurpose.fromValue(rs.getString("purpose")).orElseThrow(),
                        bits, rs.getLong("version"), rs.getInt("allocated")));
            }
        }
    }
}
