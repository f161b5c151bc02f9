/**
 * HTTP Message Signatures (RFC 9421) and Content-Digest (RFC 9530), with Tabard's key types. A signer builds an
 * {@link dev.tabard.httpsig.HttpMessage}, chooses its {@link dev.tabard.httpsig.ComponentId}s and
 * {@link dev.tabard.httpsig.SignatureParameters}, and adds the two {@link dev.tabard.httpsig.SignatureFields} members
 * to the message; a verifier reads every signature with {@link dev.tabard.httpsig.MessageSignatures#read}, applies its
 * policy (required components, time window, nonce, key from {@code keyid}) to the parsed values, and calls
 * {@link dev.tabard.httpsig.ReceivedSignature#verify}. A response signature covers request components with
 * {@code ;req}, such as the request's own Signature member.
 *
 * <pre>{@code
 * byte[] body = ...;
 * HttpMessage request = HttpMessage.request("POST", URI.create("https://gate.example/orders"), HttpFields.builder()
 *         .add("Content-Type", "application/json").add("Content-Digest", ContentDigest.sha256(body)).build());
 * SignatureFields sig = MessageSignatures.sign(request, "sig1",
 *         List.of(ComponentId.METHOD, ComponentId.TARGET_URI, ComponentId.field("content-digest")),
 *         SignatureParameters.none().withCreated(clock.instant()).withKeyid(keyId.toString()), keyPair);
 * HttpMessage signed = sig.addTo(request);
 * // the receiver
 * ReceivedSignature received = MessageSignatures.read(signed).get(0);
 * received.verify(signed, key);                         // throws ProblemException when it does not hold
 * ContentDigest.verify(signed.fields().first("content-digest").orElseThrow(), body);
 * }</pre>
 */
package dev.tabard.httpsig;
