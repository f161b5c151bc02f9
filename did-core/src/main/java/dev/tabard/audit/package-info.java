/**
 * Tabard's audit chain: entries hash-chained with RFC 8785 canonical JSON ({@link dev.tabard.audit.AuditEntry}), heads
 * signed by a key ({@link dev.tabard.audit.SignedHead}), and one check for any log in this format
 * ({@link dev.tabard.audit.AuditLog#verify}), which reports the first entry that was edited, reordered, deleted,
 * truncated or is not covered by a valid signature. A log is read through {@link dev.tabard.audit.AuditTrail}: the
 * issuer's SQLite store is one, {@link dev.tabard.audit.AuditFile} (an append-only JSON Lines file, for writers
 * without a database) another. Deleting the newest entries together with their heads leaves a log consistent in
 * itself; an {@link dev.tabard.audit.AuditCheckpoint} exported earlier and kept apart shows that too.
 *
 * <pre>{@code
 * try (AuditFile log = AuditFile.open(Path.of("decisions.jsonl"), new AuditKey(keyId, signer), clock, HeadPolicy.DEFAULT)) {
 *     log.append("did:key:z6Mk…", "call.accept", "POST /orders", "{\"status\":200}");
 * }
 * AuditVerdict v = AuditLog.verify(AuditFile.read(Path.of("decisions.jsonl")), Optional.empty());
 * System.out.println(v.message());   // intact: 1 entries, signed head at seq 1
 * }</pre>
 */
package dev.tabard.audit;
