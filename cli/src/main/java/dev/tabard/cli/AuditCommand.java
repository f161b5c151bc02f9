package dev.tabard.cli;

import dev.tabard.audit.AuditCheckpoint;
import dev.tabard.audit.AuditLog;
import dev.tabard.audit.AuditVerdict;
import dev.tabard.audit.SignedHead;
import dev.tabard.codec.JsonCodec;
import dev.tabard.issuer.audit.AuditAnchor;
import dev.tabard.issuer.store.SqliteIssuerStore;
import dev.tabard.problem.ProblemException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tabard audit}: check the issuer's signed audit chain, and export its signed head as a checkpoint to keep
 * outside the data directory. Both check the log against the issuer's {@link AuditAnchor} when the data directory
 * has one. Exit codes: 0 intact, 1 broken (or nothing signed to export), 2 a missing store or an unreadable
 * checkpoint or anchor.
 */
@Command(name = "audit", description = "The issuer's audit log.", subcommands = {AuditCommand.Verify.class, AuditCommand.Checkpoint.class})
final class AuditCommand {

    @Command(name = "verify", mixinStandardHelpOptions = true, description = {
        "Check the issuer's audit chain: every entry's hash, its order, and the org key's signatures over the chain's heads.",
        "Always against the issuer's audit anchor (" + AuditAnchor.FILE + " in the data directory, its newest signed head, "
            + "kept current within a second): a log that lost its signed heads or the anchored entry was altered or truncated.",
        "With --checkpoint, also that the log still holds, unchanged, everything up to the exported head.",
        "Exit 0 when intact, 1 when an entry was edited, reordered, deleted or truncated, or a signature is invalid, "
            + "2 for a missing store, or an unreadable checkpoint or anchor."})
    static final class Verify implements Callable<Integer> {
        @Option(names = "--data", required = true, description = "The issuer's data directory.")
        Path data;

        @Option(names = "--checkpoint", description = "A head exported earlier with 'tabard audit checkpoint'.")
        Path checkpointFile;

        @Override
        public Integer call() {
            Optional<AuditCheckpoint> checkpoint = Optional.empty();
            if (checkpointFile != null) {
                try {
                    checkpoint = Optional.of(readCheckpoint(checkpointFile));
                } catch (IllegalArgumentException e) {
                    System.err.println("error: " + e.getMessage());
                    return 2;
                }
            }
            Optional<Path> db = store(data);
            if (db.isEmpty()) {
                return 2;
            }
            Optional<AuditCheckpoint> anchor;
            try {
                anchor = AuditAnchor.read(data);
            } catch (IllegalArgumentException e) {
                System.err.println("error: " + e.getMessage());
                return 2;
            }
            try (SqliteIssuerStore store = SqliteIssuerStore.open(db.get(), Clock.systemUTC(), new SecureRandom())) {
                AuditVerdict verdict = AuditLog.verify(store, checkpoint, anchor.map(AuditAnchor::named));
                System.out.println(verdict.message());
                return verdict.intact() ? 0 : 1;
            }
        }
    }

    @Command(name = "checkpoint", mixinStandardHelpOptions = true, description = {
        "Print the audit chain's newest signed head as JSON (seq, hash, time, keyId, publicKeyMultibase, jws), after "
            + "checking the whole chain. Save it outside the data directory; 'tabard audit verify --checkpoint FILE' then "
            + "shows any later change to, or removal of, the entries it covers.",
        "Exit 0 with the head on standard output, 1 when the chain is broken or nothing is signed yet, 2 for a missing store."})
    static final class Checkpoint implements Callable<Integer> {
        @Option(names = "--data", required = true, description = "The issuer's data directory.")
        Path data;

        @Override
        public Integer call() {
            Optional<Path> db = store(data);
            if (db.isEmpty()) {
                return 2;
            }
            Optional<AuditCheckpoint> anchor;
            try {
                anchor = AuditAnchor.read(data);
            } catch (IllegalArgumentException e) {
                System.err.println("error: " + e.getMessage());
                return 2;
            }
            try (SqliteIssuerStore store = SqliteIssuerStore.open(db.get(), Clock.systemUTC(), new SecureRandom())) {
                // the head is read before the chain is checked, so the check covers it
                Optional<SignedHead> head = store.latestAuditHead().map(h -> SignedHead.parse(h.jws()));
                AuditVerdict verdict = AuditLog.verify(store, Optional.empty(), anchor.map(AuditAnchor::named));
                if (!verdict.intact()) {
                    System.err.println("no checkpoint: the chain is broken. " + verdict.message());
                    return 1;
                }
                if (head.isEmpty()) {
                    System.err.println("no checkpoint: nothing is signed yet; start the issuer once so it signs the chain's head");
                    return 1;
                }
                var key = store.keys().stream().filter(k -> k.id().equals(head.get().keyId())).findFirst().orElseThrow();
                System.out.println(JsonCodec.writeString(new AuditCheckpoint(head.get(), key.publicKey()).toJson()));
                return 0;
            } catch (ProblemException e) {
                System.err.println("no checkpoint: the newest signed head is unreadable: " + e.problem().detail());
                return 1;
            }
        }
    }

    /** The store file under {@code data}, or empty after saying what is missing. */
    private static Optional<Path> store(Path data) {
        if (!Files.isDirectory(data)) {
            System.err.println("error: no data directory " + data + "; pass the directory 'tabard issuer serve --data' was given");
            return Optional.empty();
        }
        Path db = data.resolve("issuer.db");
        if (!Files.isRegularFile(db)) {
            System.err.println("error: no issuer store at " + db + "; pass the directory 'tabard issuer serve --data' was given");
            return Optional.empty();
        }
        return Optional.of(db);
    }

    private static AuditCheckpoint readCheckpoint(Path file) {
        byte[] bytes;
        try {
            if (Files.size(file) > AuditCheckpoint.MAX_BYTES) {
                throw new IllegalArgumentException("checkpoint " + file + " is larger than " + AuditCheckpoint.MAX_BYTES
                        + " bytes; pass the file 'tabard audit checkpoint' printed");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read checkpoint " + file + " (" + e.getClass().getSimpleName()
                    + "); pass the file 'tabard audit checkpoint' printed");
        }
        try {
            return AuditCheckpoint.parse(bytes);
        } catch (ProblemException e) {
            throw new IllegalArgumentException("checkpoint " + file + " is malformed: " + e.problem().detail()
                    + "; pass the file 'tabard audit checkpoint' printed");
        }
    }
}
