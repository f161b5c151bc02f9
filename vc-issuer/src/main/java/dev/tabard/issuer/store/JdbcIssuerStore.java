package dev.tabard.issuer.store;

import dev.tabard.audit.AuditEntry;
import dev.tabard.audit.AuditKey;
import dev.tabard.did.Did;
import dev.tabard.issuer.agents.Agent;
import dev.tabard.issuer.delegations.RegisteredDelegation;
import dev.tabard.issuer.keys.OrgKey;
import dev.tabard.issuer.status.StatusListRecord;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.status.StatusPurpose;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * {@link IssuerStore} over JDBC, the same SQL on every engine; the engine's {@link Database} says where connections
 * come from and how the cross-instance locks are held. Every audited change is one transaction holding
 * {@link Database#CHAIN_LOCK} that also appends its audit entry and a signed head; issuances go through the
 * {@link IssueWriter}'s group commit.
 */
abstract class JdbcIssuerStore implements IssuerStore {

    private final Database db;
    private final SecureRandom random;
    private final AuditChain chain;
    private final AdminTokenTable adminTokens;
    private final IssueWriter writer;
    private final Clock clock;
    private final Map<String, OneUseValues> oneUse = new ConcurrentHashMap<>();

    /** @param shared whether several processes open this database (the admin-token key's check is then strict) */
    JdbcIssuerStore(Database db, Path dataDir, boolean shared, Clock clock, SecureRandom random) {
        this.db = db;
        this.clock = clock;
        this.random = random;
        this.chain = new AuditChain(clock);
        this.adminTokens = AdminTokenTable.open(db, dataDir, random, shared);
        this.writer = new IssueWriter(this::commitIssues);
    }

    /** Runs {@code work} and, unless {@code audit} is null, the audit append, as one transaction. */
    private <T> T tx(Audit audit, Database.Sql<T> work) {
        return db.write(Database.CHAIN_LOCK, c -> {
            T result = work.run(c);
            if (audit != null) {
                chain.appendOne(c, audit);
            }
            return result;
        });
    }

    /** One group commit: allocations, credentials and audit entries each in batched statements, one signed head. */
    private List<IssuedCredential> commitIssues(List<IssueWriter.Pending> batch) {
        List<String> ids = batch.stream().map(IssueWriter.Pending::credentialId).toList();
        return db.write(Database.CHAIN_LOCK, c -> {
            AuditChain.Cursor cursor = chain.open(c);
            List<StatusTables.Entry> rev = StatusTables.allocate(c, random, StatusPurpose.REVOCATION, ids);
            List<StatusTables.Entry> sus = StatusTables.allocate(c, random, StatusPurpose.SUSPENSION, ids);
            List<IssuedCredential> done = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                IssueWriter.Pending p = batch.get(i);
                done.add(new IssuedCredential(p.credentialId(), p.agent(), p.issued(), p.validUntil(), rev.get(i).list(),
                        rev.get(i).index(), sus.get(i).list(), sus.get(i).index(), p.keyId(), p.format()));
            }
            Rows.insertCredentials(c, done);
            for (IssueWriter.Pending p : batch) {
                if (p.delegation().isPresent()) {
                    Rows.insertDelegation(c, p.delegation().get()); // after its credential row, which it references
                }
            }
            cursor.appendAll(batch.stream().map(IssueWriter.Pending::audit).toList());
            cursor.sign(); // one signature per batch: the head covers every entry of it
            return done;
        });
    }

    @Override
    public void signAuditHeadsWith(Supplier<AuditKey> key) {
        db.write(Database.CHAIN_LOCK, c -> {
            chain.signWith(c, key);
            return null;
        });
    }

    @Override
    public Optional<String> meta(String key) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    @Override
    public void putMeta(String key, String value, Audit audit) {
        tx(audit, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
                ps.setString(1, key);
                ps.setString(2, value);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<OrgKey> keys() {
        return db.read(c -> {
            List<OrgKey> out = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM org_keys ORDER BY created, id")) {
                while (rs.next()) {
                    out.add(Rows.orgKey(rs));
                }
            }
            return out;
        });
    }

    @Override
    public void putKey(OrgKey key, Audit audit) {
        tx(audit, c -> {
            Rows.putOrgKey(c, key);
            return null;
        });
    }

    @Override
    public void resealKeys(String replacing, String sealing, Map<String, String> sealedByKeyId, Audit audit) {
        tx(audit, c -> {
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
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM agents WHERE did = ?")) {
                ps.setString(1, did.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(Rows.agent(rs)) : Optional.<Agent>empty();
                }
            }
        });
    }

    @Override
    public List<Agent> agents(String query, boolean activeOnly, int limit) {
        String like = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM agents WHERE (did LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\')"
                    + (activeOnly ? " AND active = 1" : "") + " ORDER BY created DESC LIMIT ?")) {
                ps.setString(1, like);
                ps.setString(2, like);
                ps.setInt(3, Math.max(1, Math.min(limit, 1000)));
                List<Agent> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(Rows.agent(rs));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public void putAgent(Agent agent, Audit audit) {
        tx(audit, c -> {
            Rows.putAgent(c, agent);
            return null;
        });
    }

    @Override
    public IssuedCredential issue(String credentialId, Did agent, Instant issued, Instant validUntil, String keyId, String format,
                                  Audit audit) {
        return writer.submit(new IssueWriter.Pending(credentialId, agent, issued, validUntil, keyId, format, audit, Optional.empty()));
    }

    @Override
    public IssuedCredential registerDelegation(RegisteredDelegation d, String keyId, Audit audit) {
        return writer.submit(new IssueWriter.Pending(d.id(), d.delegate(), d.registered(), d.validUntil(), keyId,
                IssuedCredential.W3C, audit, Optional.of(d)));
    }

    @Override
    public List<IssuedCredential> credentialsOnRevocationList(int list, String format) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM credentials WHERE revocation_list = ? AND format = ?")) {
                ps.setInt(1, list);
                ps.setString(2, format);
                List<IssuedCredential> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(Rows.credential(rs));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public List<RegisteredDelegation> delegations(Did agent, int limit) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM delegations WHERE delegator = ? OR root_agent = ?"
                    + " ORDER BY registered DESC, id LIMIT ?")) {
                ps.setString(1, agent.toString());
                ps.setString(2, agent.toString());
                ps.setInt(3, Math.max(1, Math.min(limit, 1000)));
                List<RegisteredDelegation> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(Rows.delegation(rs));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public void record(Audit audit) {
        tx(Objects.requireNonNull(audit, "audit"), c -> null);
    }

    @Override
    public Optional<IssuedCredential> credential(String credentialId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM credentials WHERE id = ?")) {
                ps.setString(1, credentialId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(Rows.credential(rs)) : Optional.<IssuedCredential>empty();
                }
            }
        });
    }

    @Override
    public List<IssuedCredential> credentials(Did agent, int limit) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM credentials WHERE agent_did = ?"
                    + " AND id NOT IN (SELECT id FROM delegations) ORDER BY issued DESC, id LIMIT ?")) {
                ps.setString(1, agent.toString());
                ps.setInt(2, Math.max(1, Math.min(limit, 1000)));
                List<IssuedCredential> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(Rows.credential(rs));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public void setStatus(String credentialId, StatusPurpose purpose, boolean set, Audit audit) {
        IssuedCredential cred = credential(credentialId).orElseThrow(() -> new ProblemException(ProblemType.RESOURCE_NOT_FOUND,
                "no credential " + credentialId + " was issued here; use the id the issuance answered with"));
        boolean revocation = purpose == StatusPurpose.REVOCATION;
        tx(audit, c -> {
            StatusTables.setBit(c, revocation ? cred.revocationList() : cred.suspensionList(),
                    revocation ? cred.revocationIndex() : cred.suspensionIndex(), set);
            return null;
        });
    }

    @Override
    public Optional<StatusListRecord> statusList(int id) {
        return db.read(c -> StatusTables.read(c, id));
    }

    @Override
    public List<AuditEntry> audit(long afterSeq, int limit) {
        return db.read(c -> AuditTables.entries(c, afterSeq, limit));
    }

    @Override
    public List<StoredHead> auditHeads(long afterSeq, int limit) {
        return db.read(c -> AuditTables.heads(c, afterSeq, limit));
    }

    @Override
    public Optional<StoredHead> latestAuditHead() {
        return db.read(AuditTables::latestHead);
    }

    @Override
    public void putAdminToken(String name, String tokenHashHex, String role, Audit audit) {
        tx(audit, c -> {
            adminTokens.put(c, name, tokenHashHex, role);
            return null;
        });
    }

    @Override
    public Optional<AdminToken> adminToken(String tokenHashHex) {
        return adminTokens.find(db, tokenHashHex);
    }

    @Override
    public OneUseValues oneUse(OneUseValues.Kind kind) {
        return oneUse.computeIfAbsent(kind.name(), n -> new SqlOneUseValues(kind, db, clock));
    }

    @Override
    public <T> T bootstrapping(Supplier<T> work) {
        return db.exclusively(work);
    }

    /** Commits every queued issuance, refuses later ones, then closes the connections. */
    @Override
    public void close() {
        writer.close();
        db.close();
    }
}
