package dev.tabard.vectors.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.vc.Credential;
import dev.tabard.vc.StatusEntry;
import dev.tabard.vc.status.Bitstring;
import dev.tabard.vc.status.StatusListCredentials;
import dev.tabard.vc.status.StatusPurpose;
import dev.tabard.vectors.Vectors;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Bitstring Status List v1.0 (w3c/vc-bitstring-status-list 74fcae11). The repository has no test suite of its own;
 * the vectors here are the spec's: its all-zero 16 KiB {@code encodedList} example, its example entry and list
 * credential (§2.1, §2.2), and the terms of its published context, which our documents must only use.
 */
class StatusListVectorsTest {

    /** The spec's encoding of 131,072 zero bits (Bitstring Status List v1.0 §2.2 example). */
    private static final String SPEC_EMPTY_LIST = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA";

    @Test
    void specVectors() {
        int cases = 0;
        int ok = 0;

        // 1. The spec's empty list decodes to the minimum length, all zero, at statusSize 1.
        Bitstring empty = Bitstring.decode(SPEC_EMPTY_LIST, 1);
        assertEquals(Bitstring.MIN_ENTRIES, empty.length());
        assertEquals(0, empty.get(0) + empty.get(Bitstring.MIN_ENTRIES - 1));
        cases++;
        ok++;

        // 2. Our encoding of the same list decodes to the same bits (GZIP headers may differ byte for byte).
        assertEquals(empty, Bitstring.decode(Bitstring.create(Bitstring.MIN_ENTRIES, 1).encode(), 1));
        cases++;
        ok++;

        // 3. Read as 2-bit entries the same bytes hold 65,536 entries: below the minimum.
        assertEquals(ProblemType.STATUS_LIST_LENGTH_ERROR,
                assertThrows(ProblemException.class, () -> Bitstring.decode(SPEC_EMPTY_LIST, 2)).type());
        cases++;
        ok++;

        // 4. The spec's example entry (§2.1) checked against the spec's example list (§2.2), with that list.
        ObjectNode vc = (ObjectNode) JsonCodec.parse(("{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],"
                + "\"id\":\"https://example.com/credentials/23894672394\",\"type\":[\"VerifiableCredential\"],"
                + "\"issuer\":\"did:example:12345\",\"validFrom\":\"2021-04-05T14:27:42Z\","
                + "\"credentialStatus\":{\"id\":\"https://example.com/credentials/status/3#94567\",\"type\":\"BitstringStatusListEntry\","
                + "\"statusPurpose\":\"revocation\",\"statusListIndex\":\"94567\","
                + "\"statusListCredential\":\"https://example.com/credentials/status/3\"},"
                + "\"credentialSubject\":{\"id\":\"did:example:6789\",\"type\":\"Person\"}}").getBytes(StandardCharsets.UTF_8));
        StatusEntry entry = Credential.of(vc).statuses().get(0);
        ObjectNode listJson = (ObjectNode) JsonCodec.parse(("{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],"
                + "\"id\":\"https://example.com/credentials/status/3\",\"type\":[\"VerifiableCredential\",\"BitstringStatusListCredential\"],"
                + "\"issuer\":\"did:example:12345\",\"validFrom\":\"2021-04-05T14:27:40Z\","
                + "\"credentialSubject\":{\"id\":\"https://example.com/status/3#list\",\"type\":\"BitstringStatusList\","
                + "\"statusPurpose\":\"revocation\",\"encodedList\":\"" + SPEC_EMPTY_LIST + "\"}}").getBytes(StandardCharsets.UTF_8));
        assertEquals(0, StatusListCredentials.check(entry, Credential.of(listJson)).value());
        cases++;
        ok++;

        // 5. The same entry once its bit is set in a list we build: revoked.
        ObjectNode revoked = StatusListCredentials.credential(URI.create("https://example.com/credentials/status/3"),
                "did:example:12345", StatusPurpose.REVOCATION, empty.with(94567, 1),
                Instant.parse("2021-04-05T14:27:40Z"), Instant.parse("2031-04-05T14:27:40Z"));
        assertEquals(true, StatusListCredentials.check(entry, Credential.of(revoked)).isSet());
        cases++;
        ok++;

        // 6. The terms our list credentials and entries use are all defined by the published status context.
        JsonNode context = Vectors.json("w3c-vc-bitstring-status-list/contexts/v1.jsonld").get("@context");
        String text = context.toString();
        for (String term : Set.of("BitstringStatusListCredential", "BitstringStatusList", "BitstringStatusListEntry",
                "statusPurpose", "encodedList", "statusListIndex", "statusListCredential", "statusSize", "statusMessage", "ttl")) {
            assertEquals(true, text.contains("\"" + term + "\""), term);
        }
        cases++;
        ok++;

        Vectors.report("w3c bitstring status list v1.0 (spec examples and context terms)", cases, ok);
    }
}
