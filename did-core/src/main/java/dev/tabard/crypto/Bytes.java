package dev.tabard.crypto;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/** An immutable byte string, for records that would otherwise hold a {@code byte[]}. Copies on the way in and out. */
public final class Bytes {

    private final byte[] data;

    private Bytes(byte[] data) {
        this.data = data;
    }

    public static Bytes copyFrom(byte[] data) {
        return new Bytes(Objects.requireNonNull(data, "data").clone());
    }

    public byte[] toByteArray() {
        return data.clone();
    }

    public int size() {
        return data.length;
    }

    /** Constant-time comparison. */
    public boolean equalsConstantTime(byte[] other) {
        return MessageDigest.isEqual(data, Objects.requireNonNull(other, "other"));
    }

    public String toHex() {
        return HexFormat.of().formatHex(data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes && MessageDigest.isEqual(data, ((Bytes) o).data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Bytes(" + toHex() + ")";
    }
}
