package dev.tabard.verifier.replay;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * 128 bits of SHA-256 over one thing a presentation binds (its kind, its holder, its value), or over a holder: what a
 * {@link ReplayStore} keeps instead of the thing itself. A collision would only refuse a presentation, and needs 2^64
 * work.
 */
public record ReplayKey(long hi, long lo) {

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    /** The key of {@code value} of {@code kind} ("nonce", "jti", "holder") presented by {@code holder}. */
    static ReplayKey of(String kind, String holder, String value) {
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(value, "value");
        MessageDigest sha = SHA256.get();
        sha.update(kind.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(holder.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        ByteBuffer b = ByteBuffer.wrap(sha.digest(value.getBytes(StandardCharsets.UTF_8)));
        return new ReplayKey(b.getLong(), b.getLong());
    }

    /** 32 lower-case hex digits: how a shared store names the key. */
    public String hex() {
        return String.format("%016x%016x", hi, lo);
    }
}
