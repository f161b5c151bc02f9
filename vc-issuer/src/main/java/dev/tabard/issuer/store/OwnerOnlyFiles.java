package dev.tabard.issuer.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files and directories only their owner can read: the issuer's data directory holds the store with its sealed
 * keys, the sealing secret and admin token hashes. On POSIX file systems files are created {@code 0600} and
 * directories {@code 0700} from the start, so there is no moment when they are readable by others; elsewhere
 * (Windows) the directory's ACL applies.
 */
public final class OwnerOnlyFiles {

    /** {@code rw-------}. */
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    /** {@code rwx------}. */
    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private OwnerOnlyFiles() {
    }

    /** Creates {@code dir} and any missing parents owner-only; an existing directory is left as its owner set it. */
    public static void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (posix(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
        } else {
            Files.createDirectories(dir);
        }
    }

    /** Creates an empty owner-only {@code file} if it is missing, or restricts an existing one to its owner. */
    public static void createOrRestrict(Path file) throws IOException {
        if (!Files.exists(file)) {
            Files.createFile(file, attributes(file));
        } else if (posix(file)) {
            Files.setPosixFilePermissions(file, FILE);
        }
    }

    /** Writes {@code text} to {@code file}, created owner-only, or restricted first if it already exists. */
    public static void writeString(Path file, String text) throws IOException {
        createOrRestrict(file);
        Files.write(file, text.getBytes(StandardCharsets.UTF_8), StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    }

    private static FileAttribute<?>[] attributes(Path file) {
        return posix(file) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)} : new FileAttribute<?>[0];
    }

    private static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
