package dev.tabard.wallet;

import dev.tabard.wallet.store.StoredCredential;
import dev.tabard.wallet.store.WalletStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;

/** Writes credentials to a wallet file as fast as it can, printing each committed count; the test kills it. */
public final class WalletWriterProcess {

    private WalletWriterProcess() {
    }

    public static void main(String[] args) {
        try (WalletStore store = WalletStore.open(Path.of(args[0]))) {
            for (int i = 0; ; i++) {
                store.put(StoredCredential.of("urn:uuid:" + args[1] + "-" + i, "token-" + i, "did:web:acme.example",
                        Set.of("AgentCredential"), Set.of("supplier:lookup"), Instant.now()).withValidUntil(Instant.now().plusSeconds(3600)));
                System.out.println(i + 1);
                System.out.flush();
            }
        }
    }
}
