package dev.tabard.issuer.store;

import dev.tabard.audit.AuditKey;
import dev.tabard.audit.AuditTrail;
import dev.tabard.audit.TrailKey;
import dev.tabard.did.Did;
import dev.tabard.issuer.agents.Agent;
import dev.tabard.issuer.delegations.RegisteredDelegation;
import dev.tabard.issuer.keys.OrgKey;
import dev.tabard.issuer.status.StatusListRecord;
import dev.tabard.vc.status.StatusPurpose;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The issuer's state. Every method that changes state is one transaction that also appends its audit entry,
 * so a crash leaves either all of a change or none of it. Implementations are thread-safe.
 */
public interface IssuerStore extends AuditTrail, AutoCloseable {

    /**
     * The one way a process opens the issuer's store: the PostgreSQL database several instances may share when
     * {@code database} names one, else SQLite in {@code dataDir}. The server and the CLI's offline commands both come here.
     */
    static IssuerStore open(java.nio.file.Path dataDir, java.util.Optional<DatabaseSettings> database, java.time.Clock clock) {
        return database.isPresent()
                ? PostgresIssuerStore.open(database.get(), dataDir, clock, new java.security.SecureRandom())
                : SqliteIssuerStore.open(dataDir.resolve(SqliteIssuerStore.FILE_NAME), clock, new java.security.SecureRandom());
    }

    /** What an audited change records, besides what the store fills in (sequence, time, hashes). */
    record Audit(String actor, String action, String subject, String detailsJson) {
    }

    Optional<String> meta(String key);

    void putMeta(String key, String value, Audit audit);

    List<OrgKey> keys();

    /** Every org key, retired ones included, as the audit check reads them. */
    @Override
    default List<TrailKey> auditKeys() {
        return keys().stream().map(k -> new TrailKey(k.id(), k.publicKey())).toList();
    }

    @Override
    default String unsignedCause() {
        return "written outside the issuer, or their heads were deleted (a store from before signed heads gets its first one"
                + " when the issuer next starts)";
    }

    void putKey(OrgKey key, Audit audit);

    /**
     * Replaces the key sealing parameters (meta {@code sealing}) and the sealed private key of every org key in one
     * transaction with one audit entry, so that a crash leaves either the old parameters with the old sealed keys or the
     * new with the new: never a key sealed under parameters that are not stored.
     *
     * @param replacing the parameters every key is sealed under now
     * @param sealing the parameters the keys in {@code sealedByKeyId} are sealed under
     * @param sealedByKeyId the re-sealed private key of every stored org key, by key id
     * @throws IllegalStateException when the stored parameters are not {@code replacing}, or the ids are not exactly
     *     those of the stored keys; nothing is changed then
     */
    void resealKeys(String replacing, String sealing, java.util.Map<String, String> sealedByKeyId, Audit audit);

    Optional<Agent> agent(Did did);

    /** Agents whose DID or name contains {@code query} (all when empty), newest first. */
    List<Agent> agents(String query, boolean activeOnly, int limit);

    void putAgent(Agent agent, Audit audit);

    /**
     * Records a credential and gives it a revocation and a suspension entry at random unused indexes, opening a new
     * list when the current one is full. Never hands out an index twice.
     */
    default IssuedCredential issue(String credentialId, Did agent, Instant issued, Instant validUntil, String keyId, Audit audit) {
        return issue(credentialId, agent, issued, validUntil, keyId, IssuedCredential.W3C, audit);
    }

    /** As {@link #issue(String, Did, Instant, Instant, String, Audit)}, for a credential in {@code format}. */
    IssuedCredential issue(String credentialId, Did agent, Instant issued, Instant validUntil, String keyId, String format, Audit audit);

    /**
     * The credentials of {@code format} whose revocation entry is on list {@code list}: for an SD-JWT VC, its Token
     * Status List entry is that revocation entry, and its suspension entry decides whether the entry reads SUSPENDED.
     */
    List<IssuedCredential> credentialsOnRevocationList(int list, String format);

    Optional<IssuedCredential> credential(String credentialId);

    /** The AgentCredentials issued to {@code agent} (registered delegation links left out), newest first. */
    List<IssuedCredential> credentials(Did agent, int limit);

    /**
     * Records a delegation link an agent registered, with a revocation and a suspension entry as {@link #issue} gives a
     * credential, in the same transaction.
     *
     * @param keyId the delegator's verification method that proved the registration
     */
    IssuedCredential registerDelegation(RegisteredDelegation delegation, String keyId, Audit audit);

    /** The registered links {@code agent} gave, or that derive from its AgentCredentials, newest first. */
    List<RegisteredDelegation> delegations(Did agent, int limit);

    /** Appends one audit entry for an event that changes nothing else here, such as a credential signed without status. */
    void record(Audit audit);

    /** Sets or clears one status bit of a credential. */
    void setStatus(String credentialId, StatusPurpose purpose, boolean set, Audit audit);

    Optional<StatusListRecord> statusList(int id);

    /**
     * From now on every transaction that appends audit entries also stores a head signed by the key {@code key}
     * gives at that moment (the active org key, which rotation may change), and fails if it cannot be signed. Entries
     * written before (bootstrap, or a store from an older version) are covered at once by a head over the current end
     * of the chain. A store that already has signed heads never gets a head over entries after its newest one:
     * those were written outside the issuer, and signing them would make them look genuine.
     *
     * @throws IllegalStateException when the store has signed heads and entries after the newest of them
     */
    void signAuditHeadsWith(Supplier<AuditKey> key);

    /** An admin token's name and role, as the admin API checks and audits them. */
    record AdminToken(String name, String role) {
        public AdminToken {
            java.util.Objects.requireNonNull(name, "name");
            java.util.Objects.requireNonNull(role, "role");
        }
    }

    /**
     * Stores an admin token under {@code name} with its role. The token itself is never stored, nor its bare hash:
     * {@code tokenHashHex} (its SHA-256) is keyed with a per-installation secret kept outside the database (HMAC-SHA-256),
     * so the database alone allows no offline guessing.
     */
    void putAdminToken(String name, String tokenHashHex, String role, Audit audit);

    /** The token whose SHA-256 is {@code tokenHashHex}, compared in constant time against every stored token. */
    Optional<AdminToken> adminToken(String tokenHashHex);

    /**
     * The single-use values of {@code kind}, shared by every issuer instance on this store. Asking twice for one kind
     * name gives the same values.
     */
    OneUseValues oneUse(OneUseValues.Kind kind);

    /**
     * Runs {@code work} (the first start's creation of keys, DID and admin token) while no other instance on this
     * store runs its own, so two instances started at once on an empty store make one organization, not two.
     */
    <T> T bootstrapping(Supplier<T> work);

    @Override
    void close();
}
