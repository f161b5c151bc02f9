package dev.tabard.cli;

import dev.tabard.audit.AuditBreak;
import dev.tabard.audit.AuditCheckpoint;
import dev.tabard.audit.AuditFile;
import dev.tabard.audit.AuditLog;
import dev.tabard.audit.AuditTrail;
import dev.tabard.audit.AuditVerdict;
import dev.tabard.audit.SignedHead;
import dev.tabard.audit.TrailKey;
import dev.tabard.codec.JsonCodec;
import dev.tabard.issuer.audit.AuditAnchor;
import dev.tabard.issuer.store.IssuerStore;
import dev.tabard.problem.ProblemException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tabard audit}: check a signed audit chain, the issuer's ({@code --data DIR}) or a file log such as the agent
 * gate's decisions ({@code --log FILE}), and export its signed head as a checkpoint to keep elsewhere. For the issuer
 * both check the log against its {@link AuditAnchor} when the data directory has one. Exit codes: 0 intact, 1 broken
 * (or nothing signed to export), 2 a missing store or log, or an unreadable checkpoint or anchor.
 */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "A signed audit log: the issuer's, or a file log.",
        subcommands = {AuditCommand.Verify.class, AuditCommand.Checkpoint.class})
final class AuditCommand {

    /** Which log: exactly one of the issuer's data directory and a file log. */
    static final class Source {
        @Option(names = "--data", required = true, description = "The issuer's data directory.")
        Path data;

        @Option(names = "--log", required = true, description = "A file log (JSON Lines), such as the agent gate's decision log.")
        Path log;
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, description = {
        "Check an audit chain, the issuer's (--data) or a file log's (--log): every entry's hash, its order, and the "
            + "signatures over the chain's heads by the keys the log records.",
        "For the issuer, always against its audit anchor (" + AuditAnchor.FILE + " in the data directory, its newest signed head, "
            + "kept current within a second): a log that lost its signed heads or the anchored entry was altered or truncated.",
        "With --checkpoint, also that the log still holds, unchanged, everything up to the exported head.",
        "Exit 0 when intact, 1 when an entry was edited, reordered, deleted or truncated, a signature is invalid or "
            + "entries are not signed, 2 for a missing store or log, or an unreadable checkpoint or anchor."})
    static final class Verify implements Callable<Integer> {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Source source;

        @Option(names = "--checkpoint", description = "A head exported earlier with 'tabard audit checkpoint'.")
        Path checkpointFile;

        @Mixin
        StoreLocation location;

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
            if (source.log != null) {
                if (location.isPostgres()) {
                    System.err.println("error: --database-url names the issuer's store; a file log (--log) is read from its file");
                    return 2;
                }
                return verifyFile(source.log, checkpoint);
            }
            Path data = source.data;
            Optional<AuditCheckpoint> anchor;
            try {
                anchor = AuditAnchor.read(data);
            } catch (IllegalArgumentException e) {
                System.err.println("error: " + e.getMessage());
                return 2;
            }
            Optional<IssuerStore> opened = location.open(data, Clock.systemUTC());
            if (opened.isEmpty()) {
                return 2;
            }
            try (IssuerStore store = opened.get()) {
                AuditVerdict verdict = AuditLog.verify(store, checkpoint, anchor.map(AuditAnchor::named));
                System.out.println(verdict.message());
                return verdict.intact() ? 0 : 1;
            }
        }

        private static int verifyFile(Path log, Optional<AuditCheckpoint> checkpoint) {
            Optional<AuditTrail> trail = fileLog(log);
            if (trail.isEmpty()) {
                return 2;
            }
            AuditVerdict verdict = AuditLog.verify(trail.get(), checkpoint);
            System.out.println(verdict.message());
            if (onlyUnsigned(verdict)) {
                System.err.println("note: a writer that is still running signs its newest entries within its head interval "
                        + "(a second by default); verify again, or once it has stopped");
            }
            return verdict.intact() ? 0 : 1;
        }
    }

    @Command(name = "checkpoint", mixinStandardHelpOptions = true, description = {
        "Print the audit chain's newest signed head as JSON (seq, hash, time, keyId, publicKeyMultibase, jws), after "
            + "checking the whole chain. Save it away from the log (outside the data directory); "
            + "'tabard audit verify --checkpoint FILE' then shows any later change to, or removal of, the entries it covers.",
        "A file log's newest entries may not be signed yet while its writer runs: the head covers the entries before them.",
        "Exit 0 with the head on standard output, 1 when the chain is broken or nothing is signed yet, 2 for a missing "
            + "store or log."})
    static final class Checkpoint implements Callable<Integer> {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Source source;

        @Mixin
        StoreLocation location;

        @Override
        public Integer call() {
            if (source.log != null) {
                return checkpointFile(source.log);
            }
            Path data = source.data;
            Optional<AuditCheckpoint> anchor;
            try {
                anchor = AuditAnchor.read(data);
            } catch (IllegalArgumentException e) {
                System.err.println("error: " + e.getMessage());
                return 2;
            }
            Optional<IssuerStore> opened = location.open(data, Clock.systemUTC());
            if (opened.isEmpty()) {
                return 2;
            }
            try (IssuerStore store = opened.get()) {
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

        private static int checkpointFile(Path log) {
            Optional<AuditTrail> trail = fileLog(log);
            if (trail.isEmpty()) {
                return 2;
            }
            try {
                Optional<SignedHead> head = trail.get().latestAuditHead().map(h -> SignedHead.parse(h.jws()));
                AuditVerdict verdict = AuditLog.verify(trail.get(), Optional.empty());
                // entries after the newest head are the running writer's, not yet signed: the head still covers the rest
                if (!verdict.intact() && !onlyUnsigned(verdict)) {
                    System.err.println("no checkpoint: the chain is broken. " + verdict.message());
                    return 1;
                }
                if (head.isEmpty()) {
                    System.err.println("no checkpoint: nothing is signed yet; a writer signs its first head within its head "
                            + "interval, and when it closes the log");
                    return 1;
                }
                TrailKey key = trail.get().auditKeys().stream().filter(k -> k.id().equals(head.get().keyId())).findFirst().orElseThrow();
                System.out.println(JsonCodec.writeString(new AuditCheckpoint(head.get(), key.publicKey()).toJson()));
                return 0;
            } catch (ProblemException e) {
                System.err.println("no checkpoint: the newest signed head is unreadable: " + e.problem().detail());
                return 1;
            }
        }
    }

    private static boolean onlyUnsigned(AuditVerdict verdict) {
        return verdict.broken().map(b -> b.kind() == AuditBreak.Kind.UNSIGNED).orElse(false);
    }

    /** The file log at {@code log} read for checking, or empty after saying what is missing. */
    private static Optional<AuditTrail> fileLog(Path log) {
        if (!Files.isRegularFile(log)) {
            System.err.println("error: no audit log at " + log + "; pass the file its writer appends to");
            return Optional.empty();
        }
        try {
            return Optional.of(AuditFile.read(log));
        } catch (UncheckedIOException e) {
            System.err.println("error: cannot read audit log " + log + " (" + e.getCause().getClass().getSimpleName()
                    + "); give this user read access to it");
            return Optional.empty();
        }
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
            throw new IllegalArgumentException("cannot read checkpoint " + file + ": " + (e instanceof java.nio.file.FileSystemException f
                    ? InputFiles.reason(f) : e.getClass().getSimpleName()) + "; pass the file 'tabard audit checkpoint' printed");
        }
        try {
            return AuditCheckpoint.parse(bytes);
        } catch (ProblemException e) {
            throw new IllegalArgumentException("checkpoint " + file + " is malformed: " + e.problem().detail()
                    + "; pass the file 'tabard audit checkpoint' printed");
        }
    }
}
