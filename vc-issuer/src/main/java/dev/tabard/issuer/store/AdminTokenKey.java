package dev.tabard.issuer.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The per-installation key that admin-token hashes are keyed with (HMAC-SHA-256), kept beside the store in
 * {@value #FILE_NAME} with owner-only permissions. A copy of {@code issuer.db} alone (a backup, a leaked file) then
 * gives nothing to test guesses against, so even a weak token set before strength was enforced stays out of reach of
 * offline guessing. The HMAC's input is the token's SHA-256 (hex), which is what stores before this key held: their
 * hashes are re-keyed in place on first open, and every existing token keeps working.
 */
final class AdminTokenKey {

    static final String FILE_NAME = "admin-token.key";
    /** Marks a stored hash as keyed; a hash without it is a bare SHA-256 from a store made before the key. */
    static final String PREFIX = "hmac-sha256:";
    /** 32 bytes: HMAC-SHA-256's output length, the least key length RFC 2104 §3 recommends. */
    private static final int KEY_BYTES = 32;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final SecretKeySpec key;

    private AdminTokenKey(byte[] key) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
    }

    /**
     * Reads the key in {@code dir}, or makes one when there is none and {@code storeHasKeyedHashes} is false.
     *
     * @param storedCheck the {@link #check()} of the key the store's hashes were made with, when the store records it
     *     (several instances on one database must all hold that key)
     * @throws IllegalStateException when the key file is readable by group or others (the message says to
     *     {@code chmod 600} it), has the wrong length, is missing while the store holds hashes made with it, or is not
     *     the key of {@code storedCheck} (the messages say which file to restore or copy)
     */
    static AdminTokenKey openOrCreate(Path dir, SecureRandom random, boolean storeHasKeyedHashes, Optional<String> storedCheck) {
        Path file = dir.resolve(FILE_NAME);
        try {
            if (Files.exists(file)) {
                if (posix(dir) && Files.getPosixFilePermissions(file).stream().anyMatch(p -> !p.name().startsWith("OWNER_"))) {
                    throw new IllegalStateException(file + " is readable by others: run `chmod 600 " + file + "`");
                }
                byte[] key = Files.readAllBytes(file);
                if (key.length != KEY_BYTES) {
                    throw new IllegalStateException(file + " is not a " + KEY_BYTES + "-byte key: restore it from the backup of "
                            + "this data directory");
                }
                AdminTokenKey opened = new AdminTokenKey(key);
                if (storedCheck.isPresent() && !MessageDigest.isEqual(storedCheck.get().getBytes(StandardCharsets.US_ASCII),
                        opened.check().getBytes(StandardCharsets.US_ASCII))) {
                    throw new IllegalStateException(file + " is not the key this store's admin tokens were hashed with: copy "
                            + FILE_NAME + " from the data directory of an issuer instance already running on this database, or "
                            + "restore it from the backup of this data directory");
                }
                return opened;
            }
            if (storeHasKeyedHashes || storedCheck.isPresent()) {
                throw new IllegalStateException(file + " is missing, and the store's admin tokens were hashed with it: restore it "
                        + "from the backup of this data directory (it belongs with the store), or copy " + FILE_NAME + " from the "
                        + "data directory of an issuer instance already running on this database");
            }
            byte[] key = new byte[KEY_BYTES];
            random.nextBytes(key);
            write(dir, file, key);
            return new AdminTokenKey(key);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or create " + file + ": " + e.getMessage(), e);
        }
    }

    /** Written whole or not at all: a temporary owner-only file, flushed to disk, then moved into place. */
    private static void write(Path dir, Path file, byte[] key) throws IOException {
        Path tmp = posix(dir) ? Files.createTempFile(dir, ".admin-token", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                : Files.createTempFile(dir, ".admin-token", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(key));
                ch.force(true);
            }
            if (Files.exists(file)) {
                throw new FileAlreadyExistsException(file.toString());
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static boolean posix(Path dir) {
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** What the store holds for a token whose SHA-256 is {@code sha256Hex}. */
    String keyed(String sha256Hex) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return PREFIX + HexFormat.of().formatHex(mac.doFinal(sha256Hex.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is part of every JDK", e);
        }
    }

    /**
     * A value that identifies this key without revealing it (an HMAC under it of a fixed label), stored in the database
     * so an instance holding another key is stopped on open instead of failing every admin token.
     */
    String check() {
        return keyed("tabard admin-token key check");
    }

    static boolean isKeyed(String stored) {
        return stored.startsWith(PREFIX);
    }
}
