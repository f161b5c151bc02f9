/**
 * RFC 8941 Structured Field Values for HTTP: a strict parser and the canonical serializer, the two halves RFC 9421
 * needs (Signature-Input and Signature are Dictionaries; {@code ;sf} and {@code ;key} re-serialize a field). Not API:
 * callers use {@link dev.tabard.httpsig}.
 *
 * <pre>{@code
 * List<StructuredFields.DictionaryMember> members = SfParser.parseDictionary("a=1, b=(x y);p", true);
 * String canonical = StructuredFields.serializeDictionary(members); // "a=1, b=(x y);p"
 * }</pre>
 */
package dev.tabard.httpsig.internal;
