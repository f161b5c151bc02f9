package dev.tabard.issuer.store;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;

/**
 * An issuer instance in a process of its own, for {@link KilledInstanceTest} to kill: {@code issue} issues from eight
 * threads until killed, {@code bootstrap} holds the bootstrap lock until killed. Prints {@code ready} when under way.
 */
public final class StoreProcess {

    private StoreProcess() {
    }

    public static void main(String[] args) throws Exception {
        PostgresIssuerStore store = PostgresIssuerStore.open(new DatabaseSettings(args[0], args[1], ""), Path.of(args[2]),
                Clock.systemUTC(), new SecureRandom());
        StoreFixtures.keyAndSign(store);
        if (args[3].equals("bootstrap")) {
            store.bootstrapping(() -> {
                System.out.println("ready");
                System.out.flush();
                try {
                    new CountDownLatch(1).await(); // until killed
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            });
            return;
        }
        CountDownLatch issued = new CountDownLatch(200);
        for (int t = 0; t < 8; t++) {
            Thread worker = new Thread(() -> {
                while (true) {
                    StoreFixtures.issue(store);
                    issued.countDown();
                }
            });
            worker.start();
        }
        issued.await();
        System.out.println("ready");
        System.out.flush();
    }
}
