-- The org key's signature over the audit chain's end, one per audited transaction (AuditLog, SignedHead).
-- IF NOT EXISTS: a store whose user_version was set back re-runs this step over what it still has.
CREATE TABLE IF NOT EXISTS audit_heads (seq INTEGER PRIMARY KEY, jws TEXT NOT NULL);
PRAGMA user_version = 2;
