/**
 * The issuer's side of its audit log: the chain's format and its check live in {@code dev.tabard.audit}; the
 * issuer's store appends an entry per state change and writes the org key's signature over the chain's head in the
 * same transaction.
 *
 * <p>The issuer also keeps its newest signed head in the data directory, outside {@code issuer.db}
 * ({@link dev.tabard.issuer.audit.AuditAnchor}, kept current by {@link dev.tabard.issuer.audit.AuditAnchorWriter}):
 * someone who can write the database but not the directory can no longer delete the heads and re-compute the chain,
 * or cut the newest entries, without the issuer refusing to start and {@code tabard audit verify} reporting it.
 *
 * <pre>{@code
 * AuditVerdict v = AuditLog.verify(store, Optional.of(AuditCheckpoint.parse(Files.readAllBytes(saved))),
 *         AuditAnchor.read(dataDir).map(AuditAnchor::named));
 * if (!v.intact()) {
 *     System.err.println(v.message());   // BROKEN: entry 40 edited: its content no longer gives its stored hash
 * }
 * }</pre>
 */
package dev.tabard.issuer.audit;
