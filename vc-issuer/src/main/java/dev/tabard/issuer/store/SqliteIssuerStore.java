package dev.tabard.issuer.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tabard.audit.AuditEntry;
import dev.tabard.audit.AuditKey;
import dev.tabard.audit.SignedHead;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.VerificationKey;
import dev.tabard.did.Did;
import dev.tabard.issuer.agents.Agent;
import dev.tabard.issuer.delegations.RegisteredDelegation;
import dev.tabard.issuer.keys.OrgKey;
import dev.tabard.issuer.status.StatusListRecord;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.AgentClaims;
import dev.tabard.vc.status.Bitstring;
import dev.tabard.vc.status.StatusPurpose;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * {@link IssuerStore} in one SQLite file: WAL journal, a busy timeout, and one transaction per change. One
 * connection behind a lock serializes writers, which is what SQLite does anyway; the lock also keeps the audit
 * chain's head in memory consistent with the file.
 */
public final class SqliteIssuerStore implements IssuerStore {

    /** Entries per status list: the spec's minimum, for group privacy. */
    public static final int LIST_LENGTH = Bitstring.MIN_ENTRIES;

    private final Connection c;
    /** Reads go through their own connection: in WAL mode they see the last commit without waiting for the writer. */
    private final Connection reader;
    private final ReentrantLock lock = new ReentrantLock();
    private final ReentrantLock readLock = new ReentrantLock();
    private final java.util.concurrent.BlockingQueue<PendingIssue> issueQueue = new java.util.concurrent.LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;

    /** An issuance waiting for the group commit. */
    private record PendingIssue(String credentialId, Did agent, Instant issued, Instant validUntil, String keyId, Audit audit,
                                Optional<RegisteredDelegation> delegation,
                                java.util.concurrent.CompletableFuture<IssuedCredential> result) {
    }
    private final Clock clock;
    private final SecureRandom random;
    /** Keys the admin-token hashes; read from the data directory on open. */
    private final AdminTokenKey tokenKey;
    private long auditSeq;
    private String auditHead;
    /** Signs the head of every audited transaction once set; see {@link #signAuditHeadsWith}. */
    private volatile Supplier<AuditKey> auditKey;
    /** The open list per purpose, known only inside a transaction holding the lock; cleared when a transaction fails. */
    private final java.util.Map<StatusPurpose, int[]> openLists = new java.util.EnumMap<>(StatusPurpose.class);

    private SqliteIssuerStore(Connection c, Connection reader, Clock clock, SecureRandom random, Path dataDir) throws SQLException {
        this.c = c;
        this.reader = reader;
        this.clock = clock;
        this.random = random;
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode = WAL");
            s.execute("PRAGMA synchronous = NORMAL");
            s.execute("PRAGMA busy_timeout = 5000");
            s.execute("PRAGMA foreign_keys = ON");
        }
        Migrations.apply(c);
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")) {
            if (rs.next()) {
                auditSeq = rs.getLong(1);
                auditHead = rs.getString(2);
            } else {
                auditSeq = 0;
                auditHead = AuditEntry.GENESIS;
            }
        }
        try (Statement s = reader.createStatement()) {
            s.execute("PRAGMA busy_timeout = 5000");
        }
        tokenKey = keyAdminTokens(dataDir);
        writer = new Thread(this::writeIssues, "issuer-store-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Opens or creates the store in {@code file}. The file, and the directory when it is created here, are
     * owner-only; SQLite gives its {@code -wal} and {@code -shm} files the database file's permissions.
     */
    public static SqliteIssuerStore open(Path file, Clock clock, SecureRandom random) {
        try {
            Path absolute = file.toAbsolutePath();
            OwnerOnlyFiles.createDirectories(absolute.getParent());
            OwnerOnlyFiles.createOrRestrict(absolute);
            for (String suffix : new String[] {"-wal", "-shm", "-journal"}) {
                Path companion = absolute.resolveSibling(absolute.getFileName() + suffix);
                if (Files.exists(companion)) {
                    OwnerOnlyFiles.createOrRestrict(companion);
                }
            }
            String url = "jdbc:sqlite:" + file.toAbsolutePath();
            Connection writerConnection = DriverManager.getConnection(url);
            Connection readerConnection = DriverManager.getConnection(url);
            try {
                return new SqliteIssuerStore(writerConnection, readerConnection, clock, random, file.toAbsolutePath().getParent());
            } catch (SQLException | RuntimeException e) {
                // a store that refuses to open (a newer schema, a missing admin-token key) leaves no connection behind
                readerConnection.close();
                writerConnection.close();
                throw e;
            }
        } catch (SQLException | java.io.IOException e) {
            throw new IllegalStateException("cannot open the issuer store " + file + ": " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T run() throws SQLException;
    }

    /** Runs {@code work} and the audit append as one transaction. */
    private <T> T tx(Audit audit, Work<T> work) {
        lock.lock();
        long seq = auditSeq;
        String head = auditHead;
        try {
            c.setAutoCommit(false);
            try {
                T result = work.run();
                if (audit != null) {
                    AuditEntry e = appendAudit(seq, head, audit);
                    signHead(e.seq(), e.hash());
                    c.commit();
                    auditSeq = e.seq();
                    auditHead = e.hash();
                } else {
                    c.commit();
                }
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                openLists.clear();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("issuer store: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private AuditEntry appendAudit(long seq, String head, Audit audit) throws SQLException {
        return AuditTables.append(c, AuditEntry.next(seq + 1, clock.instant(), audit.actor(), audit.action(), audit.subject(),
                audit.detailsJson(), head));
    }

    /** Stores a signed head over entry {@code seq}, inside the caller's transaction, once a key is set. */
    private void signHead(long seq, String hash) throws SQLException {
        Supplier<AuditKey> key = auditKey;
        if (key == null) {
            return;
        }
        AuditTables.insertHead(c, SignedHead.sign(seq, hash, clock.instant(), key.get()));
    }

    @Override
    public void signAuditHeadsWith(Supplier<AuditKey> key) {
        java.util.Objects.requireNonNull(key, "key");
        lock.lock();
        try {
            long signed = latestAuditHead().map(h -> h.seq()).orElse(0L);
            if (auditSeq > signed && signed > 0) {
                // a head over this tail would attest to entries nobody signed: a store with signed heads never has
                // an unsigned tail unless it was changed outside the issuer
                throw new IllegalStateException("the audit log's entries " + (signed + 1) + "-" + auditSeq + " are not covered by a "
                        + "signed head, so they were written outside the issuer; run 'tabard audit verify --data DIR' and restore "
                        + "the store from a backup");
            }
            auditKey = key;
            if (auditSeq > signed) {
                // bootstrap entries written before the first key existed, or a store from before signed heads
                c.setAutoCommit(false);
                try {
                    signHead(auditSeq, auditHead);
                    c.commit();
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("issuer store: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Group commit for issuance: one writer thread takes every waiting issuance (up to 256) into one transaction,
     * so the cost of a commit is shared. Each caller is answered only after its transaction committed; if the
     * transaction fails, every issuance in it fails and none of it is stored.
     */
    private void writeIssues() {
        List<PendingIssue> batch = new ArrayList<>();
        // on close, the queue is drained before the thread ends: nothing accepted is dropped
        while (!closed || !issueQueue.isEmpty()) {
            try {
                PendingIssue first = issueQueue.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.clear();
                batch.add(first);
                issueQueue.drainTo(batch, 255);
            } catch (InterruptedException e) {
                if (closed) {
                    continue; // drain what is left
                }
                return;
            }
            List<IssuedCredential> done = new ArrayList<>();
            lock.lock();
            long seq = auditSeq;
            String head = auditHead;
            try {
                c.setAutoCommit(false);
                try {
                    for (PendingIssue p : batch) {
                        done.add(issueInTx(p));
                        AuditEntry e = appendAudit(seq, head, p.audit());
                        seq = e.seq();
                        head = e.hash();
                    }
                    // one signature per batch: the head covers every entry of it
                    signHead(seq, head);
                    c.commit();
                    auditSeq = seq;
                    auditHead = head;
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    openLists.clear();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).result().complete(done.get(i));
                }
            } catch (SQLException | RuntimeException e) {
                for (PendingIssue p : batch) {
                    p.result().completeExceptionally(e);
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private <T> T read(Work<T> work) {
        readLock.lock();
        try {
            return work.run();
        } catch (SQLException e) {
            throw new IllegalStateException("issuer store: " + e.getMessage(), e);
        } finally {
            readLock.unlock();
        }
    }

    @Override
    public Optional<String> meta(String key) {
        return read(() -> {
            try (PreparedStatement ps = reader.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public void putMeta(String key, String value, Audit audit) {
        tx(audit, () -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO meta VALUES (?, ?)")) {
                ps.setString(1, key);
                ps.setString(2, value);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<OrgKey> keys() {
        return read(() -> {
            List<OrgKey> out = new ArrayList<>();
            try (Statement s = reader.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM org_keys ORDER BY created, id")) {
                while (rs.next()) {
                    String retire = rs.getString("retire_after");
                    out.add(new OrgKey(rs.getString("id"), VerificationKey.fromMultibase(rs.getString("public_multibase")),
                            rs.getString("sealed_private"), OrgKey.State.valueOf(rs.getString("state")),
                            Instant.parse(rs.getString("created")), retire == null ? Optional.empty() : Optional.of(Instant.parse(retire))));
                }
            }
            return out;
        });
    }

    @Override
    public void putKey(OrgKey key, Audit audit) {
        tx(audit, () -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO org_keys VALUES (?,?,?,?,?,?)")) {
                ps.setString(1, key.id());
                ps.setString(2, key.publicKey().toMultibase());
                ps.setString(3, key.sealedPrivateKey());
                ps.setString(4, key.state().name());
                ps.setString(5, key.created().toString());
                ps.setString(6, key.retireAfter().map(Instant::toString).orElse(null));
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public void resealKeys(String replacing, String sealing, java.util.Map<String, String> sealedByKeyId, Audit audit) {
        tx(audit, () -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE meta SET value = ? WHERE key = 'sealing' AND value = ?")) {
                ps.setString(1, sealing);
                ps.setString(2, replacing);
                if (ps.executeUpdate() != 1) {
                    throw new IllegalStateException("the stored key sealing parameters are not the ones the keys were opened with;"
                            + " nothing was re-sealed");
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE org_keys SET sealed_private = ? WHERE id = ?")) {
                for (var e : sealedByKeyId.entrySet()) {
                    ps.setString(1, e.getValue());
                    ps.setString(2, e.getKey());
                    if (ps.executeUpdate() != 1) {
                        throw new IllegalStateException("no org key " + e.getKey() + " to re-seal; nothing was re-sealed");
                    }
                }
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM org_keys")) {
                if (rs.next() && rs.getLong(1) != sealedByKeyId.size()) {
                    throw new IllegalStateException("the store holds org keys that were not re-sealed; nothing was re-sealed");
                }
            }
            return null;
        });
    }

    @Override
    public Optional<Agent> agent(Did did) {
        return read(() -> {
            try (PreparedStatement ps = reader.prepareStatement("SELECT * FROM agents WHERE did = ?")) {
                ps.setString(1, did.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(agent(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<Agent> agents(String query, boolean activeOnly, int limit) {
        return read(() -> {
            String like = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            try (PreparedStatement ps = reader.prepareStatement("SELECT * FROM agents WHERE (did LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\')"
                    + (activeOnly ? " AND active = 1" : "") + " ORDER BY created DESC LIMIT ?")) {
                ps.setString(1, like);
                ps.setString(2, like);
                ps.setInt(3, Math.max(1, Math.min(limit, 1000)));
                List<Agent> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(agent(rs));
                    }
                }
                return out;
            }
        });
    }

    private static Agent agent(ResultSet rs) throws SQLException {
        Set<String> caps = new LinkedHashSet<>();
        JsonCodec.parse(rs.getString("capabilities")).forEach(n -> caps.add(n.asText()));
        JsonNode cons = JsonCodec.parse(rs.getString("constraints"));
        Optional<AgentClaims.Money> max = cons.has("maxTransactionValue")
                ? Optional.of(new AgentClaims.Money(cons.get("maxTransactionValue").get("amount").asText(),
                cons.get("maxTransactionValue").get("currency").asText())) : Optional.empty();
        List<String> regions = new ArrayList<>();
        cons.path("dataRegions").forEach(n -> regions.add(n.asText()));
        return new Agent(Did.parse(rs.getString("did")), rs.getString("name"),
                new AgentClaims.Operator(rs.getString("operator_name"), Optional.ofNullable(rs.getString("operator_email"))),
                caps, new AgentClaims.Constraints(max, regions, cons.path("other").isObject() ? cons.get("other").toString() : "{}"),
                new AgentClaims.Delegation(rs.getInt("delegation_allowed") == 1, rs.getInt("delegation_depth")),
                rs.getInt("active") == 1, Instant.parse(rs.getString("created")), Instant.parse(rs.getString("updated")));
    }

    @Override
    public void putAgent(Agent a, Audit audit) {
        tx(audit, () -> {
            ArrayNode caps = JsonCodec.mapper().createArrayNode();
            a.capabilities().stream().sorted().forEach(caps::add);
            var cons = JsonCodec.mapper().createObjectNode();
            a.constraints().maxTransactionValue().ifPresent(m -> cons.putObject("maxTransactionValue")
                    .put("amount", m.amount()).put("currency", m.currency()));
            var regions = cons.putArray("dataRegions");
            a.constraints().dataRegions().forEach(regions::add);
            cons.set("other", JsonCodec.parse(a.constraints().otherJson()));
            try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO agents VALUES (?,?,?,?,?,?,?,?,?,?,?)")) {
                ps.setString(1, a.did().toString());
                ps.setString(2, a.name());
                ps.setString(3, a.operator().name());
                ps.setString(4, a.operator().email().orElse(null));
                ps.setString(5, caps.toString());
                ps.setString(6, cons.toString());
                ps.setInt(7, a.delegation().allowed() ? 1 : 0);
                ps.setInt(8, a.delegation().maxDepth());
                ps.setInt(9, a.active() ? 1 : 0);
                ps.setString(10, a.created().toString());
                ps.setString(11, a.updated().toString());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public IssuedCredential issue(String credentialId, Did agent, Instant issued, Instant validUntil, String keyId, Audit audit) {
        return enqueue(credentialId, agent, issued, validUntil, keyId, audit, Optional.empty());
    }

    @Override
    public IssuedCredential registerDelegation(RegisteredDelegation d, String keyId, Audit audit) {
        return enqueue(d.id(), d.delegate(), d.registered(), d.validUntil(), keyId, audit, Optional.of(d));
    }

    private IssuedCredential enqueue(String credentialId, Did agent, Instant issued, Instant validUntil, String keyId, Audit audit,
                                     Optional<RegisteredDelegation> delegation) {
        var result = new java.util.concurrent.CompletableFuture<IssuedCredential>();
        synchronized (issueQueue) {
            // checked and queued under one lock with close(), so nothing is queued after the writer's last drain
            if (closed) {
                throw new ProblemException(ProblemType.SERVICE_UNAVAILABLE, "the issuer is shutting down");
            }
            issueQueue.add(new PendingIssue(credentialId, agent, issued, validUntil, keyId, audit, delegation, result));
        }
        try {
            return result.get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("issuance did not complete", e);
        }
    }

    private IssuedCredential issueInTx(PendingIssue p) throws SQLException {
        int revList = currentList(StatusPurpose.REVOCATION);
        long revIdx = allocate(revList, p.credentialId());
        int susList = currentList(StatusPurpose.SUSPENSION);
        long susIdx = allocate(susList, p.credentialId());
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO credentials VALUES (?,?,?,?,?,?,?,?,?)")) {
            ps.setString(1, p.credentialId());
            ps.setString(2, p.agent().toString());
            ps.setString(3, p.issued().toString());
            ps.setString(4, p.validUntil().toString());
            ps.setInt(5, revList);
            ps.setLong(6, revIdx);
            ps.setInt(7, susList);
            ps.setLong(8, susIdx);
            ps.setString(9, p.keyId());
            ps.executeUpdate();
        }
        if (p.delegation().isPresent()) {
            insertDelegation(p.delegation().get());
        }
        return new IssuedCredential(p.credentialId(), p.agent(), p.issued(), p.validUntil(), revList, revIdx, susList, susIdx, p.keyId());
    }

    private void insertDelegation(RegisteredDelegation d) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO delegations VALUES (?,?,?,?,?,?,?,?,?,?)")) {
            ps.setString(1, d.id());
            ps.setString(2, d.delegator().toString());
            ps.setString(3, d.delegate().toString());
            ps.setString(4, d.rootCredential());
            ps.setString(5, d.rootAgent().toString());
            ps.setString(6, d.parent());
            ps.setString(7, JsonCodec.writeString(d.capabilities().stream().sorted().toList()));
            ps.setString(8, d.task().orElse(null));
            ps.setString(9, d.validUntil().toString());
            ps.setString(10, d.registered().toString());
            ps.executeUpdate();
        }
    }

    @Override
    public List<RegisteredDelegation> delegations(Did agent, int limit) {
        return read(() -> {
            try (PreparedStatement ps = reader.prepareStatement("SELECT * FROM delegations WHERE delegator = ? OR root_agent = ?"
                    + " ORDER BY registered DESC, id LIMIT ?")) {
                ps.setString(1, agent.toString());
                ps.setString(2, agent.toString());
                ps.setInt(3, Math.max(1, Math.min(limit, 1000)));
                List<RegisteredDelegation> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Set<String> caps = new LinkedHashSet<>();
                        JsonCodec.parse(rs.getString("capabilities")).forEach(n -> caps.add(n.asText()));
                        out.add(new RegisteredDelegation(rs.getString("id"), Did.parse(rs.getString("delegator")),
                                Did.parse(rs.getString("delegate")), rs.getString("root_credential"), Did.parse(rs.getString("root_agent")),
                                rs.getString("parent"), caps, Optional.ofNullable(rs.getString("task")),
                                Instant.parse(rs.getString("valid_until")), Instant.parse(rs.getString("registered"))));
                    }
                }
                return out;
            }
        });
    }

    /** The open list for a purpose, creating one when there is none or the last is full. */
    private int currentList(StatusPurpose purpose) throws SQLException {
        int[] open = openLists.get(purpose);
        if (open != null && open[1] < LIST_LENGTH) {
            return open[0];
        }
        int id = findOrCreateList(purpose);
        try (PreparedStatement ps = c.prepareStatement("SELECT allocated FROM status_lists WHERE id = ?")) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                openLists.put(purpose, new int[] {id, rs.getInt(1)});
            }
        }
        return id;
    }

    private int findOrCreateList(StatusPurpose purpose) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, allocated, length FROM status_lists WHERE purpose = ? ORDER BY id DESC LIMIT 1")) {
            ps.setString(1, purpose.value());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getInt(2) < rs.getInt(3)) {
                    return rs.getInt(1);
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO status_lists (purpose, length, bits, version, allocated) VALUES (?, ?, ?, 1, 0)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, purpose.value());
            ps.setInt(2, LIST_LENGTH);
            ps.setBytes(3, new byte[LIST_LENGTH / 8]);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getInt(1);
            }
        }
    }

    /** A random unused index: the primary key makes a second use impossible, even across a crash. */
    private long allocate(int listId, String credentialId) throws SQLException {
        for (int attempt = 0; attempt < 64; attempt++) {
            long idx = random.nextInt(LIST_LENGTH);
            try (PreparedStatement ps = c.prepareStatement("INSERT OR IGNORE INTO status_allocations VALUES (?, ?, ?)")) {
                ps.setInt(1, listId);
                ps.setLong(2, idx);
                ps.setString(3, credentialId);
                if (ps.executeUpdate() == 1) {
                    try (PreparedStatement up = c.prepareStatement("UPDATE status_lists SET allocated = allocated + 1 WHERE id = ?")) {
                        up.setInt(1, listId);
                        up.executeUpdate();
                    }
                    openLists.values().stream().filter(o -> o[0] == listId).forEach(o -> o[1]++);
                    return idx;
                }
            }
        }
        // nearly full: take the lowest free index
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MIN(a.idx + 1), 0) FROM status_allocations a WHERE a.list_id = ? "
                + "AND NOT EXISTS (SELECT 1 FROM status_allocations b WHERE b.list_id = a.list_id AND b.idx = a.idx + 1)")) {
            ps.setInt(1, listId);
            try (ResultSet rs = ps.executeQuery()) {
                long idx = rs.getLong(1);
                if (idx >= LIST_LENGTH) {
                    throw new IllegalStateException("status list " + listId + " is full");
                }
                try (PreparedStatement ins = c.prepareStatement("INSERT INTO status_allocations VALUES (?, ?, ?)")) {
                    ins.setInt(1, listId);
                    ins.setLong(2, idx);
                    ins.setString(3, credentialId);
                    ins.executeUpdate();
                }
                try (PreparedStatement up = c.prepareStatement("UPDATE status_lists SET allocated = allocated + 1 WHERE id = ?")) {
                    up.setInt(1, listId);
                    up.executeUpdate();
                }
                openLists.values().stream().filter(o -> o[0] == listId).forEach(o -> o[1]++);
                return idx;
            }
        }
    }

    @Override
    public void record(Audit audit) {
        tx(java.util.Objects.requireNonNull(audit, "audit"), () -> null);
    }

    @Override
    public Optional<IssuedCredential> credential(String credentialId) {
        return read(() -> {
            try (PreparedStatement ps = reader.prepareStatement("SELECT * FROM credentials WHERE id = ?")) {
                ps.setString(1, credentialId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new IssuedCredential(rs.getString("id"), Did.parse(rs.getString("agent_did")),
                            Instant.parse(rs.getString("issued")), Instant.parse(rs.getString("valid_until")),
                            rs.getInt("revocation_list"), rs.getLong("revocation_index"), rs.getInt("suspension_list"),
                            rs.getLong("suspension_index"), rs.getString("key_id")));
                }
            }
        });
    }

    @Override
    public void setStatus(String credentialId, StatusPurpose purpose, boolean set, Audit audit) {
        IssuedCredential cred = credential(credentialId).orElseThrow(() -> new ProblemException(ProblemType.RESOURCE_NOT_FOUND,
                "no credential " + credentialId + " was issued here; use the id the issuance answered with"));
        int listId = purpose == StatusPurpose.REVOCATION ? cred.revocationList() : cred.suspensionList();
        long idx = purpose == StatusPurpose.REVOCATION ? cred.revocationIndex() : cred.suspensionIndex();
        tx(audit, () -> {
            byte[] bits;
            try (PreparedStatement ps = c.prepareStatement("SELECT bits FROM status_lists WHERE id = ?")) {
                ps.setInt(1, listId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    bits = rs.getBytes(1);
                }
            }
            int mask = 1 << (7 - (int) (idx & 7));
            int at = (int) (idx >>> 3);
            bits[at] = (byte) (set ? bits[at] | mask : bits[at] & ~mask);
            try (PreparedStatement ps = c.prepareStatement("UPDATE status_lists SET bits = ?, version = version + 1 WHERE id = ?")) {
                ps.setBytes(1, bits);
                ps.setInt(2, listId);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<StatusListRecord> statusList(int id) {
        return read(() -> {
            try (PreparedStatement ps = reader.prepareStatement("SELECT * FROM status_lists WHERE id = ?")) {
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
        });
    }

    @Override
    public List<AuditEntry> audit(long afterSeq, int limit) {
        return read(() -> AuditTables.entries(reader, afterSeq, limit));
    }

    @Override
    public List<StoredHead> auditHeads(long afterSeq, int limit) {
        return read(() -> AuditTables.heads(reader, afterSeq, limit));
    }

    @Override
    public Optional<StoredHead> latestAuditHead() {
        return read(() -> AuditTables.latestHead(reader));
    }

    @Override
    public void putAdminToken(String name, String tokenHashHex, String role, Audit audit) {
        tx(audit, () -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO admin_tokens VALUES (?, ?, ?)")) {
                ps.setString(1, name);
                ps.setString(2, tokenKey.keyed(tokenHashHex));
                ps.setString(3, role);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<AdminToken> adminToken(String tokenHashHex) {
        List<String[]> all = read(() -> {
            List<String[]> out = new ArrayList<>();
            try (Statement s = reader.createStatement();
                 ResultSet rs = s.executeQuery("SELECT token_hash, name, role FROM admin_tokens")) {
                while (rs.next()) {
                    out.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
            return out;
        });
        byte[] wanted = tokenKey.keyed(tokenHashHex).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        AdminToken found = null;
        for (String[] t : all) {
            // every stored hash is compared, in constant time, so timing tells nothing about which one matched
            if (MessageDigest.isEqual(wanted, t[0].getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
                found = new AdminToken(t[1], t[2]);
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * Reads (or makes) the admin-token key in {@code dataDir} and re-keys, in one transaction, the bare SHA-256 hashes
     * that stores made before the key hold: a keyed hash is HMAC(key, SHA-256), so this needs no token and every
     * existing token keeps working. Runs on open, before any lookup.
     */
    private AdminTokenKey keyAdminTokens(java.nio.file.Path dataDir) throws SQLException {
        List<String> bare = new ArrayList<>();
        boolean anyKeyed = false;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT token_hash FROM admin_tokens")) {
            while (rs.next()) {
                if (AdminTokenKey.isKeyed(rs.getString(1))) {
                    anyKeyed = true;
                } else {
                    bare.add(rs.getString(1));
                }
            }
        }
        AdminTokenKey key = AdminTokenKey.openOrCreate(dataDir, random, anyKeyed);
        if (!bare.isEmpty()) {
            tx(null, () -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE admin_tokens SET token_hash = ? WHERE token_hash = ?")) {
                    for (String hash : bare) {
                        ps.setString(1, key.keyed(hash));
                        ps.setString(2, hash);
                        ps.executeUpdate();
                    }
                }
                return bare.size();
            });
        }
        return key;
    }

    private final java.util.Map<String, OneUseValues> oneUse = new java.util.concurrent.ConcurrentHashMap<>();
    private final ReentrantLock bootstrapLock = new ReentrantLock();

    @Override
    public OneUseValues oneUse(OneUseValues.Kind kind) {
        return oneUse.computeIfAbsent(kind.name(), n -> new MemoryOneUseValues(kind, clock));
    }

    @Override
    public <T> T bootstrapping(Supplier<T> work) {
        bootstrapLock.lock();
        try {
            return work.get();
        } finally {
            bootstrapLock.unlock();
        }
    }

    @Override
    public void close() {
        synchronized (issueQueue) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            writer.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lock.lock();
        try {
            reader.close();
            c.close();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } finally {
            lock.unlock();
        }
    }
}
