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
