/**
 * The issuer's state behind one interface, {@link dev.tabard.issuer.store.IssuerStore}, on SQLite (one process, the
 * default) or PostgreSQL (several issuer instances on one database). Both engines run the same SQL: every audited
 * change is one transaction that reads the audit chain's end under a lock all instances honour, appends its entry and
 * stores a signed head; issuances are committed in groups; status indexes are taken by inserting them under a primary
 * key; single-use values are rows keyed by the SHA-256 of their key. Flyway migrates the schema from
 * {@code db/sqlite} and {@code db/postgresql}.
 *
 * <pre>{@code
 * try (IssuerStore store = PostgresIssuerStore.open(
 *         new DatabaseSettings("jdbc:postgresql://db:5432/issuer", "issuer", password), dataDir, clock, random)) {
 *     IssuedCredential c = store.issue(id, agentDid, now, now.plusSeconds(3600), keyId, audit);
 * }
 * }</pre>
 */
package dev.tabard.issuer.store;
