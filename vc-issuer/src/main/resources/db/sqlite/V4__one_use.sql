-- Single-use values (OpenID4VCI offers, access tokens, nonces). key_hash is the SHA-256 of the key, so reading the
-- file gives no live code or token; expires is in epoch milliseconds.
CREATE TABLE IF NOT EXISTS one_use (kind TEXT NOT NULL, key_hash TEXT NOT NULL, owner TEXT NOT NULL, value TEXT NOT NULL,
    expires INTEGER NOT NULL, PRIMARY KEY (kind, key_hash));
CREATE INDEX IF NOT EXISTS one_use_owner ON one_use (kind, owner, expires);
CREATE INDEX IF NOT EXISTS one_use_expires ON one_use (kind, expires);
PRAGMA user_version = 4;
