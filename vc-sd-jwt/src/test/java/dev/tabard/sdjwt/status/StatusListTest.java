package dev.tabard.sdjwt.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tabard.codec.Base64Url;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import dev.tabard.testing.ManualClock;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StatusListTest {

    private static final URI URI_1 = URI.create("https://issuer.example/status/1");
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    @ParameterizedTest(name = "bits={0}")
    @ValueSource(ints = {1, 2, 4, 8})
    void withGetEncodeDecode_roundTrip(int bits) {
        long seed = new Random().nextLong();
        Random r = new Random(seed);
        StatusList list = StatusList.of(bits, 1000);
        int[] expected = new int[1000];
        for (int i = 0; i < 300; i++) {
            int idx = r.nextInt(1000);
            int v = r.nextInt(1 << bits);
            list = list.with(idx, v);
            expected[idx] = v;
        }
        StatusList decoded = StatusList.decode(bits, list.encode());
        for (int i = 0; i < 1000; i++) {
            assertEquals(expected[i], decoded.get(i), "seed " + seed + " index " + i);
        }
        assertEquals(list, decoded);
    }

    @Test
    void get_indexPastTheEnd_failsWithLengthError() {
        ProblemException e = assertThrows(ProblemException.class, () -> StatusList.of(1, 8).get(8));
        assertEquals(ProblemType.STATUS_LIST_LENGTH_ERROR, e.type());
    }

    @Test
    void decode_bomb_failsWithLengthErrorBeforeInflatingAll() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(out, new Deflater(9, false))) {
            z.write(new byte[StatusList.MAX_BYTES + 1]);
        }
        String lst = Base64Url.encode(out.toByteArray());
        ProblemException e = assertThrows(ProblemException.class, () -> StatusList.decode(1, lst));
        assertEquals(ProblemType.STATUS_LIST_LENGTH_ERROR, e.type());
    }

    @Test
    void decode_badBitsOrNotZlib_failsWithStatusVerificationError() {
        assertEquals(ProblemType.STATUS_VERIFICATION_ERROR,
                assertThrows(ProblemException.class, () -> StatusList.decode(3, "eNrbuRgAAhcBXQ")).type());
        assertEquals(ProblemType.STATUS_VERIFICATION_ERROR,
                assertThrows(ProblemException.class, () -> StatusList.decode(1, Base64Url.encode(new byte[] {1, 2, 3}))).type());
    }

    private final KeyPair issuer = KeyPair.generate(KeyType.P256, new SecureRandom());

    private String token(URI sub, Instant iat, Optional<Instant> exp) {
        StatusList list = StatusList.of(2, 64).with(3, 1).with(4, 2).with(5, 3);
        return new StatusListToken(sub, iat, exp, Optional.of(Duration.ofMinutes(10)), list)
                .sign(issuer, "did:example:org#k", "did:example:org");
    }

    @Test
    void token_signVerify_givesStatuses() {
        StatusListToken t = StatusListToken.verify(token(URI_1, NOW, Optional.of(NOW.plusSeconds(3600))), issuer.publicKey(), URI_1,
                new ManualClock(NOW), Duration.ofSeconds(60));
        assertEquals(TokenStatus.VALID, t.status(0));
        assertEquals(TokenStatus.INVALID, t.status(3));
        assertEquals(TokenStatus.SUSPENDED, t.status(4));
        assertEquals(TokenStatus.OTHER, t.status(5));
        assertEquals(Optional.of(Duration.ofMinutes(10)), t.ttl());
        assertEquals(Optional.of("did:example:org#k"), StatusListToken.kid(token(URI_1, NOW, Optional.empty())));
    }

    @Test
    void token_wrongSubExpiredFutureOrWrongKey_failWithStatusVerificationError() {
        ManualClock clock = new ManualClock(NOW);
        Duration skew = Duration.ofSeconds(60);
        KeyPair other = KeyPair.generate(KeyType.P256, new SecureRandom());
        for (Runnable r : new Runnable[] {
            () -> StatusListToken.verify(token(URI.create("https://issuer.example/status/2"), NOW, Optional.empty()), issuer.publicKey(), URI_1, clock, skew),
            () -> StatusListToken.verify(token(URI_1, NOW.minusSeconds(7200), Optional.of(NOW.minusSeconds(3600))), issuer.publicKey(), URI_1, clock, skew),
            () -> StatusListToken.verify(token(URI_1, NOW.plusSeconds(600), Optional.empty()), issuer.publicKey(), URI_1, clock, skew),
            () -> StatusListToken.verify(token(URI_1, NOW, Optional.empty()), other.publicKey(), URI_1, clock, skew),
        }) {
            assertEquals(ProblemType.STATUS_VERIFICATION_ERROR, assertThrows(ProblemException.class, r::run).type());
        }
    }
}
