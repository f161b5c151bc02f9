package dev.tabard.sdjwt.status;

import dev.tabard.codec.Base64Url;
import dev.tabard.crypto.Bytes;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A Token Status List (draft-ietf-oauth-status-list §4): statuses of {@code bits} bits each (1, 2, 4 or 8), packed so
 * that index 0 is the least significant bits of byte 0, compressed with DEFLATE in the ZLIB format (RFC 1950) and
 * base64url-encoded as {@code lst}. Immutable: {@link #with} returns a new list.
 */
public final class StatusList {

    /** Largest {@code lst} accepted, in characters (the compressed cap of SECURITY-NOTES, base64url-encoded). */
    public static final int MAX_LST_CHARS = 512 * 1024 * 4 / 3 + 4;
    /** Largest list once inflated, in bytes (SECURITY-NOTES): a small {@code lst} may inflate enormously. */
    public static final int MAX_BYTES = 2 * 1024 * 1024;

    private final int bits;
    private final byte[] bytes;

    private StatusList(int bits, byte[] bytes) {
        this.bits = bits;
        this.bytes = bytes;
    }

    /** A list of {@code size} entries, all VALID (0). */
    public static StatusList of(int bits, int size) {
        checkBits(bits);
        if (size <= 0 || (long) size * bits > 8L * MAX_BYTES) {
            throw new IllegalArgumentException("a status list holds 1.." + (8L * MAX_BYTES / bits) + " entries");
        }
        return new StatusList(bits, new byte[(int) (((long) size * bits + 7) / 8)]);
    }

    /** A list over the uncompressed bytes (a copy). */
    public static StatusList ofBytes(int bits, byte[] bytes) {
        checkBits(bits);
        if (bytes.length == 0 || bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException("a status list is 1.." + MAX_BYTES + " bytes");
        }
        return new StatusList(bits, bytes.clone());
    }

    /**
     * Decodes {@code lst}.
     *
     * @throws ProblemException {@code STATUS_VERIFICATION_ERROR} for {@code bits} other than 1, 2, 4, 8, text that is
     *     not base64url, data that is not ZLIB, or an empty list; {@code STATUS_LIST_LENGTH_ERROR} past the caps
     */
    public static StatusList decode(int bits, String lst) {
        Objects.requireNonNull(lst, "lst");
        if (bits != 1 && bits != 2 && bits != 4 && bits != 8) {
            throw new ProblemException(ProblemType.STATUS_VERIFICATION_ERROR, "status_list bits must be 1, 2, 4 or 8");
        }
        if (lst.length() > MAX_LST_CHARS) {
            throw new ProblemException(ProblemType.STATUS_LIST_LENGTH_ERROR, "status_list lst exceeds " + MAX_LST_CHARS + " characters");
        }
        if (lst.isEmpty() || !Base64Url.isStrict(lst)) {
            throw new ProblemException(ProblemType.STATUS_VERIFICATION_ERROR, "status_list lst is not base64url");
        }
        byte[] inflated = inflate(Base64Url.decode(lst));
        if (inflated.length == 0) {
            throw new ProblemException(ProblemType.STATUS_VERIFICATION_ERROR, "status_list is empty");
        }
        return new StatusList(bits, inflated);
    }

    private static byte[] inflate(byte[] compressed) {
        Inflater inflater = new Inflater(false);
        try {
            inflater.setInput(compressed);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buf);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new ProblemException(ProblemType.STATUS_VERIFICATION_ERROR, "status_list lst is truncated ZLIB data");
                }
                if (out.size() + n > MAX_BYTES) {
                    throw new ProblemException(ProblemType.STATUS_LIST_LENGTH_ERROR,
                            "status_list inflates past " + MAX_BYTES + " bytes");
                }
                out.write(buf, 0, n);
            }
            if (inflater.getRemaining() > 0) {
                throw new ProblemException(ProblemType.STATUS_VERIFICATION_ERROR, "status_list lst has data after the ZLIB stream");
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new ProblemException(ProblemType.STATUS_VERIFICATION_ERROR, "status_list lst is not ZLIB data");
        } finally {
            inflater.end();
        }
    }

    /** The {@code lst} value: base64url(ZLIB(DEFLATE(bytes))) at the best compression. */
    public String encode() {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, false);
        try {
            deflater.setInput(bytes);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (!deflater.finished()) {
                out.write(buf, 0, deflater.deflate(buf));
            }
            return Base64Url.encode(out.toByteArray());
        } finally {
            deflater.end();
        }
    }

    public int bits() {
        return bits;
    }

    /** How many statuses the list holds. */
    public long size() {
        return (long) bytes.length * 8 / bits;
    }

    /** The uncompressed bytes. */
    public Bytes bytes() {
        return Bytes.copyFrom(bytes);
    }

    /**
     * The status at {@code index}.
     *
     * @throws ProblemException {@code STATUS_LIST_LENGTH_ERROR} for an index past the list's end
     */
    public int get(long index) {
        if (index < 0 || index >= size()) {
            throw new ProblemException(ProblemType.STATUS_LIST_LENGTH_ERROR,
                    "status index " + index + " is outside a list of " + size() + " entries");
        }
        long bit = index * bits;
        int b = bytes[(int) (bit / 8)] & 0xff;
        return (b >>> (int) (bit % 8)) & ((1 << bits) - 1);
    }

    /** A copy with {@code index} set to {@code value}. */
    public StatusList with(long index, int value) {
        if (index < 0 || index >= size() || value < 0 || value >= (1 << bits)) {
            throw new IllegalArgumentException("index 0.." + (size() - 1) + ", value 0.." + ((1 << bits) - 1));
        }
        byte[] copy = bytes.clone();
        long bit = index * bits;
        int mask = ((1 << bits) - 1) << (int) (bit % 8);
        int i = (int) (bit / 8);
        copy[i] = (byte) ((copy[i] & ~mask) | (value << (int) (bit % 8)));
        return new StatusList(bits, copy);
    }

    private static void checkBits(int bits) {
        if (bits != 1 && bits != 2 && bits != 4 && bits != 8) {
            throw new IllegalArgumentException("bits must be 1, 2, 4 or 8");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StatusList s && s.bits == bits && Arrays.equals(s.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return 31 * bits + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "StatusList[bits=" + bits + ", size=" + size() + "]";
    }
}
