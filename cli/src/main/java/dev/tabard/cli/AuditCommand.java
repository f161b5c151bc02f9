package dev.tabard.cli;

import dev.tabard.issuer.audit.AuditEntry;
import dev.tabard.issuer.audit.AuditLog;
import dev.tabard.issuer.store.SqliteIssuerStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "audit", description = "The issuer's audit log.", subcommands = AuditCommand.Verify.class)
final class AuditCommand {

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check the issuer's audit hash chain. Exit 0 when intact, 1 when an entry was edited, deleted or reordered.")
    static final class Verify implements Callable<Integer> {
        @Option(names = "--data", required = true, description = "The issuer's data directory.")
        Path data;

        @Override
        public Integer call() {
            Path db = data.resolve("issuer.db");
            if (!Files.exists(db)) {
                System.err.println("error: no issuer store at " + db);
                return 2;
            }
            try (SqliteIssuerStore store = SqliteIssuerStore.open(db, Clock.systemUTC(), new SecureRandom())) {
                List<AuditEntry> all = new ArrayList<>();
                for (List<AuditEntry> page = store.audit(0, 10_000); !page.isEmpty();
                     page = store.audit(page.get(page.size() - 1).seq(), 10_000)) {
                    all.addAll(page);
                }
                Optional<String> broken = AuditLog.verify(all);
                System.out.println(broken.map(b -> "audit log BROKEN: " + b).orElse("audit log intact: " + all.size() + " entries"));
                return broken.isEmpty() ? 0 : 1;
            }
        }
    }
}
