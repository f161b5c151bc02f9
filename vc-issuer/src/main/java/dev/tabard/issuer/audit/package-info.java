/**
 * The issuer's audit log: a hash chain of entries, one per state change, with the org key's signature over the
 * chain's head written in the same transaction as each change ({@link dev.tabard.issuer.audit.SignedHead}).
 *
 * <p>{@link dev.tabard.issuer.audit.AuditLog#verify} reports the first entry that was edited, reordered, deleted,
 * truncated or is not covered by a valid signature. Deleting the newest entries together with their heads leaves a
 * log that is consistent in itself; an {@link dev.tabard.issuer.audit.AuditCheckpoint} exported earlier and kept
 * outside the data directory shows that too.
 *
 * <p>The issuer also keeps its newest signed head in the data directory, outside {@code issuer.db}
 * ({@link dev.tabard.issuer.audit.AuditAnchor}, kept current by {@link dev.tabard.issuer.audit.AuditAnchorWriter}):
 * someone who can write the database but not the directory can no longer delete the heads and re-compute the chain,
 * or cut the newest entries, without the issuer refusing to start and {@code tabard audit verify} reporting it.
 *
 * <pre>{@code
 * AuditVerdict v = AuditLog.verify(store, Optional.of(AuditCheckpoint.parse(Files.readAllBytes(saved))),
 *         AuditAnchor.read(dataDir));
 * if (!v.intact()) {
 *     System.err.println(v.message());   // BROKEN: entry 40 edited: its content no longer gives its stored hash
 * }
 * }</pre>
 */
package dev.tabard.issuer.audit;
