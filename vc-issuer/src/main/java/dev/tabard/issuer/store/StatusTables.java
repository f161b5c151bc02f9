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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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
     * An entry of {@code purpose} for each of {@code credentialIds}, in order, at random unused indexes of the open
     * list, opening a new list when it fills: a whole group commit's allocation in a few batched statements. The lists'
     * state is read here, inside the caller's transaction (which holds the chain lock), so a full list opens a new one
     * once.
     */
    static List<Entry> allocate(Connection c, SecureRandom random, StatusPurpose purpose, List<String> credentialIds)
            throws SQLException {
        List<Entry> out = new ArrayList<>(credentialIds.size());
        while (out.size() < credentialIds.size()) {
            int[] list = openList(c, purpose);
            int k = Math.min(LIST_LENGTH - list[1], credentialIds.size() - out.size());
            long[] idx = take(c, random, list[0], credentialIds.subList(out.size(), out.size() + k));
            try (PreparedStatement up = c.prepareStatement("UPDATE status_lists SET allocated = allocated + ? WHERE id = ?")) {
                up.setInt(1, k);
                up.setInt(2, list[0]);
                up.executeUpdate();
            }
            for (long i : idx) {
                out.add(new Entry(list[0], i));
            }
        }
        return out;
    }

    /** The newest list of {@code purpose} with room, or a new one; as {id, allocated}. */
    private static int[] openList(Connection c, StatusPurpose purpose) throws SQLException {
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

    /**
     * Random unused indexes of {@code listId}, one per id, taken by inserting them: an insert that succeeds owns its
     * index, one that meets a taken index draws again. The list has room for all of them (the caller checked).
     */
    private static long[] take(Connection c, SecureRandom random, int listId, List<String> ids) throws SQLException {
        long[] idx = new long[ids.size()];
        List<Integer> pending = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            pending.add(i);
        }
        Set<Long> drawn = new HashSet<>(); // never the same index twice within one batch
        for (int attempt = 0; attempt < RANDOM_ATTEMPTS && !pending.isEmpty(); attempt++) {
            try (PreparedStatement ps = c.prepareStatement(INSERT_ALLOCATION)) {
                for (int i : pending) {
                    long x;
                    do {
                        x = random.nextInt(LIST_LENGTH);
                    } while (!drawn.add(x));
                    idx[i] = x;
                    bindAllocation(ps, listId, x, ids.get(i));
                    ps.addBatch();
                }
                int[] counts = ps.executeBatch();
                List<Integer> again = new ArrayList<>();
                for (int j = 0; j < counts.length; j++) {
                    if (counts[j] == 0) {
                        again.add(pending.get(j));
                    } else if (counts[j] != 1) {
                        throw new IllegalStateException("the database gave no row count for a status index insert");
                    }
                }
                pending = again;
            }
        }
        if (!pending.isEmpty()) {
            takeScanning(c, random, listId, ids, idx, pending);
        }
        return idx;
    }

    /** A nearly full list: random free indexes among those left, found from the list's allocations. */
    private static void takeScanning(Connection c, SecureRandom random, int listId, List<String> ids, long[] idx, List<Integer> pending)
            throws SQLException {
        BitSet used = new BitSet(LIST_LENGTH);
        try (PreparedStatement ps = c.prepareStatement("SELECT idx FROM status_allocations WHERE list_id = ?")) {
            ps.setInt(1, listId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    used.set((int) rs.getLong(1));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_ALLOCATION)) {
            for (int i : pending) {
                int x = used.nextClearBit(random.nextInt(LIST_LENGTH));
                if (x >= LIST_LENGTH) {
                    x = used.nextClearBit(0);
                }
                if (x >= LIST_LENGTH) {
                    throw new IllegalStateException("status list " + listId + " is full");
                }
                used.set(x);
                idx[i] = x;
                bindAllocation(ps, listId, x, ids.get(i));
                if (ps.executeUpdate() != 1) {
                    throw new IllegalStateException("status list " + listId + ": index " + x + " was taken while this transaction held the lock");
                }
            }
        }
    }

    private static final String INSERT_ALLOCATION = "INSERT INTO status_allocations VALUES (?, ?, ?) ON CONFLICT (list_id, idx) DO NOTHING";

    private static void bindAllocation(PreparedStatement ps, int listId, long idx, String credentialId) throws SQLException {
        ps.setInt(1, listId);
        ps.setLong(2, idx);
        ps.setString(3, credentialId);
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
