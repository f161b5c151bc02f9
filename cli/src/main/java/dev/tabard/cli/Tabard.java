package dev.tabard.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tabard} command. */
@Command(name = "tabard", mixinStandardHelpOptions = true, version = "tabard 0.1.0",
        description = "Identity for AI agents: run an issuer or a verifier, resolve DIDs, verify credentials, keep a wallet.",
        subcommands = {IssuerCommand.class, VerifierCommand.class, GateCommand.class, ResolveCommand.class, VerifyCommand.class, WalletCommand.class,
            AuditCommand.class, DemoCommand.class})
public final class Tabard implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (tests call this). */
    public static int run(String... args) {
        return new CommandLine(new Tabard()).setExecutionExceptionHandler(new ProblemHandler()).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
