package dev.tabard.cli;

import dev.tabard.problem.ProblemException;
import picocli.CommandLine;

/** Prints a problem as one clear line instead of a stack trace. */
final class ProblemHandler implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        if (e instanceof ProblemException p) {
            cmd.getErr().println("error: " + p.type().title() + ": " + p.problem().detail());
            return 1;
        }
        cmd.getErr().println("error: " + e.getMessage());
        return 2;
    }
}
