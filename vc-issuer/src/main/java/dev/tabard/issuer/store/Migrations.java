package dev.tabard.issuer.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** The schema, versioned with SQLite's {@code user_version}; each step runs in its own transaction. */
final class Migrations {

    private static final List<String> STEPS = List.of(
            """
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE org_keys (id TEXT PRIMARY KEY, public_multibase TEXT NOT NULL, sealed_private TEXT NOT NULL,
                state TEXT NOT NULL, created TEXT NOT NULL, retire_after TEXT);
            CREATE TABLE agents (did TEXT PRIMARY KEY, name TEXT NOT NULL, operator_name TEXT NOT NULL, operator_email TEXT,
                capabilities TEXT NOT NULL, constraints TEXT NOT NULL, delegation_allowed INTEGER NOT NULL,
                delegation_depth INTEGER NOT NULL, active INTEGER NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL);
            CREATE TABLE status_lists (id INTEGER PRIMARY KEY, purpose TEXT NOT NULL, length INTEGER NOT NULL,
                bits BLOB NOT NULL, version INTEGER NOT NULL, allocated INTEGER NOT NULL);
            CREATE TABLE status_allocations (list_id INTEGER NOT NULL, idx INTEGER NOT NULL, credential_id TEXT NOT NULL,
                PRIMARY KEY (list_id, idx));
            CREATE TABLE credentials (id TEXT PRIMARY KEY, agent_did TEXT NOT NULL, issued TEXT NOT NULL, valid_until TEXT NOT NULL,
                revocation_list INTEGER NOT NULL, revocation_index INTEGER NOT NULL, suspension_list INTEGER NOT NULL,
                suspension_index INTEGER NOT NULL, key_id TEXT NOT NULL);
            CREATE INDEX credentials_agent ON credentials (agent_did);
            CREATE TABLE audit (seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
                subject TEXT NOT NULL, details TEXT NOT NULL, previous_hash TEXT NOT NULL, hash TEXT NOT NULL);
            CREATE TABLE admin_tokens (name TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, role TEXT NOT NULL);
            """,
            // the org key's signature over the audit chain's end, one per audited transaction (AuditLog, SignedHead)
            """
            CREATE TABLE audit_heads (seq INTEGER PRIMARY KEY, jws TEXT NOT NULL);
            """,
            // delegation links agents registered; their status entries are in credentials, under the same id
            """
            CREATE TABLE delegations (id TEXT PRIMARY KEY REFERENCES credentials (id), delegator TEXT NOT NULL,
                delegate TEXT NOT NULL, root_credential TEXT NOT NULL, root_agent TEXT NOT NULL, parent TEXT NOT NULL,
                capabilities TEXT NOT NULL, task TEXT, valid_until TEXT NOT NULL, registered TEXT NOT NULL);
            CREATE INDEX delegations_delegator ON delegations (delegator);
            CREATE INDEX delegations_root_agent ON delegations (root_agent);
            """);

    private Migrations() {
    }

    static void apply(Connection c) throws SQLException {
        int version;
        try (Statement s = c.createStatement(); var rs = s.executeQuery("PRAGMA user_version")) {
            version = rs.getInt(1);
        }
        if (version > STEPS.size()) {
            throw new IllegalStateException("the store was written by a newer version (schema " + version + ")");
        }
        for (int v = version; v < STEPS.size(); v++) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (String sql : STEPS.get(v).split(";")) {
                    if (!sql.isBlank()) {
                        s.executeUpdate(sql);
                    }
                }
                s.executeUpdate("PRAGMA user_version = " + (v + 1));
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }
}
