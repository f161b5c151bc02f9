package dev.tabard.cli;

import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Files named on the command line, checked before they are read, so that a mistyped path is reported as which file
 * (and which flag) and why — not found, a directory, not readable — instead of the bare name an I/O exception carries.
 */
final class InputFiles {

    private InputFiles() {
    }

    /**
     * {@code file}, when it is a readable regular file.
     *
     * @param what what the file is for and the flag that names it, e.g. {@code "the policy file (--policy)"}
     * @throws ProblemException {@code RESOURCE_NOT_FOUND} when it does not exist; {@code MALFORMED_VALUE_ERROR} for a
     *     directory or another non-regular file; {@code FORBIDDEN} when it cannot be read
     */
    static Path readable(Path file, String what) {
        if (Files.isDirectory(file)) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, what + " " + file + " is a directory; pass a file inside it");
        }
        if (!Files.exists(file)) {
            throw new ProblemException(ProblemType.RESOURCE_NOT_FOUND, what + " " + file + " does not exist (looked in "
                    + file.toAbsolutePath().getParent() + "); check the path");
        }
        if (!Files.isRegularFile(file)) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, what + " " + file + " is not a regular file");
        }
        if (!Files.isReadable(file)) {
            throw new ProblemException(ProblemType.FORBIDDEN, what + " " + file + " is not readable by this user; check its permissions");
        }
        return file;
    }

    /** The line for a file error that escaped the checks above: which file and why, never only the name. */
    static String describe(FileSystemException e) {
        return (e.getFile() == null ? "a file" : "the file " + e.getFile()) + " " + reason(e);
    }

    /** Why a file could not be used, in words: not found, not readable, or the system's reason. */
    static String reason(FileSystemException e) {
        if (e instanceof NoSuchFileException) {
            return "does not exist; check the path";
        }
        if (e instanceof AccessDeniedException) {
            return "is not readable (or writable) by this user; check its permissions";
        }
        return "cannot be used: " + (e.getReason() == null ? e.getClass().getSimpleName() : e.getReason());
    }
}
