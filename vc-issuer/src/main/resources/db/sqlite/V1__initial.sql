-- The first schema, as stores before Flyway were made (their PRAGMA user_version 1).
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
-- user_version stays the schema version, so a release from before Flyway refuses a store from after it
PRAGMA user_version = 1;
