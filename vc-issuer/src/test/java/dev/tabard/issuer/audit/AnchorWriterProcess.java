package dev.tabard.issuer.audit;

import dev.tabard.audit.AuditCheckpoint;
import dev.tabard.audit.AuditKey;
import dev.tabard.audit.SignedHead;
import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Rewrites the audit anchor in {@code DIR} without pause until killed, for {@link AuditAnchorTest}: {@code
 * AnchorWriterProcess DIR}. Prints a line every {@link #WRITES_PER_LINE} writes, so the test can kill it mid-write.
 */
public final class AnchorWriterProcess {

    static final int WRITES_PER_LINE = 10;

    private AnchorWriterProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        SecureRandom random = new SecureRandom();
        KeyPair key = KeyPair.generate(KeyType.ED25519, random);
        AuditKey signer = new AuditKey("key-1", key);
        byte[] hash = new byte[32];
        for (long seq = 1; ; seq++) {
            random.nextBytes(hash);
            // heads of different lengths, so a torn file would also show as a short or over-long one
            String keyPadding = "x".repeat((int) (seq % 200));
            AuditKey k = new AuditKey(signer.keyId() + keyPadding, key);
            SignedHead head = SignedHead.sign(seq, HexFormat.of().formatHex(hash), Instant.now(), k);
            AuditAnchor.write(dir, new AuditCheckpoint(head, key.publicKey()));
            if (seq % WRITES_PER_LINE == 0) {
                System.out.println(seq);
            }
        }
    }
}
