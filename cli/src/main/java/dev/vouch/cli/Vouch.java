package dev.vouch.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vouch} command. */
@Command(name = "vouch", mixinStandardHelpOptions = true, version = "vouch 0.1.0",
        description = "Identity for AI agents: run an issuer or a verifier, resolve DIDs, verify credentials, keep a wallet.",
        subcommands = {IssuerCommand.class, VerifierCommand.class, ResolveCommand.class, VerifyCommand.class, WalletCommand.class,
            AuditCommand.class, DemoCommand.class})
public final class Vouch implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (tests call this). */
    public static int run(String... args) {
        return new CommandLine(new Vouch()).setExecutionExceptionHandler(new ProblemHandler()).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
