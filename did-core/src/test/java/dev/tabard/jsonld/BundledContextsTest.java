package dev.tabard.jsonld;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BundledContextsTest {

    @Test
    void standard_examplesContextNotProcessed() {
        assertFalse(BundledContexts.standard().knows(BundledContexts.W3C_EXAMPLES_V2));
        assertEquals(Optional.empty(), BundledContexts.standard().bytes(BundledContexts.W3C_EXAMPLES_V2));
    }

    @Test
    void withW3cExamplesContextForConformanceRuns_knowsItAndKeepsTheRest() throws Exception {
        BundledContexts relaxed = BundledContexts.standard().withW3cExamplesContextForConformanceRuns();
        assertTrue(relaxed.knows(BundledContexts.W3C_EXAMPLES_V2));
        assertTrue(relaxed.knows(BundledContexts.CREDENTIALS_V2));
        assertFalse(relaxed.allowsInlineContexts());
        // sha-256 of contexts/credentials/examples/v2 at w3c/vc-data-model (see test-vectors w3c-vc-data-model/SOURCES.md)
        assertEquals("57393fbc69d6efb9b9b5dc9cb6b9880b0944360abfe2eaf459c9e58cf2279d7c", HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(relaxed.bytes(BundledContexts.W3C_EXAMPLES_V2).orElseThrow())));
    }

    @Test
    void bytes_credentialsV2_isTheContextAsPublished() throws Exception {
        // the sha384 test-vectors' w3c-vc-data-model/SOURCES.md records for contexts/credentials/v2 as published
        assertEquals("l/HrjlBCNWyAX91hr6LFV2Y3heB5Tcr6IeE4/Tje8YyzYBM8IhqjHWiWpr8+ZbYU", java.util.Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-384").digest(BundledContexts.standard().bytes(BundledContexts.CREDENTIALS_V2).orElseThrow())));
    }

    @Test
    void with_contextOverTheLimit_refused() {
        byte[] big = new byte[BundledContexts.MAX_CONTEXT_BYTES + 1];
        assertThrows(IllegalArgumentException.class, () -> BundledContexts.standard().with("https://example.com/big", big));
    }

    @Test
    void with_keepsTheExactBytes() {
        byte[] ctx = "{\"@context\":{\"x\":\"https://example.com/x\"}}".getBytes();
        assertArrayEquals(ctx, BundledContexts.standard().with("https://example.com/c", ctx).bytes("https://example.com/c").orElseThrow());
    }
}
