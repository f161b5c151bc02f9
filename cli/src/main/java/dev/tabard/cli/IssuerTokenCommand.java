package dev.tabard.cli;

import dev.tabard.issuer.AdminTokens;
import dev.tabard.issuer.Issuers;
import dev.tabard.issuer.store.IssuerStore;
import dev.tabard.issuer.store.SqliteIssuerStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tabard issuer token}: a new admin token minted from the data directory, for an operator who lost every token.
 * It needs what the issuer needs to sign its audit log (the key-sealing secret), is audited like a token made through
 * the admin API, and is printed once.
 */
@Command(name = "token", mixinStandardHelpOptions = true, description = {
    "Mint a new admin token from the data directory (for a lost token), audited and printed once.",
    "On SQLite, run it while the issuer is stopped; on PostgreSQL (--database-url) any time. The key-sealing secret comes "
        + "from TABARD_SECRET, or from DIR/secret."})
final class IssuerTokenCommand implements Callable<Integer> {

    @Option(names = "--data", required = true, description = "The issuer's data directory.")
    Path data;

    @Option(names = "--name", description = "The token's name in the audit log (default recovered-<time>); an existing name is replaced.")
    String name;

    @Option(names = "--role", defaultValue = "admin", description = "issue, revoke or admin (default admin).")
    String role;

    @picocli.CommandLine.Mixin
    StoreLocation location;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!AdminTokens.ROLES.contains(role)) {
            throw new ParameterException(spec.commandLine(), "--role is issue, revoke or admin, not " + role);
        }
        Path db = data.resolve(SqliteIssuerStore.FILE_NAME);
        if (!location.isPostgres() && !Files.exists(db)) {
            throw new ParameterException(spec.commandLine(), "no issuer in " + data + " (no issuer.db); start one with "
                    + "tabard issuer serve --data " + data + ", which prints the first admin token");
        }
        Clock clock = Clock.systemUTC();
        String tokenName = name != null ? name : "recovered-" + clock.instant().getEpochSecond();
        String actor = "cli:" + System.getProperty("user.name", "operator");
        String token;
        try (IssuerStore store = location.open(data, clock).orElseThrow(() -> new ParameterException(spec.commandLine(),
                "no data directory " + data))) {
            token = Issuers.mintAdminToken(store, secret(), tokenName, role, actor, clock, new SecureRandom());
        }
        spec.commandLine().getOut().println("admin token '" + tokenName + "' (role " + role + "; shown once, keep it): " + token);
        return 0;
    }

    /** The secret the issuer was started with; never made here, since keys sealed under another would not open. */
    private char[] secret() throws java.io.IOException {
        String env = System.getenv("TABARD_SECRET");
        if (env != null && !env.isEmpty()) {
            return env.toCharArray();
        }
        Path file = data.resolve("secret");
        if (!Files.exists(file)) {
            throw new ParameterException(spec.commandLine(), "no key-sealing secret: set TABARD_SECRET to the one the issuer runs with");
        }
        return Files.readString(file).trim().toCharArray();
    }
}
