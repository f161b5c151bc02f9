/**
 * Encodings shared by every format: strict base64url, base58btc, multibase, multicodec key prefixes and
 * the one bounded Jackson configuration for untrusted JSON.
 *
 * <pre>{@code
 * byte[] key = Multicodec.decode(Multibase.decode("z6Mk...")).raw();
 * JsonNode doc = JsonCodec.parse(bytes); // duplicate keys, depth > 100, > 1 MB: typed problems
 * }</pre>
 */
package dev.tabard.codec;
