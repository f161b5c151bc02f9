package dev.tabard.verifier.calls;

import dev.tabard.did.DidUrl;
import dev.tabard.httpsig.ComponentId;
import dev.tabard.httpsig.HttpFields;
import dev.tabard.httpsig.HttpMessage;
import dev.tabard.httpsig.MessageSignatures;
import dev.tabard.httpsig.ReceivedSignature;
import dev.tabard.httpsig.SignatureParameters;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent-call profile of RFC 9421 that the signing client and the gate share: the fields, what each signature must
 * cover, and its time window.
 *
 * <p>A request is signed over {@code @method}, {@code @target-uri}, {@code content-digest} (RFC 9530, always sent,
 * empty bodies too), {@code content-type} when sent, and {@value #PRESENTATION} when sent, with {@code created},
 * {@code expires}, {@code nonce} and {@code keyid} (the agent's DID URL). A response is signed over {@code @status},
 * {@code content-digest}, {@code content-type}, {@value #DECISION} and {@value #PRESENTATION} when sent, and the
 * request's own signature ({@code "signature";req;key=…}), so it answers that request and no other.
 */
public final class AgentCalls {

    /** The label Tabard signs under; a gate accepts any label whose signature meets the profile. */
    public static final String LABEL = "tabard";
    /** Carries a vp+jwt: the caller's on first contact, the gate's when asked; its nonce is the request signature's. */
    public static final String PRESENTATION = "tabard-presentation";
    /** {@code ?1} on a request asks the gate to present its own credential with the response. */
    public static final String ASK_PRESENTATION = "tabard-ask-presentation";
    /** The gate's decision-log receipt on a response: {@code seq=12, hash="…"} (and {@code log="<key id>"}). */
    public static final String DECISION = "tabard-decision";
    /** The longest a request signature may be valid, from {@code created} to {@code expires} (SECURITY-NOTES). */
    public static final Duration MAX_LIFETIME = Duration.ofMinutes(5);
    /** How long the client signs a request for: long enough to cross a network, short enough to replay nothing later. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(30);
    /** Nonces are 16 to 128 characters: at least 96 bits from a CSPRNG, and a bounded key in the replay store. */
    public static final int MIN_NONCE = 16;
    public static final int MAX_NONCE = 128;

    private AgentCalls() {
    }

    /** What a request signature covers, for a request with these {@code fields} (content type and presentation when sent). */
    public static List<ComponentId> requestComponents(HttpFields fields) {
        List<ComponentId> c = new ArrayList<>(List.of(ComponentId.METHOD, ComponentId.TARGET_URI, ComponentId.field("content-digest")));
        if (fields.contains("content-type")) {
            c.add(ComponentId.field("content-type"));
        }
        if (fields.contains(PRESENTATION)) {
            c.add(ComponentId.field(PRESENTATION));
        }
        return c;
    }

    /**
     * What a response signature covers, for a response with these {@code fields} (content type, decision receipt and
     * presentation when sent), answering the request signature labelled {@code requestLabel}.
     */
    public static List<ComponentId> responseComponents(HttpFields fields, String requestLabel) {
        List<ComponentId> c = responseComponents(fields);
        c.add(ComponentId.field("signature").fromRequest().key(requestLabel));
        return c;
    }

    /** What a response signature covers when the request carried no signature to answer. */
    public static List<ComponentId> responseComponents(HttpFields fields) {
        List<ComponentId> c = new ArrayList<>(List.of(ComponentId.STATUS, ComponentId.field("content-digest")));
        for (String f : List.of("content-type", DECISION, PRESENTATION)) {
            if (fields.contains(f)) {
                c.add(ComponentId.field(f));
            }
        }
        return c;
    }

    /**
     * The signature on {@code message} made by an agent key: the first whose {@code keyid} is a DID URL.
     *
     * @throws ProblemException {@code SIGNATURE_MISSING} when the message carries no signature; {@code SIGNATURE_INVALID}
     *     when none names a DID URL key, or the signature fields are malformed
     */
    public static ReceivedSignature agentSignature(HttpMessage message) {
        List<ReceivedSignature> all;
        try {
            all = MessageSignatures.read(message);
        } catch (ProblemException e) {
            throw new ProblemException(ProblemType.SIGNATURE_INVALID, "the message's Signature-Input or Signature field is malformed: "
                    + e.problems().get(0).detail());
        }
        if (all.isEmpty()) {
            throw new ProblemException(ProblemType.SIGNATURE_MISSING, "sign the message (RFC 9421, Signature-Input and Signature) "
                    + "with your agent key, keyid its DID URL");
        }
        for (ReceivedSignature s : all) {
            if (s.parameters().keyid().flatMap(DidUrl::tryParse).filter(u -> u.fragment().isPresent()).isPresent()) {
                return s;
            }
        }
        throw new ProblemException(ProblemType.SIGNATURE_INVALID, "no signature names a DID URL keyid (did:…#key)");
    }

    /** The DID URL of {@code signature}'s key; call after {@link #agentSignature}. */
    public static DidUrl keyId(ReceivedSignature signature) {
        return DidUrl.parse(signature.parameters().keyid().orElseThrow());
    }

    /**
     * That {@code signature} covers every component in {@code required}.
     *
     * @throws ProblemException {@code SIGNATURE_INVALID} naming the first component not covered
     */
    public static void requireCovered(ReceivedSignature signature, List<ComponentId> required) {
        for (ComponentId c : required) {
            if (!signature.covers(c)) {
                throw new ProblemException(ProblemType.SIGNATURE_INVALID, "the signature must cover " + c.serialize());
            }
        }
    }

    /**
     * That a request signature is fresh: {@code created} no later than {@code now + skew} and no earlier than
     * {@link #MAX_LIFETIME} ago, {@code expires} after {@code now - skew} and at most {@link #MAX_LIFETIME} after
     * {@code created}, and a nonce of {@value #MIN_NONCE}-{@value #MAX_NONCE} characters.
     *
     * @return until when the nonce must be remembered
     * @throws ProblemException {@code SIGNATURE_EXPIRED}; {@code SIGNATURE_INVALID} for a missing parameter
     */
    public static Instant requireFresh(SignatureParameters p, Instant now, Duration skew) {
        Instant created = p.createdAt().orElseThrow(() -> new ProblemException(ProblemType.SIGNATURE_INVALID,
                "the signature has no 'created' parameter"));
        Instant expires = p.expiresAt().orElseThrow(() -> new ProblemException(ProblemType.SIGNATURE_INVALID,
                "the signature has no 'expires' parameter; sign for at most " + MAX_LIFETIME.toMinutes() + " minutes"));
        String nonce = p.nonce().orElseThrow(() -> new ProblemException(ProblemType.SIGNATURE_INVALID,
                "the signature has no 'nonce' parameter"));
        if (nonce.length() < MIN_NONCE || nonce.length() > MAX_NONCE) {
            throw new ProblemException(ProblemType.SIGNATURE_INVALID, "the nonce must be " + MIN_NONCE + " to " + MAX_NONCE + " characters");
        }
        if (created.isAfter(now.plus(skew))) {
            throw new ProblemException(ProblemType.SIGNATURE_EXPIRED, "the signature was created at " + created
                    + ", in the future; check the signer's clock");
        }
        if (created.isBefore(now.minus(MAX_LIFETIME).minus(skew))) {
            throw new ProblemException(ProblemType.SIGNATURE_EXPIRED, "the signature was created at " + created
                    + ", more than " + MAX_LIFETIME.toMinutes() + " minutes ago; sign each request when it is sent");
        }
        if (expires.isAfter(created.plus(MAX_LIFETIME))) {
            throw new ProblemException(ProblemType.SIGNATURE_EXPIRED, "the signature is valid for more than " + MAX_LIFETIME.toMinutes()
                    + " minutes; sign for less");
        }
        if (!expires.isAfter(now.minus(skew))) {
            throw new ProblemException(ProblemType.SIGNATURE_EXPIRED, "the signature expired at " + expires);
        }
        // accepted while now <= expires + skew and now <= created + MAX_LIFETIME + skew: remembered that long, no longer
        Instant lastAccepted = expires.isBefore(created.plus(MAX_LIFETIME)) ? expires : created.plus(MAX_LIFETIME);
        return lastAccepted.plus(skew);
    }
}
