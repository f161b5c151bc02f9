package dev.tabard.wallet.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.codec.Timestamps;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
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
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The wallet file: SQLite in WAL mode with a busy timeout, so two threads or two processes can share it; every
 * change is one transaction, so a kill loses nothing that was committed.
 *
 * <p>On POSIX systems the file and its {@code -wal} and {@code -shm} companions are owner-only ({@code 0600}; SQLite
 * gives the companions the database file's mode) and a directory created for it is {@code 0700}: the file holds the
 * sealed key and credentials that carry personal data. An existing file with wider permissions is narrowed on open.
 *
 * <p>The file is not trusted: anyone who can write it can change a row. {@link #rows()} hands out each row as
 * stored, for the wallet to verify; {@link #query} leaves out rows whose columns do not parse.
 */
public final class WalletStore implements AutoCloseable {

    /** Owner read and write only. */
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    /** Owner only, for a directory the wallet creates. */
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    /** A credential row as the file holds it, every column as text, before anything is checked. Made only by {@link #rows()}. */
    public static final class Row {
        private final String id;
        private final String token;
        private final String issuer;
        private final String types;
        private final String capabilities;
        private final Optional<String> validUntil;
        private final String stored;

        private Row(String id, String token, String issuer, String types, String capabilities, Optional<String> validUntil,
                    String stored) {
            this.id = Objects.requireNonNull(id, "id");
            this.token = Objects.requireNonNull(token, "token");
            this.issuer = Objects.requireNonNull(issuer, "issuer");
            this.types = Objects.requireNonNull(types, "types");
            this.capabilities = Objects.requireNonNull(capabilities, "capabilities");
            this.validUntil = Objects.requireNonNull(validUntil, "validUntil");
            this.stored = Objects.requireNonNull(stored, "stored");
        }

        public String id() {
            return id;
        }

        public String token() {
            return token;
        }

        public String issuer() {
            return issuer;
        }

        public String types() {
            return types;
        }

        public String capabilities() {
            return capabilities;
        }

        /** The {@code valid_until} column, absent when it is SQL NULL. */
        public Optional<String> validUntil() {
            return validUntil;
        }

        public String stored() {
            return stored;
        }
    }

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
            s.executeUpdate("CREATE TABLE IF NOT EXISTS delegations (id TEXT NOT NULL, direction TEXT NOT NULL, counterparty TEXT NOT NULL, "
                    + "chain TEXT NOT NULL, capabilities TEXT NOT NULL, valid_until TEXT NOT NULL, registration TEXT NOT NULL, "
                    + "stored TEXT NOT NULL, PRIMARY KEY (id, direction))");
        }
    }

    /**
     * Opens (or creates) the wallet file, owner-only on POSIX.
     *
     * @throws IllegalStateException when the file cannot be created, opened or made owner-only
     */
    public static WalletStore open(Path file) {
        Path absolute = file.toAbsolutePath();
        try {
            ownerOnly(absolute);
            return new WalletStore(DriverManager.getConnection("jdbc:sqlite:" + absolute));
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("cannot open the wallet " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens a wallet file that already exists, never creating one, so that a mistyped path is an error rather than a
     * new wallet with a new identity. The file is checked read-only first: an empty or foreign file is refused unchanged.
     *
     * @throws ProblemException {@code RESOURCE_NOT_FOUND} when there is no such file; {@code FORBIDDEN} when it cannot be
     *     read; {@code MALFORMED_VALUE_ERROR} for a directory, an empty file, or a file that is not a wallet
     */
    public static WalletStore openExisting(Path file) {
        ExistingWalletFile.check(file);
        return open(file);
    }

    /** Creates the file (and missing directories) owner-only, or narrows an existing file and its companions to 0600. */
    private static void ownerOnly(Path file) throws IOException {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        Path parent = file.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            createDirectories(parent);
        }
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
        } catch (FileAlreadyExistsException e) {
            // an existing wallet: narrowed below
        }
        for (String suffix : List.of("", "-wal", "-shm")) {
            Path f = Path.of(file + suffix);
            if (Files.exists(f, LinkOption.NOFOLLOW_LINKS) && !Files.getPosixFilePermissions(f).equals(OWNER_ONLY_FILE)) {
                Files.setPosixFilePermissions(f, OWNER_ONLY_FILE);
            }
        }
    }

    private static void createDirectories(Path dir) throws IOException {
        Path parent = dir.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            createDirectories(parent);
        }
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
        } catch (FileAlreadyExistsException e) {
            // made by another process meanwhile; its mode is that process's choice
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
                if (e instanceof org.sqlite.SQLiteException se && (se.getResultCode() == org.sqlite.SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY
                        || se.getResultCode() == org.sqlite.SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE)) {
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

    /**
     * Replaces the key sealing parameters (meta {@code sealing}) and the sealed key (meta {@code key.sealed}) in one
     * transaction, so that the key is never sealed under parameters the file does not hold; only while the file still
     * holds {@code replacing}.
     *
     * @return false, changing nothing, when the file holds other parameters (another process re-sealed first)
     * @throws IllegalStateException when the file has no sealed key; nothing is changed
     */
    public synchronized boolean resealKey(String replacing, String sealing, String sealedKey) {
        try {
            c.setAutoCommit(false);
            try (PreparedStatement key = c.prepareStatement("UPDATE meta SET value = ? WHERE key = 'key.sealed'");
                 PreparedStatement parameters = c.prepareStatement("UPDATE meta SET value = ? WHERE key = 'sealing' AND value = ?")) {
                key.setString(1, sealedKey);
                if (key.executeUpdate() != 1) {
                    throw new IllegalStateException("the wallet file has no sealed key to re-seal");
                }
                parameters.setString(1, sealing);
                parameters.setString(2, replacing);
                if (parameters.executeUpdate() != 1) {
                    c.rollback();
                    return false;
                }
                c.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
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
            ps.setString(6, cred.validUntil().map(Timestamps::format).orElse(null));
            ps.setString(7, Timestamps.format(cred.stored()));
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

    /** The held credentials matching {@code q}, newest first; rows whose columns do not parse are left out. */
    public synchronized List<StoredCredential> query(CredentialQuery q) {
        List<StoredCredential> out = new ArrayList<>();
        for (Row row : rows()) {
            parse(row).filter(q::matches).ifPresent(out::add);
        }
        return out;
    }

    /** Every credential row as stored, newest first, unchecked. */
    /** Stores a delegation given or received (one transaction; a second store of the same link replaces it). */
    public synchronized void putDelegation(HeldDelegation d, Instant stored) {
        try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO delegations VALUES (?,?,?,?,?,?,?,?)")) {
            ps.setString(1, d.id());
            ps.setString(2, d.direction().name());
            ps.setString(3, d.counterparty().toString());
            ps.setString(4, JsonCodec.writeString(d.chain()));
            ps.setString(5, JsonCodec.writeString(d.capabilities().stream().sorted().toList()));
            ps.setString(6, d.validUntil().toString());
            ps.setString(7, d.registration().name());
            ps.setString(8, stored.toString());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The delegations given or received, newest link end first. As for credentials, the file is not trusted: a caller
     * presents a chain only after it verified it again; rows that do not parse are left out.
     */
    public synchronized List<HeldDelegation> delegations(HeldDelegation.Direction direction) {
        List<HeldDelegation> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM delegations WHERE direction = ? ORDER BY valid_until DESC")) {
            ps.setString(1, direction.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    try {
                        List<String> chain = new ArrayList<>();
                        JsonCodec.parse(rs.getString("chain")).forEach(n -> chain.add(n.asText()));
                        Set<String> caps = new LinkedHashSet<>();
                        JsonCodec.parse(rs.getString("capabilities")).forEach(n -> caps.add(n.asText()));
                        out.add(new HeldDelegation(rs.getString("id"), direction, dev.tabard.did.Did.parse(rs.getString("counterparty")),
                                chain, caps, Instant.parse(rs.getString("valid_until")),
                                HeldDelegation.Registration.valueOf(rs.getString("registration"))));
                    } catch (RuntimeException e) {
                        // a row edited outside the wallet: not offered
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    public synchronized List<Row> rows() {
        List<Row> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM credentials ORDER BY stored DESC")) {
            while (rs.next()) {
                out.add(new Row(text(rs, "id"), text(rs, "token"), text(rs, "issuer"), text(rs, "types"), text(rs, "capabilities"),
                        Optional.ofNullable(rs.getString("valid_until")), text(rs, "stored")));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** The typed credential a row describes, or empty when a column does not parse (the file was edited). */
    public static Optional<StoredCredential> parse(Row row) {
        try {
            StoredCredential c = StoredCredential.of(row.id(), row.token(), row.issuer(), strings(row.types()),
                    strings(row.capabilities()), Timestamps.parseDateTimeStamp(row.stored(), "/stored"));
            return Optional.of(row.validUntil().isEmpty() ? c
                    : c.withValidUntil(Timestamps.parseDateTimeStamp(row.validUntil().get(), "/valid_until")));
        } catch (ProblemException e) {
            return Optional.empty();
        }
    }

    private static String text(ResultSet rs, String column) throws SQLException {
        String v = rs.getString(column);
        return v == null ? "" : v;
    }

    /** A JSON array of strings. */
    private static Set<String> strings(String json) {
        JsonNode array = JsonCodec.parse(json.getBytes(StandardCharsets.UTF_8));
        if (!array.isArray()) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "not a JSON array");
        }
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode n : array) {
            if (!n.isTextual()) {
                throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "not a JSON array of strings");
            }
            out.add(n.asText());
        }
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
