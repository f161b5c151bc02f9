/**
 * The gate over HTTP: {@link dev.tabard.gate.http.GatePlugin} puts it in front of a Javalin application's routes, and
 * {@link dev.tabard.gate.http.GateServer} runs it as a reverse proxy in front of any HTTP service, passing the verified
 * caller to it in {@code Tabard-*} fields it strips from incoming requests.
 *
 * <pre>{@code
 * GateServer proxy = GateServer.builder(gate, URI.create("http://127.0.0.1:9000")).port(8443).tls(tls).start();
 * }</pre>
 */
package dev.tabard.gate.http;
