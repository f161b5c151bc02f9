package dev.tabard.httpsig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SignatureParametersTest {

    @Test
    void with_keepsTheOrderOfCalls_replacingKeepsThePlace() {
        SignatureParameters p = SignatureParameters.none().withKeyid("k").withAlg("ed25519")
                .withCreated(Instant.ofEpochSecond(1618884475, 999_000_000)).withExpires(Instant.ofEpochSecond(1618884775));
        assertEquals(List.of("keyid", "alg", "created", "expires"), p.order());
        assertEquals(";keyid=\"k\";alg=\"ed25519\";created=1618884475;expires=1618884775",
                dev.tabard.httpsig.internal.StructuredFields.serializeParameters(p.toParameters()));
        SignatureParameters q = p.withKeyid("other");
        assertEquals(p.order(), q.order());
        assertEquals(Optional.of("other"), q.keyid());
        assertEquals(Optional.of(Instant.ofEpochSecond(1618884475)), p.createdAt());
        assertEquals(Optional.of(Instant.ofEpochSecond(1618884775)), p.expiresAt());
    }

    @Test
    void sixArgumentConstructor_usesTheRegistryOrder() {
        SignatureParameters p = new SignatureParameters(Optional.of(1L), Optional.empty(), Optional.of("n"), Optional.empty(),
                Optional.of("k"), Optional.empty());
        assertEquals(List.of("created", "nonce", "keyid"), p.order());
    }

    @Test
    void constructor_inconsistent_throwsIllegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> new SignatureParameters(Optional.of(1L), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> SignatureParameters.none().withNonce("line\nbreak"));
        assertThrows(IllegalArgumentException.class, () -> SignatureParameters.none().withCreated(Instant.ofEpochSecond(-1)));
    }
}
