package dev.tabard.httpsig;

import dev.tabard.crypto.Bytes;
import dev.tabard.crypto.VerificationKey;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * One signature read from a message by {@link MessageSignatures#read}: its label, covered components, parameters
 * and value, parsed but not yet verified. A final class rather than a record, so that only the reader makes one.
 */
public final class ReceivedSignature {

    private final String label;
    private final List<ComponentId> components;
    private final SignatureParameters parameters;
    private final Bytes signature;
    private final String signatureParams;
    private final String signatureMember;

    ReceivedSignature(String label, List<ComponentId> components, SignatureParameters parameters, Bytes signature,
                      String signatureParams, String signatureMember) {
        this.label = label;
        this.components = List.copyOf(components);
        this.parameters = parameters;
        this.signature = signature;
        this.signatureParams = signatureParams;
        this.signatureMember = signatureMember;
    }

    public String label() {
        return label;
    }

    /** The covered components, in the signed order. */
    public List<ComponentId> components() {
        return components;
    }

    public SignatureParameters parameters() {
        return parameters;
    }

    /** The signature value; a copy. */
    public byte[] signature() {
        return signature.toByteArray();
    }

    /** The Signature-Input member, strictly serialized: {@code sig1=("@method" ...);created=...}. */
    public String signatureInputMember() {
        return label + "=" + signatureParams;
    }

    /** The Signature member, strictly serialized: {@code sig1=:...:}. */
    public String signatureMember() {
        return signatureMember;
    }

    /** Whether {@code id} is among the covered components (parameter order aside). */
    public boolean covers(ComponentId id) {
        return components.contains(Objects.requireNonNull(id, "id"));
    }

    /**
     * The base this signature signs, rebuilt from {@code message} (§3.2 step 7).
     *
     * @throws ProblemException {@code MALFORMED_VALUE_ERROR} for a covered component the message lacks,
     *     {@code INPUT_TOO_LARGE} over {@link MessageSignatures#MAX_BASE_LENGTH}
     */
    public String signatureBase(HttpMessage message) {
        Objects.requireNonNull(message, "message");
        return SignatureBase.build(message, components, signatureParams);
    }

    /**
     * Checks this signature over {@code message}'s base with {@code key}. The key's type decides the algorithm; an
     * {@code alg} parameter, when present, must name that algorithm (§3.2 step 6.4).
     *
     * <p><b>Security:</b> the verifier is the crypto package's: ECDSA signatures must be r‖s of exactly the curve's
     * length (a DER signature is refused), Ed25519 signatures canonical. Only the signature is checked: which
     * components must be covered, and the time window, are the caller's policy.
     *
     * @throws ProblemException {@code ALGORITHM_NOT_ALLOWED} for an {@code alg} that is not the key's;
     *     {@code MALFORMED_VALUE_ERROR} when the base cannot be rebuilt; {@code CRYPTOGRAPHIC_SECURITY_ERROR} when the
     *     signature does not verify
     */
    public void verify(HttpMessage message, VerificationKey key) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(key, "key");
        String expected = MessageSignatures.algorithm(key.type());
        if (parameters.alg().isPresent() && !parameters.alg().get().equals(expected)) {
            throw new ProblemException(ProblemType.ALGORITHM_NOT_ALLOWED,
                    "signature " + label + " names alg " + parameters.alg().get() + ", the key is " + expected);
        }
        byte[] base = signatureBase(message).getBytes(StandardCharsets.US_ASCII);
        key.verifier().verify(base, signature.toByteArray());
    }

    @Override
    public String toString() {
        return "ReceivedSignature(" + signatureInputMember() + ")";
    }
}
