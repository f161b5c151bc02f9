package dev.tabard.audit;

import dev.tabard.crypto.KeyPair;
import dev.tabard.crypto.KeyType;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;

/**
 * Appends to the file log {@code FILE} without pause until killed, for {@link AuditFileCrashTest}:
 * {@code AuditFileWriterProcess FILE N}, signing as key {@code writer-N}. Prints {@code open} once it holds the file, then every
 * {@link #ACKS_PER_LINE}th acknowledged seq, so the test knows what must survive the kill.
 */
public final class AuditFileWriterProcess {

    static final int ACKS_PER_LINE = 50;

    private AuditFileWriterProcess() {
    }

    public static void main(String[] args) {
        KeyPair key = KeyPair.generate(KeyType.ED25519, new SecureRandom());
        AuditFile log = AuditFile.open(Path.of(args[0]), new AuditKey("writer-" + args[1], key), Clock.systemUTC(), HeadPolicy.DEFAULT);
        System.out.println("open");
        for (long i = 0; ; i++) {
            // details of varying length, so a kill can land anywhere inside a line
            AuditEntry e = log.append("did:key:z6Mkcaller", i % 5 == 0 ? "call.refuse" : "call.accept", "POST /orders",
                    "{\"pad\":\"" + "x".repeat((int) (i % 300)) + "\"}");
            if (e.seq() % ACKS_PER_LINE == 0) {
                System.out.println(e.seq());
            }
        }
    }
}
