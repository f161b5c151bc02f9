package dev.tabard.verifier.http;

import dev.tabard.did.Did;
import java.time.Clock;

/**
 * A second verifier instance in its own JVM, on the same Redis: {@code VerifierProcess REDIS_URL PREFIX ORG_DID}.
 * Serves two endpoints, one taking callers' own challenges and one requiring issued ones, and prints one line,
 * {@code serving OPEN_PORT STRICT_PORT}.
 */
public final class VerifierProcess {

    private VerifierProcess() {
    }

    public static void main(String[] args) throws Exception {
        RedisStore store = RedisStore.connect(RedisConfig.parse(args[0]).withPrefix(args[1]), Clock.systemUTC());
        Did org = Did.parse(args[2]);
        VerifierServer open = SharedStateFixture.server(org, store, false);
        VerifierServer strict = SharedStateFixture.server(org, store, true);
        System.out.println("serving " + open.port() + " " + strict.port());
        System.out.flush();
        Thread.currentThread().join();
    }
}
