package dev.tabard.cli;

import dev.tabard.issuer.IssuerConfigLoader;
import dev.tabard.issuer.store.IssuerStore;
import dev.tabard.issuer.store.SqliteIssuerStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where a command that opens the issuer's store itself finds it: SQLite in the data directory, or the PostgreSQL
 * database {@code --database-url} names, with the role and password from the environment as {@code issuer serve}
 * reads them.
 */
final class StoreLocation {

    @Option(names = "--database-url", paramLabel = "JDBC_URL", description = {
        "The issuer's PostgreSQL database (jdbc:postgresql://HOST:PORT/DATABASE), when it keeps its state there; the role "
            + "and password come from TABARD_ISSUER_DATABASE_USER and TABARD_ISSUER_DATABASE_PASSWORD (or the file "
            + "TABARD_ISSUER_DATABASE_PASSWORD_FILE names)."})
    String databaseUrl;

    boolean isPostgres() {
        return databaseUrl != null;
    }

    /** The store, or empty after saying on standard error what is missing and what to pass instead. */
    Optional<IssuerStore> open(Path data, Clock clock) {
        if (!Files.isDirectory(data)) {
            System.err.println("error: no data directory " + data + "; pass the directory 'tabard issuer serve --data' was given");
            return Optional.empty();
        }
        Path db = data.resolve(SqliteIssuerStore.FILE_NAME);
        if (databaseUrl == null && !Files.isRegularFile(db)) {
            System.err.println("error: no issuer store at " + db + "; pass the directory 'tabard issuer serve --data' was given"
                    + " (and --database-url when the issuer keeps its state in PostgreSQL)");
            return Optional.empty();
        }
        return Optional.of(IssuerStore.open(data, Optional.ofNullable(databaseUrl).map(u -> IssuerConfigLoader.database(u, System.getenv())),
                clock));
    }
}
