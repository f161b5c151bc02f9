/**
 * Replay protection for presentations: a {@link dev.tabard.verifier.replay.ReplayStore} remembers what each accepted
 * presentation binds (hashed into {@link dev.tabard.verifier.replay.ReplayEntry} keys) until it expires and refuses it
 * a second time. {@link dev.tabard.verifier.replay.ReplayGuard} is the in-memory store and the default; verifier
 * instances behind one load balancer share a store instead (Redis, in the verifier endpoint's module).
 *
 * <pre>{@code
 * Verifier verifier = Verifier.builder().trustPolicy(policy)
 *         .replayStore(new ReplayGuard(100_000, Clock.systemUTC()))
 *         .build();
 * }</pre>
 */
package dev.tabard.verifier.replay;
