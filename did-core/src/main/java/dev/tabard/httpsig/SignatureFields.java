package dev.tabard.httpsig;

import java.util.Objects;

/**
 * The two Dictionary members a new signature adds to its message (RFC 9421 §4): {@code signatureInput} goes into
 * the Signature-Input field, {@code signature} into the Signature field, both under {@code label}.
 *
 * @param label the signature's label, e.g. {@code sig1}
 * @param signatureInput the Signature-Input member, e.g. {@code sig1=("@method" "@target-uri");created=1618884473}
 * @param signature the Signature member, e.g. {@code sig1=:base64:}
 */
public record SignatureFields(String label, String signatureInput, String signature) {

    public SignatureFields {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(signatureInput, "signatureInput");
        Objects.requireNonNull(signature, "signature");
    }

    /**
     * {@code fields} with the two members added as further Signature-Input and Signature field lines; HTTP combines
     * field lines with commas, which is how Dictionary members join (RFC 8941 §4.2).
     */
    public HttpFields addTo(HttpFields fields) {
        return fields.toBuilder().add("Signature-Input", signatureInput).add("Signature", signature).build();
    }

    /** {@code message} with the two members added to its fields. */
    public HttpMessage addTo(HttpMessage message) {
        return message.withFields(addTo(message.fields()));
    }
}
