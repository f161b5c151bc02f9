/**
 * Agent-to-agent calls, the part both sides share: the RFC 9421 profile of {@link dev.tabard.verifier.calls.AgentCalls}
 * and {@link dev.tabard.verifier.calls.AgentKeys}, which binds a peer's signing key to the agent its presentation
 * proved, so that later calls carry only a signature.
 *
 * <p>The gate (module agent-gate) binds callers' keys; the wallet's signing client binds the gate's.
 *
 * <pre>{@code
 * AgentKeys keys = AgentKeys.of(verifier, Clock.systemUTC());
 * BoundAgent caller = keys.bind(keyId, request.header("Tabard-Presentation"), signatureNonce, "https://gate.example");
 * keys.lookup(keyId);   // the same agent on later calls, until its credential ends or its status changes
 * }</pre>
 */
package dev.tabard.verifier.calls;
