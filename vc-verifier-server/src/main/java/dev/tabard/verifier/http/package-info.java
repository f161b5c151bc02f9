/**
 * The W3C VC-API verification endpoint over a {@link dev.tabard.verifier.Verifier}, on the shared HTTP transport
 * ({@code http-service}). Its own module, so that the library and the wallet carry no server.
 *
 * <pre>{@code
 * try (VerifierServer server = VerifierServer.builder(verifier).domain("https://rp.example").port(8080).start()) {
 *     // POST /presentations/verify, /credentials/verify, /challenges …
 * }
 * }</pre>
 */
package dev.tabard.verifier.http;
