-- The org key's signature over the audit chain's end, one per audited transaction (AuditLog, SignedHead).
CREATE TABLE audit_heads (seq BIGINT PRIMARY KEY, jws TEXT NOT NULL);
