/**
 * The server side of agent-to-agent calls. {@link dev.tabard.gate.Gate} admits a request only when it is signed (RFC
 * 9421) by a key bound to a verified agent ({@link dev.tabard.gate.CallVerifier}), its route is declared
 * ({@link dev.tabard.gate.RouteActions}), the caller's credential or delegation chain allows the route's action, and
 * the caller is within its rate limits and not paused ({@link dev.tabard.gate.GateLimits}); every decision on a signed
 * call goes to the hash-chained {@link dev.tabard.gate.DecisionLog}, and every response is signed by the gate's own
 * agent, covering the request's signature and the decision's receipt.
 *
 * <pre>{@code
 * Gate gate = Gate.builder(verifier, new GateIdentity(wallet.keyId(), wallet.signer(), presenter), routes,
 *         DecisionLog.open(Path.of("decisions.jsonl"), wallet.signer(), wallet.keyId(), Clock.systemUTC())).build();
 * Admission a = gate.admit(new GateRequest(method, targetUri, fields, body));
 * HttpFields signed = gate.seal(a, a.accepted() ? 200 : a.status(), responseFields, responseBody);
 * }</pre>
 */
package dev.tabard.gate;
