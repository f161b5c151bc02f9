package dev.tabard.vc.status;

import dev.tabard.codec.Base64Url;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * A Bitstring Status List (W3C REC §2): {@code length} entries of {@code statusSize} bits each, entry 0
 * in the most significant bit of the first byte. Immutable: {@link #with} returns a changed copy.
 *
 * <p>Encoded as GZIP, then multibase base64url without padding ({@code u…}). Decoding bounds the
 * compressed input and, because an all-zero list compresses about 1,000 to 1, the inflated output too.
 */
public final class Bitstring {

    /** The spec's minimum size, which gives group privacy. */
    public static final int MIN_ENTRIES = 131_072;
    public static final int MAX_COMPRESSED_BYTES = 512 * 1024;
    public static final int MAX_INFLATED_BYTES = 2 * 1024 * 1024;

    private final byte[] bits;
    private final int length;
    private final int statusSize;

    private Bitstring(byte[] bits, int length, int statusSize) {
        this.bits = bits;
        this.length = length;
        this.statusSize = statusSize;
    }

    /** An all-zero list. */
    public static Bitstring create(int length, int statusSize) {
        if (statusSize < 1 || statusSize > 16) {
            throw new IllegalArgumentException("statusSize must be 1..16");
        }
        if (length < MIN_ENTRIES) {
            throw new IllegalArgumentException("a status list has at least " + MIN_ENTRIES + " entries");
        }
        long bytes = ((long) length * statusSize + 7) / 8;
        if (bytes > MAX_INFLATED_BYTES) {
            throw new IllegalArgumentException("status list larger than " + MAX_INFLATED_BYTES + " bytes");
        }
        return new Bitstring(new byte[(int) bytes], length, statusSize);
    }

    /** A list over raw bits as stored: {@code raw.length * 8 / statusSize} entries. */
    public static Bitstring fromBytes(byte[] raw, int statusSize) {
        long entries = (long) raw.length * 8 / statusSize;
        if (statusSize < 1 || statusSize > 16 || entries < MIN_ENTRIES || raw.length > MAX_INFLATED_BYTES) {
            throw new IllegalArgumentException("not a valid status list");
        }
        return new Bitstring(raw.clone(), (int) entries, statusSize);
    }

    /** The raw bits, a copy. */
    public byte[] toBytes() {
        return bits.clone();
    }

    public int length() {
        return length;
    }

    public int statusSize() {
        return statusSize;
    }

    /**
     * The status at {@code index}.
     *
     * @throws ProblemException {@code RANGE_ERROR} for an index outside the list
     */
    public int get(long index) {
        check(index);
        long bit = index * statusSize;
        int v = 0;
        for (int i = 0; i < statusSize; i++, bit++) {
            v = (v << 1) | ((bits[(int) (bit >>> 3)] >>> (7 - (int) (bit & 7))) & 1);
        }
        return v;
    }

    /** A copy with {@code value} at {@code index}. */
    public Bitstring with(long index, int value) {
        check(index);
        if (value < 0 || value >= (1 << statusSize)) {
            throw new IllegalArgumentException("value does not fit in " + statusSize + " bits");
        }
        byte[] copy = bits.clone();
        long bit = index * statusSize;
        for (int i = statusSize - 1; i >= 0; i--, bit++) {
            int mask = 1 << (7 - (int) (bit & 7));
            int at = (int) (bit >>> 3);
            copy[at] = (byte) (((value >>> i) & 1) == 1 ? copy[at] | mask : copy[at] & ~mask);
        }
        return new Bitstring(copy, length, statusSize);
    }

    private void check(long index) {
        if (index < 0 || index >= length) {
            throw new ProblemException(ProblemType.RANGE_ERROR,
                    "status list index " + index + " is outside a list of " + length + " entries");
        }
    }

    /** The {@code encodedList} value. */
    public String encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bits);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "u" + Base64Url.encode(out.toByteArray());
    }

    /**
     * Decodes an {@code encodedList}.
     *
     * @throws ProblemException {@code MALFORMED_VALUE_ERROR} for bad encoding or compression;
     *     {@code LIMIT_EXCEEDED} when the compressed or inflated size passes its cap;
     *     {@code STATUS_LIST_LENGTH_ERROR} for a list shorter than {@link #MIN_ENTRIES} entries
     */
    public static Bitstring decode(String encodedList, int statusSize) {
        if (statusSize < 1 || statusSize > 16) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "statusSize must be 1..16");
        }
        if (encodedList.length() > MAX_COMPRESSED_BYTES * 4 / 3 + 2) {
            throw new ProblemException(ProblemType.LIMIT_EXCEEDED,
                    "encodedList exceeds " + MAX_COMPRESSED_BYTES + " compressed bytes");
        }
        if (!encodedList.startsWith("u")) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR,
                    "encodedList must be multibase base64url ('u' prefix)");
        }
        byte[] compressed;
        try {
            compressed = Base64Url.decode(encodedList.substring(1));
        } catch (ProblemException e) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "encodedList is not base64url");
        }
        byte[] bits = inflate(compressed);
        long entries = (long) bits.length * 8 / statusSize;
        if (entries < MIN_ENTRIES) {
            throw new ProblemException(ProblemType.STATUS_LIST_LENGTH_ERROR,
                    "status list has " + entries + " entries; at least " + MIN_ENTRIES + " are required");
        }
        return new Bitstring(bits, (int) entries, statusSize);
    }

    private static byte[] inflate(byte[] compressed) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed), 8192)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0; ) {
                if (out.size() + n > MAX_INFLATED_BYTES) {
                    throw new ProblemException(ProblemType.LIMIT_EXCEEDED,
                            "status list inflates past " + MAX_INFLATED_BYTES + " bytes");
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (ZipException | java.io.EOFException e) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "encodedList is not valid GZIP");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bitstring b && b.length == length && b.statusSize == statusSize && Arrays.equals(b.bits, bits);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bits) * 31 + length;
    }

    @Override
    public String toString() {
        return "Bitstring[" + length + " × " + statusSize + " bits]";
    }
}
