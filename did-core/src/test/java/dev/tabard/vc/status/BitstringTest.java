package dev.tabard.vc.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.Base64Url;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.Credential;
import dev.tabard.vc.StatusEntry;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class BitstringTest {

    @Test
    void setGetAndEncodeRoundTrip() {
        Bitstring list = Bitstring.create(Bitstring.MIN_ENTRIES, 1).with(0, 1).with(94567, 1).with(Bitstring.MIN_ENTRIES - 1, 1);
        Bitstring back = Bitstring.decode(list.encode(), 1);
        assertEquals(list, back);
        assertEquals(1, back.get(0));
        assertEquals(0, back.get(1));
        assertEquals(1, back.get(94567));
        assertEquals(1, back.get(Bitstring.MIN_ENTRIES - 1));
        assertEquals(ProblemType.RANGE_ERROR, assertThrows(ProblemException.class, () -> back.get(Bitstring.MIN_ENTRIES)).type());
        assertEquals(0, list.with(0, 0).get(0));
    }

    @Test
    void firstIndexIsTheLeftmostBit() {
        String encoded = Bitstring.create(Bitstring.MIN_ENTRIES, 1).with(0, 1).encode();
        byte[] raw = inflate(Base64Url.decode(encoded.substring(1)));
        assertEquals((byte) 0x80, raw[0]);
    }

    @Test
    void multiBitStatuses() {
        Bitstring list = Bitstring.create(Bitstring.MIN_ENTRIES, 2).with(3, 2).with(4, 3);
        Bitstring back = Bitstring.decode(list.encode(), 2);
        assertEquals(2, back.get(3));
        assertEquals(3, back.get(4));
        assertEquals(0, back.get(5));
    }

    @Test
    void shortListsBombsAndGarbageAreRefused() throws Exception {
        String shortList = "u" + Base64Url.encode(gzip(new byte[1024]));
        assertEquals(ProblemType.STATUS_LIST_LENGTH_ERROR, assertThrows(ProblemException.class, () -> Bitstring.decode(shortList, 1)).type());
        String bomb = "u" + Base64Url.encode(gzip(new byte[16 * 1024 * 1024]));
        assertTrue(bomb.length() < 30_000);
        assertEquals(ProblemType.LIMIT_EXCEEDED, assertThrows(ProblemException.class, () -> Bitstring.decode(bomb, 1)).type());
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, assertThrows(ProblemException.class, () -> Bitstring.decode("zabc", 1)).type());
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, assertThrows(ProblemException.class,
                () -> Bitstring.decode("u" + Base64Url.encode(new byte[] {1, 2, 3}), 1)).type());
    }

    @Test
    void decode_anythingButExactlyOneGzipMember_failsWithMalformedValue() throws Exception {
        byte[] member = gzip(Bitstring.create(Bitstring.MIN_ENTRIES, 1).with(7, 1).toBytes());
        assertEquals(1, Bitstring.decode(encoded(member), 1).get(7));

        // A second member would double the list for GZIPInputStream, and a verifier reading one member would disagree.
        byte[] second = gzip(Bitstring.create(Bitstring.MIN_ENTRIES, 1).with(9, 1).toBytes());
        assertMalformedGzip(concat(member, second), "follow the GZIP member");
        assertMalformedGzip(concat(member, "trailing garbage".getBytes(java.nio.charset.StandardCharsets.US_ASCII)), "follow the GZIP member");
        assertMalformedGzip(concat(member, new byte[1]), "follow the GZIP member");

        assertMalformedGzip(Arrays.copyOf(member, member.length - 3), "trailer");
        assertMalformedGzip(Arrays.copyOf(member, member.length - 8), "trailer");
        assertMalformedGzip(Arrays.copyOf(member, member.length / 2), "truncated");
        assertMalformedGzip(Arrays.copyOf(member, 12), "truncated");

        byte[] badCrc = member.clone();
        badCrc[member.length - 8] ^= 1;
        assertMalformedGzip(badCrc, "CRC-32");
        byte[] badLength = member.clone();
        badLength[member.length - 4] ^= 1;
        assertMalformedGzip(badLength, "ISIZE");
        byte[] reservedFlag = member.clone();
        reservedFlag[3] = (byte) 0x20;
        assertMalformedGzip(reservedFlag, "reserved");
        byte[] notDeflate = member.clone();
        notDeflate[2] = 7;
        assertMalformedGzip(notDeflate, "deflate");
    }

    @Test
    void decode_memberWithOptionalHeaderFields_readsTheList() throws Exception {
        byte[] member = gzip(Bitstring.create(Bitstring.MIN_ENTRIES, 1).with(99, 1).toBytes());
        // RFC 1952 §2.3.1: FEXTRA (2-byte length, data) then FNAME (zero-terminated) after the 10-byte header
        byte[] optional = {3, 0, 'a', 'b', 'c', 'l', 'i', 's', 't', 0};
        byte[] named = concat(concat(Arrays.copyOf(member, 10), optional), Arrays.copyOfRange(member, 10, member.length));
        named[3] = (byte) 0x0c;
        assertEquals(1, Bitstring.decode(encoded(named), 1).get(99));
    }

    private static void assertMalformedGzip(byte[] gz, String why) {
        ProblemException e = assertThrows(ProblemException.class, () -> Bitstring.decode(encoded(gz), 1));
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR, e.type());
        assertTrue(e.problem().detail().contains(why), e.problem().detail());
    }

    private static String encoded(byte[] gz) {
        return "u" + Base64Url.encode(gz);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void entryChecksFollowTheValidationAlgorithm() {
        URI listId = URI.create("https://acme.example/status/1");
        Bitstring list = Bitstring.create(Bitstring.MIN_ENTRIES, 1).with(42, 1);
        Credential listVc = Credential.of(StatusListCredentials.credential(listId, "did:web:acme.example", StatusPurpose.REVOCATION,
                list, Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-02T00:00:00Z")));
        StatusEntry revoked = entry(listId, "revocation", 42);
        assertTrue(StatusListCredentials.check(revoked, listVc).isSet());
        assertEquals(0, StatusListCredentials.check(entry(listId, "revocation", 43), listVc).value());
        assertEquals(ProblemType.STATUS_VERIFICATION_ERROR,
                assertThrows(ProblemException.class, () -> StatusListCredentials.check(entry(listId, "suspension", 42), listVc)).type());
        assertEquals(ProblemType.STATUS_VERIFICATION_ERROR, assertThrows(ProblemException.class,
                () -> StatusListCredentials.check(entry(URI.create("https://acme.example/status/9"), "revocation", 42), listVc)).type());
        assertEquals(ProblemType.RANGE_ERROR, assertThrows(ProblemException.class,
                () -> StatusListCredentials.check(entry(listId, "revocation", Bitstring.MIN_ENTRIES + 5L), listVc)).type());
    }

    @Test
    void multiBitEntriesAndMalformedListCredentials() {
        URI listId = URI.create("https://acme.example/status/2");
        Bitstring list = Bitstring.create(Bitstring.MIN_ENTRIES, 2).with(9, 3);
        ObjectNode json = StatusListCredentials.credential(listId, "did:web:acme.example", StatusPurpose.MESSAGE, list,
                Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-02T00:00:00Z"));
        Credential listVc = Credential.of(json);
        StatusEntry message = new StatusEntry(Optional.empty(), StatusEntry.BITSTRING_TYPE, Optional.of("message"), Optional.of(9L),
                Optional.of(listId), 2);
        StatusListCredentials.Status status = StatusListCredentials.check(message, listVc);
        assertEquals(StatusPurpose.MESSAGE, status.purpose());
        assertEquals(3, status.value());
        // Read with the wrong statusSize, the same bytes hold twice as many entries: index 9 is another value.
        StatusEntry oneBit = new StatusEntry(Optional.empty(), StatusEntry.BITSTRING_TYPE, Optional.of("message"), Optional.of(9L),
                Optional.of(listId), 1);
        assertEquals(0, StatusListCredentials.check(oneBit, listVc).value());

        StatusEntry other = new StatusEntry(Optional.empty(), "StatusList2021Entry", Optional.empty(), Optional.empty(),
                Optional.empty(), 1);
        assertEquals(ProblemType.STATUS_VERIFICATION_ERROR,
                assertThrows(ProblemException.class, () -> StatusListCredentials.check(other, listVc)).type());
        ObjectNode notAList = json.deepCopy();
        notAList.putArray("type").add("VerifiableCredential");
        assertEquals(ProblemType.STATUS_VERIFICATION_ERROR,
                assertThrows(ProblemException.class, () -> StatusListCredentials.check(message, Credential.of(notAList))).type());
        ObjectNode wrongSubject = json.deepCopy();
        ((ObjectNode) wrongSubject.get("credentialSubject")).put("type", "StatusList2021");
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR,
                assertThrows(ProblemException.class, () -> StatusListCredentials.check(message, Credential.of(wrongSubject))).type());
        ObjectNode noList = json.deepCopy();
        ((ObjectNode) noList.get("credentialSubject")).remove("encodedList");
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR,
                assertThrows(ProblemException.class, () -> StatusListCredentials.check(message, Credential.of(noList))).type());
        ObjectNode shortList = json.deepCopy();
        ((ObjectNode) shortList.get("credentialSubject")).put("encodedList", Bitstring.create(Bitstring.MIN_ENTRIES, 1).encode());
        assertEquals(ProblemType.STATUS_LIST_LENGTH_ERROR,
                assertThrows(ProblemException.class, () -> StatusListCredentials.check(message, Credential.of(shortList))).type(),
                "131,072 one-bit entries are only 65,536 two-bit entries");
    }

    @Test
    void sizesAndIndexesOutsideTheListAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Bitstring.create(Bitstring.MIN_ENTRIES - 1, 1));
        Bitstring list = Bitstring.create(Bitstring.MIN_ENTRIES, 1);
        assertEquals(ProblemType.RANGE_ERROR, assertThrows(ProblemException.class, () -> list.get(-1)).type());
        assertEquals(ProblemType.RANGE_ERROR, assertThrows(ProblemException.class, () -> list.get(Bitstring.MIN_ENTRIES)).type());
        assertThrows(IllegalArgumentException.class, () -> list.with(1, 2));
        assertEquals(ProblemType.MALFORMED_VALUE_ERROR,
                assertThrows(ProblemException.class, () -> Bitstring.decode(list.encode(), 0)).type());
    }

    private static StatusEntry entry(URI list, String purpose, long index) {
        return new StatusEntry(Optional.empty(), StatusEntry.BITSTRING_TYPE, Optional.of(purpose), Optional.of(index),
                Optional.of(list), 1);
    }

    private static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    private static byte[] inflate(byte[] data) {
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(data))) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
