package dev.tabard.httpsig;

import dev.tabard.crypto.KeyType;
import dev.tabard.crypto.Signer;
import dev.tabard.httpsig.internal.SfParser;
import dev.tabard.httpsig.internal.StructuredFields;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Creating (RFC 9421 §3.1) and reading (§3.2, §4) HTTP message signatures with Tabard's key types: {@code ed25519}
 * (§3.3.6), {@code ecdsa-p256-sha256} (§3.3.4) and {@code ecdsa-p384-sha384} (§3.3.5), ECDSA signatures as the raw
 * r‖s the RFC specifies (which is what {@link Signer} produces for the NIST curves).
 *
 * <p>What this class does not decide is policy (§3.2.1): which components must be covered, whether {@code created}
 * is recent or {@code expires} past, whether a {@code nonce} was seen, which key a {@code keyid} names. The caller
 * (the gate) does that with the parsed {@link ReceivedSignature}.
 *
 * <p>Every input is bounded before it is worked on: {@link #MAX_SIGNATURES} signatures per message,
 * {@link #MAX_COMPONENTS} components per signature, {@link #MAX_FIELD_LENGTH} characters per Signature-Input or
 * Signature field, {@link #MAX_BASE_LENGTH} characters of signature base.
 */
public final class MessageSignatures {

    /** Signatures read from one message; more is {@code LIMIT_EXCEEDED}. */
    public static final int MAX_SIGNATURES = 8;
    /** Components one signature covers; more is {@code LIMIT_EXCEEDED}. */
    public static final int MAX_COMPONENTS = 32;
    /** Characters of the combined Signature-Input, and of the combined Signature, field; more is {@code INPUT_TOO_LARGE}. */
    public static final int MAX_FIELD_LENGTH = 8 * 1024;
    /** Characters of a signature base; more is {@code INPUT_TOO_LARGE}. */
    public static final int MAX_BASE_LENGTH = 64 * 1024;

    private MessageSignatures() {
    }

    /**
     * Signs {@code components} of {@code message} with {@code params} (§3.1).
     *
     * @param label the signature's label, an sf-key such as {@code sig1}
     * @return the Signature-Input and Signature members to add to the message
     * @throws IllegalArgumentException for a label that is not an sf-key
     * @throws ProblemException {@code MALFORMED_VALUE_ERROR} for a component the message lacks or that does not
     *     apply to it, a duplicate component or a non-ASCII value; {@code LIMIT_EXCEEDED} or {@code INPUT_TOO_LARGE}
     *     over the bounds; {@code ALGORITHM_NOT_ALLOWED} when {@code params} name an {@code alg} that is not the
     *     signer's; the signer's {@code PROOF_GENERATION_ERROR}
     */
    public static SignatureFields sign(HttpMessage message, String label, List<ComponentId> components,
                                       SignatureParameters params, Signer signer) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(components, "components");
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(signer, "signer");
        if (!StructuredFields.isKey(label)) {
            throw new IllegalArgumentException("a signature label is an sf-key (lower case, digits, _-.*): " + label);
        }
        String expected = algorithm(signer.keyType());
        if (params.alg().isPresent() && !params.alg().get().equals(expected)) {
            throw new ProblemException(ProblemType.ALGORITHM_NOT_ALLOWED,
                    "alg " + params.alg().get() + " is not " + expected + ", the signing key's algorithm");
        }
        String paramsValue = signatureParams(components, params);
        String base = SignatureBase.build(message, List.copyOf(components), paramsValue);
        byte[] signature = signer.sign(base.getBytes(StandardCharsets.US_ASCII));
        return new SignatureFields(label, label + "=" + paramsValue,
                label + "=:" + Base64.getEncoder().encodeToString(signature) + ":");
    }

    /**
     * The signature base of {@code components} of {@code message} with {@code params} (§2.5), for tests and logs.
     *
     * @throws ProblemException as {@link #sign} does for components and bounds
     */
    public static String signatureBase(HttpMessage message, List<ComponentId> components, SignatureParameters params) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(components, "components");
        Objects.requireNonNull(params, "params");
        return SignatureBase.build(message, List.copyOf(components), signatureParams(components, params));
    }

    /** The {@code @signature-params} value: the components as an Inner List with the parameters (§2.3). */
    static String signatureParams(List<ComponentId> components, SignatureParameters params) {
        List<StructuredFields.Item> items = new ArrayList<>();
        for (ComponentId id : components) {
            items.add(id.toItem());
        }
        return StructuredFields.serializeMember(new StructuredFields.InnerList(items, params.toParameters()));
    }

    /**
     * Every signature on the message: the Signature-Input and Signature fields parsed, matched by label, and checked
     * for what RFC 9421 requires of them regardless of policy. Nothing is verified here; see
     * {@link ReceivedSignature#verify}. A message without either field has none.
     *
     * @return the signatures in Signature-Input order
     * @throws ProblemException {@code INPUT_TOO_LARGE} for a field over {@link #MAX_FIELD_LENGTH};
     *     {@code PARSING_ERROR} for a field that is not a Dictionary; {@code LIMIT_EXCEEDED} over
     *     {@link #MAX_SIGNATURES} or {@link #MAX_COMPONENTS}; {@code MALFORMED_VALUE_ERROR} for a label in one field
     *     and not the other, a label given twice, a Signature-Input member that is not an Inner List of component
     *     identifiers, an unsupported component or parameter, a duplicate component, {@code ;req} or {@code @status}
     *     in a request, or a Signature member that is not a Byte Sequence
     */
    public static List<ReceivedSignature> read(HttpMessage message) {
        Objects.requireNonNull(message, "message");
        HttpFields fields = message.fields();
        if (!fields.contains("signature-input") && !fields.contains("signature")) {
            return List.of();
        }
        Map<String, StructuredFields.Member> inputs = dictionary(fields, "signature-input");
        Map<String, StructuredFields.Member> signatures = dictionary(fields, "signature");
        for (String label : inputs.keySet()) {
            if (!signatures.containsKey(label)) {
                throw SignatureBase.malformed("signature " + label + " is in Signature-Input but not in Signature");
            }
        }
        for (String label : signatures.keySet()) {
            if (!inputs.containsKey(label)) {
                throw SignatureBase.malformed("signature " + label + " is in Signature but not in Signature-Input");
            }
        }
        List<ReceivedSignature> out = new ArrayList<>();
        for (Map.Entry<String, StructuredFields.Member> e : inputs.entrySet()) {
            String label = e.getKey();
            if (!(e.getValue() instanceof StructuredFields.InnerList list)) {
                throw SignatureBase.malformed("Signature-Input " + label + " is not an Inner List");
            }
            if (list.items().size() > MAX_COMPONENTS) {
                throw new ProblemException(ProblemType.LIMIT_EXCEEDED,
                        "signature " + label + " covers more than " + MAX_COMPONENTS + " components");
            }
            List<ComponentId> components = new ArrayList<>();
            for (StructuredFields.Item item : list.items()) {
                components.add(ComponentId.of(item));
            }
            SignatureBase.checkComponents(message, components);
            SignatureParameters params = SignatureParameters.fromParameters(list.parameters());
            if (!(signatures.get(label) instanceof StructuredFields.Item sig)
                    || !(sig.value() instanceof StructuredFields.ByteSequence bytes) || !sig.parameters().isEmpty()) {
                throw SignatureBase.malformed("Signature " + label + " is not a Byte Sequence");
            }
            String paramsValue = signatureParams(components, params);
            out.add(new ReceivedSignature(label, components, params, bytes.value(), paramsValue,
                    label + "=" + StructuredFields.serializeMember(sig)));
        }
        return List.copyOf(out);
    }

    private static Map<String, StructuredFields.Member> dictionary(HttpFields fields, String name) {
        List<String> values = new ArrayList<>();
        int length = 0;
        for (String v : fields.values(name)) {
            String trimmed = SignatureBase.trim(v);
            length += trimmed.length() + 2;
            if (length > MAX_FIELD_LENGTH + 2) {
                throw new ProblemException(ProblemType.INPUT_TOO_LARGE,
                        name + " is longer than " + MAX_FIELD_LENGTH + " characters");
            }
            values.add(trimmed);
        }
        List<StructuredFields.DictionaryMember> members = SfParser.parseDictionary(String.join(", ", values), false);
        if (members.size() > MAX_SIGNATURES) {
            throw new ProblemException(ProblemType.LIMIT_EXCEEDED,
                    name + " holds more than " + MAX_SIGNATURES + " signatures");
        }
        Map<String, StructuredFields.Member> out = new LinkedHashMap<>();
        members.forEach(m -> out.put(m.key(), m.value()));
        return out;
    }

    /**
     * The algorithm name RFC 9421 registers for a key type (§6.2.2): {@code ed25519}, {@code ecdsa-p256-sha256},
     * {@code ecdsa-p384-sha384}.
     */
    public static String algorithm(KeyType type) {
        Objects.requireNonNull(type, "type");
        switch (type) {
            case ED25519:
                return "ed25519";
            case P256:
                return "ecdsa-p256-sha256";
            case P384:
                return "ecdsa-p384-sha384";
            default:
                throw new IllegalStateException(type.name());
        }
    }
}
