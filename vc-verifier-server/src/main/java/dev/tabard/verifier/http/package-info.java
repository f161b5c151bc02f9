/**
 * The W3C VC-API verification endpoint over a {@link dev.tabard.verifier.Verifier}, on the shared HTTP transport
 * ({@code http-service}). Its own module, so that the library and the wallet carry no server. Instances behind one
 * load balancer share accepted presentations and issued challenges through a {@link dev.tabard.verifier.http.RedisStore}
 * (without one, each remembers its own, in memory).
 *
 * <pre>{@code
 * RedisStore shared = RedisStore.connect(RedisConfig.parse("redis://redis.internal:6379"), Clock.systemUTC());
 * Verifier verifier = Verifier.builder().trustPolicy(policy).replayStore(shared).build();
 * try (VerifierServer server = VerifierServer.builder(verifier).domain("https://rp.example").replayStore(shared).port(8080).start()) {
 *     // POST /presentations/verify, /credentials/verify, /challenges …
 * }
 * }</pre>
 */
package dev.tabard.verifier.http;
