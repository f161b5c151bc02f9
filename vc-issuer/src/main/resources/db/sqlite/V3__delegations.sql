-- Delegation links agents registered; their status entries are in credentials, under the same id.
CREATE TABLE IF NOT EXISTS delegations (id TEXT PRIMARY KEY REFERENCES credentials (id), delegator TEXT NOT NULL,
    delegate TEXT NOT NULL, root_credential TEXT NOT NULL, root_agent TEXT NOT NULL, parent TEXT NOT NULL,
    capabilities TEXT NOT NULL, task TEXT, valid_until TEXT NOT NULL, registered TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS delegations_delegator ON delegations (delegator);
CREATE INDEX IF NOT EXISTS delegations_root_agent ON delegations (root_agent);
PRAGMA user_version = 3;
