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
            String host = detail.contains(" ") ? detail.substring(0, detail.indexOf(' ')) : "HOST";
            return Optional.of("to reach it, pass --allow-host " + host);
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
