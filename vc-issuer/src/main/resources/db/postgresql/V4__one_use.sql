-- Single-use values shared by every issuer instance. key_hash is the SHA-256 of the key, so reading the database
-- gives no live code or token; expires is in epoch milliseconds.
CREATE TABLE one_use (kind TEXT NOT NULL, key_hash TEXT NOT NULL, owner TEXT NOT NULL, value TEXT NOT NULL,
    expires BIGINT NOT NULL, PRIMARY KEY (kind, key_hash));
CREATE INDEX one_use_owner ON one_use (kind, owner, expires);
CREATE INDEX one_use_expires ON one_use (kind, expires);
