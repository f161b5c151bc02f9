-- SD-JWT VC: the constraint names an agent's organization keeps selectively disclosable (a JSON array of names), and
-- each credential's format ('w3c' for every credential issued before, 'dc+sd-jwt' for an SD-JWT VC).
ALTER TABLE agents ADD COLUMN private_constraints TEXT NOT NULL DEFAULT '[]';
ALTER TABLE credentials ADD COLUMN format TEXT NOT NULL DEFAULT 'w3c';
CREATE INDEX IF NOT EXISTS credentials_revocation ON credentials (revocation_list, format);
PRAGMA user_version = 5;
