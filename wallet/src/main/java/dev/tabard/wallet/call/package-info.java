/**
 * The client side of agent-to-agent calls: {@link dev.tabard.wallet.call.AgentHttpClient} signs every request with the
 * wallet's key (RFC 9421, with an RFC 9530 content digest), presents the wallet's credential or delegation chain on
 * first contact, and accepts an answer only when it is signed by an agent whose own presentation this client's verifier
 * accepted.
 *
 * <pre>{@code
 * AgentHttpClient client = AgentHttpClient.of(wallet, verifier, HttpClient.newHttpClient(), Clock.systemUTC());
 * AgentResponse r = client.send(AgentRequest.post(URI.create("https://gate.supplier.example/orders"), "application/json", body));
 * }</pre>
 */
package dev.tabard.wallet.call;
