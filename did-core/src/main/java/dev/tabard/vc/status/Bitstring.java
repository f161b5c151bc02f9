package dev.tabard.vc.status;

import dev.tabard.codec.Base64Url;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.GZIPOutputStream;
import java.util.zip.Inflater;

/**
 * A Bitstring Status List (W3C REC §2): {@code length} entries of {@code statusSize} bits each, entry 0
 * in the most significant bit of the first byte. Immutable: {@link #with} returns a changed copy.
 *
 * <p>Encoded as GZIP, then multibase base64url without padding ({@code u…}). Decoding bounds the
 * compressed input and, because an all-zero list compresses about 1,000 to 1, the inflated output too. It reads
 * exactly one GZIP member, checks its CRC-32 and length, and refuses any byte after it, so every verifier reads the
 * same bits from the same list.
 */
public final class Bitstring {

    /** The spec's minimum size, which gives group privacy. */
    public static final int MIN_ENTRIES = 131_072;
    /** Compressed size cap (SECURITY-NOTES): bounds the base64 and inflate work before any bit is read. */
    public static final int MAX_COMPRESSED_BYTES = 512 * 1024;
    /** Inflated size cap (SECURITY-NOTES): 16 million one-bit entries; a 348 KB bomb would inflate to 256 MiB. */
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
     * @throws ProblemException {@code MALFORMED_VALUE_ERROR} for bad encoding or compression, including a second GZIP
     *     member, bytes after the member, a truncated member or a CRC-32 or length that does not match;
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

    /** GZIP member header (RFC 1952 §2.3.1): magic, deflate, and the flag bits that add optional fields. */
    private static final int GZIP_MAGIC_1 = 0x1f;
    private static final int GZIP_MAGIC_2 = 0x8b;
    private static final int GZIP_DEFLATE = 8;
    private static final int FLAG_HCRC = 0x02;
    private static final int FLAG_EXTRA = 0x04;
    private static final int FLAG_NAME = 0x08;
    private static final int FLAG_COMMENT = 0x10;
    private static final int FLAGS_RESERVED = 0xe0;
    /** CRC-32 and ISIZE, each four bytes little-endian. */
    private static final int GZIP_TRAILER = 8;

    /**
     * Inflates exactly one GZIP member and refuses anything else: a second member, trailing bytes, a truncated
     * member, a CRC-32 or ISIZE that does not match. {@link java.util.zip.GZIPInputStream} reads concatenated
     * members and skips some trailing data, so two verifiers could read different bits from the same list; here the
     * one valid reading is the only one.
     */
    private static byte[] inflate(byte[] gz) {
        int pos = gzipHeaderLength(gz);
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(gz, pos, gz.length - pos);
            ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
            CRC32 crc = new CRC32();
            byte[] buf = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buf);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw malformedGzip("the compressed data is truncated");
                }
                if (out.size() + n > MAX_INFLATED_BYTES) {
                    throw new ProblemException(ProblemType.LIMIT_EXCEEDED,
                            "status list inflates past " + MAX_INFLATED_BYTES + " bytes");
                }
                out.write(buf, 0, n);
                crc.update(buf, 0, n);
            }
            int trailer = gz.length - inflater.getRemaining();
            if (inflater.getRemaining() < GZIP_TRAILER) {
                throw malformedGzip("the GZIP trailer is missing or truncated");
            }
            if (inflater.getRemaining() > GZIP_TRAILER) {
                throw malformedGzip((inflater.getRemaining() - GZIP_TRAILER)
                        + " bytes follow the GZIP member; a status list is exactly one member");
            }
            if (littleEndianInt(gz, trailer) != (int) crc.getValue()) {
                throw malformedGzip("the CRC-32 does not match the inflated data");
            }
            if (littleEndianInt(gz, trailer + 4) != out.size()) {
                throw malformedGzip("ISIZE does not match the inflated length");
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw malformedGzip("the deflate stream is corrupt");
        } finally {
            inflater.end();
        }
    }

    /** Checks a member header and returns its length, optional fields included. */
    private static int gzipHeaderLength(byte[] gz) {
        if (gz.length < 10 || (gz[0] & 0xff) != GZIP_MAGIC_1 || (gz[1] & 0xff) != GZIP_MAGIC_2 || gz[2] != GZIP_DEFLATE) {
            throw malformedGzip("not a GZIP member with deflate compression");
        }
        int flags = gz[3] & 0xff;
        if ((flags & FLAGS_RESERVED) != 0) {
            throw malformedGzip("reserved GZIP header flags are set");
        }
        int pos = 10;
        if ((flags & FLAG_EXTRA) != 0) {
            if (pos + 2 > gz.length) {
                throw malformedGzip("the GZIP header is truncated");
            }
            pos += 2 + ((gz[pos] & 0xff) | (gz[pos + 1] & 0xff) << 8);
        }
        if ((flags & FLAG_NAME) != 0) {
            pos = afterZero(gz, pos);
        }
        if ((flags & FLAG_COMMENT) != 0) {
            pos = afterZero(gz, pos);
        }
        if ((flags & FLAG_HCRC) != 0) {
            if (pos + 2 > gz.length) {
                throw malformedGzip("the GZIP header is truncated");
            }
            CRC32 crc = new CRC32();
            crc.update(gz, 0, pos);
            if (((gz[pos] & 0xff) | (gz[pos + 1] & 0xff) << 8) != (int) (crc.getValue() & 0xffff)) {
                throw malformedGzip("the GZIP header CRC does not match");
            }
            pos += 2;
        }
        if (pos > gz.length) {
            throw malformedGzip("the GZIP header is truncated");
        }
        return pos;
    }

    private static int afterZero(byte[] gz, int from) {
        for (int i = from; i < gz.length; i++) {
            if (gz[i] == 0) {
                return i + 1;
            }
        }
        throw malformedGzip("the GZIP header is truncated");
    }

    private static int littleEndianInt(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }

    private static ProblemException malformedGzip(String why) {
        return new ProblemException(ProblemType.MALFORMED_VALUE_ERROR,
                "encodedList is not one valid GZIP member: " + why + "; re-encode the list with a single gzip pass");
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
