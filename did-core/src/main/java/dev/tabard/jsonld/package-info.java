/**
 * JSON-LD processing over bundled contexts only, with safe-mode checks and a bounded RDFC-1.0.
 *
 * <p>{@link dev.tabard.jsonld.BundledContexts} is the static loader (no network, no {@code file:}); {@link
 * dev.tabard.jsonld.Rdfc} turns a document into canonical N-Quads, refusing unknown contexts and data expansion would
 * drop. titanium-json-ld's API is used where it suffices; its internal classes are called from one package-private
 * class, {@code TitaniumInternals}, whose test names it and the titanium version when an upgrade changes them.
 *
 * <pre>{@code
 * String nquads = Rdfc.canonicalize(credentialJson, BundledContexts.standard()); // ProblemException on unsafe input
 * }</pre>
 */
package dev.tabard.jsonld;
