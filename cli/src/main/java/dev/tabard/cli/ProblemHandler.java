package dev.tabard.cli;

import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.nio.file.FileSystemException;
import java.util.Optional;
import picocli.CommandLine;

/**
 * Prints a problem as one clear line instead of a stack trace, with the flag that fixes it when there is one: a
 * refused non-public host needs {@code --allow-host}, a certificate the system does not trust needs {@code --trust-cert}.
 */
final class ProblemHandler implements CommandLine.IExecutionExceptionHandler {

    /** The host in the fetcher's refusal of a non-public address. */
    private static final java.util.regex.Pattern NON_PUBLIC = java.util.regex.Pattern.compile("([^\\s:;,()]+) resolves only to non-public");

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        if (e instanceof ProblemException p) {
            String detail = p.problem().detail();
            cmd.getErr().println("error: " + p.type().title() + ": " + detail + hint(p.type(), detail).map(h -> "; " + h).orElse(""));
            return 1;
        }
        if (e instanceof FileSystemException f) {
            cmd.getErr().println("error: " + InputFiles.describe(f));
            return 2;
        }
        cmd.getErr().println("error: " + e.getMessage());
        return 2;
    }

    /** The flag that fixes a fetch problem, from its type and the host its detail names. */
    static Optional<String> hint(ProblemType type, String detail) {
        if (detail == null) {
            return Optional.empty();
        }
        if (type == ProblemType.FETCH_REFUSED && detail.contains("non-public address")) {
            java.util.regex.Matcher host = NON_PUBLIC.matcher(detail);
            return Optional.of("to reach it, pass --allow-host " + (host.find() ? host.group(1) : "HOST"));
        }
        if (type == ProblemType.FETCH_REFUSED && detail.startsWith("IP address literals are not fetched")) {
            return Optional.of("to reach it, pass --allow-host " + detail.substring(detail.lastIndexOf(' ') + 1));
        }
        if (type == ProblemType.FETCH_FAILED && (detail.contains("TLS handshake") || detail.contains("PKIX")
                || detail.contains("certificate"))) {
            return Optional.of("if the server uses a self-signed or private-CA certificate, pass --trust-cert FILE "
                    + "(its PEM certificate)");
        }
        return Optional.empty();
    }
}
