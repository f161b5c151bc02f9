package dev.tabard.problem;

import java.net.URI;

/**
 * Every kind of failure Tabard reports, spelled as the W3C specs spell it.
 *
 * <p>The machine-readable code is the type URI: VC DM 2.0 dropped its integer codes (w3c/vc-data-model
 * commit 92d607d), so none are emitted. Each constant carries the HTTP status an endpoint answers with.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9457">RFC 9457</a>
 */
public enum ProblemType {
    // VC Data Model 2.0 §7.1
    PARSING_ERROR(Family.VC_DATA_MODEL, "Parsing error", 400),
    CRYPTOGRAPHIC_SECURITY_ERROR(Family.VC_DATA_MODEL, "Cryptographic security error", 400),
    MALFORMED_VALUE_ERROR(Family.VC_DATA_MODEL, "Malformed value", 400),
    RANGE_ERROR(Family.VC_DATA_MODEL, "Range error", 400),

    // VC Data Integrity §2.4
    PROOF_GENERATION_ERROR(Family.SECURITY, "Proof generation error", 400),
    PROOF_VERIFICATION_ERROR(Family.SECURITY, "Proof verification error", 400),
    PROOF_TRANSFORMATION_ERROR(Family.SECURITY, "Proof transformation error", 400),
    INVALID_DOMAIN_ERROR(Family.SECURITY, "Invalid domain", 400),
    INVALID_CHALLENGE_ERROR(Family.SECURITY, "Invalid challenge", 400),
    DATA_LOSS_DETECTION_ERROR(Family.SECURITY, "Data loss detected", 400),

    // Controlled Identifiers 1.0 §3.4
    INVALID_VERIFICATION_METHOD_URL(Family.SECURITY, "Invalid verification method URL", 400),
    INVALID_CONTROLLED_IDENTIFIER_DOCUMENT_ID(Family.SECURITY, "Invalid controlled identifier document id", 400),
    INVALID_CONTROLLED_IDENTIFIER_DOCUMENT(Family.SECURITY, "Invalid controlled identifier document", 400),
    INVALID_VERIFICATION_METHOD(Family.SECURITY, "Invalid verification method", 400),
    INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD(Family.SECURITY, "Invalid relationship for verification method", 400),

    // Bitstring Status List 1.0 §3.6
    STATUS_RETRIEVAL_ERROR(Family.STATUS_LIST, "Status list retrieval error", 400),
    STATUS_VERIFICATION_ERROR(Family.STATUS_LIST, "Status list verification error", 400),
    STATUS_LIST_LENGTH_ERROR(Family.STATUS_LIST, "Status list length error", 400),

    // DID Resolution (CR 2026) §10; HTTP statuses from its HTTPS binding
    INVALID_DID(Family.DID_RESOLUTION, "Invalid DID", 400),
    INVALID_DID_URL(Family.DID_RESOLUTION, "Invalid DID URL", 400),
    INVALID_OPTIONS(Family.DID_RESOLUTION, "Invalid resolution options", 400),
    /** A DID resolution found no document; only a resolver raises it (an unknown endpoint is {@link #ROUTE_NOT_FOUND}). */
    NOT_FOUND(Family.DID_RESOLUTION, "DID not found", 404),
    REPRESENTATION_NOT_SUPPORTED(Family.DID_RESOLUTION, "Representation not supported", 406),
    METHOD_NOT_SUPPORTED(Family.DID_RESOLUTION, "DID method not supported", 501),
    INVALID_DID_DOCUMENT(Family.DID_RESOLUTION, "Invalid DID document", 500),
    /** An unexpected failure anywhere, not only in resolution: the answer names an {@link Incident}, never the exception. */
    INTERNAL_ERROR(Family.DID_RESOLUTION, "Internal error", 500),

    // Tabard's own
    CREDENTIAL_EXPIRED(Family.TABARD, "Credential expired", 400),
    CREDENTIAL_NOT_YET_VALID(Family.TABARD, "Credential not yet valid", 400),
    CREDENTIAL_REVOKED(Family.TABARD, "Credential revoked", 400),
    CREDENTIAL_SUSPENDED(Family.TABARD, "Credential suspended", 400),
    UNTRUSTED_ISSUER(Family.TABARD, "Untrusted issuer", 400),
    MISSING_CAPABILITY(Family.TABARD, "Missing capability", 400),
    HOLDER_MISMATCH(Family.TABARD, "Holder mismatch", 400),
    PRESENTATION_REPLAYED(Family.TABARD, "Presentation replayed", 400),
    ALGORITHM_NOT_ALLOWED(Family.TABARD, "Algorithm not allowed", 400),
    INPUT_TOO_LARGE(Family.TABARD, "Input too large", 413),
    LIMIT_EXCEEDED(Family.TABARD, "Limit exceeded", 400),
    UNAUTHORIZED(Family.TABARD, "Unauthorized", 401),
    FORBIDDEN(Family.TABARD, "Forbidden", 403),
    SERVICE_UNAVAILABLE(Family.TABARD, "Service unavailable", 503),
    FETCH_REFUSED(Family.TABARD, "Retrieval refused by policy", 400),
    FETCH_FAILED(Family.TABARD, "Retrieval failed", 502),
    /** No endpoint at this path (distinct from a DID that was not found). */
    ROUTE_NOT_FOUND(Family.TABARD, "No such endpoint", 404),
    /**
     * The endpoint exists, but nothing is stored under the id its path names (a status list, a registered agent, a
     * key, an issued credential). Not {@link #NOT_FOUND}, which says a DID resolution found no document.
     */
    RESOURCE_NOT_FOUND(Family.TABARD, "No such resource", 404),
    /** The path exists, but not for this HTTP method; the response carries {@code Allow}. */
    METHOD_NOT_ALLOWED(Family.TABARD, "Method not allowed", 405),
    /** The body is not of a media type the endpoint reads (JSON endpoints read {@code application/json}). */
    UNSUPPORTED_MEDIA_TYPE(Family.TABARD, "Unsupported media type", 415),
    /** The client took longer than the server allows to send the request line, headers or body. */
    REQUEST_TIMEOUT(Family.TABARD, "Request timeout", 408),
    /** One client sent more requests to a rate-limited endpoint than its budget; the response carries {@code Retry-After}. */
    RATE_LIMITED(Family.TABARD, "Rate limited", 429),
    /** One client holds as many open challenges, nonces or connections as one client may hold. */
    CLIENT_LIMIT_EXCEEDED(Family.TABARD, "Per-client limit exceeded", 429),
    /** The issuer refuses to sign what its registry does not grant: an unknown or inactive agent, or more authority than granted. */
    NOT_GRANTED(Family.TABARD, "Not granted by the registry", 403),
    /** A presentation or credential lives longer than this verifier accepts. */
    LIFETIME_TOO_LONG(Family.TABARD, "Lifetime too long", 400),
    /**
     * The shared store where verifiers remember presentations and issued challenges (Redis) did not answer, so a
     * replay could not be ruled out: the presentation is refused, not accepted unchecked. The response carries
     * {@code Retry-After}; the verifier reconnects by itself once the store answers again.
     */
    REPLAY_STORE_UNAVAILABLE(Family.TABARD, "Replay store unavailable", 503),

    // Delegation chains: each way a chain can lie has its own type, and its pointer names the link
    /** The organization's AgentCredential (or a link) does not allow its subject to delegate. */
    DELEGATION_NOT_ALLOWED(Family.TABARD, "Delegation not allowed", 400),
    /** A link grants a capability its parent does not hold. */
    CAPABILITY_WIDENED(Family.TABARD, "Capability widened", 400),
    /** A link's constraint is looser than its parent's (a higher limit, another currency, more regions). */
    CONSTRAINT_LOOSENED(Family.TABARD, "Constraint loosened", 400),
    /** A chain carries a constraint, or a constraint parameter, this verifier cannot enforce: it fails closed. */
    UNKNOWN_CONSTRAINT(Family.TABARD, "Unknown constraint", 400),
    /** A link delegates further than its parent's remaining depth allows. */
    DELEGATION_DEPTH_EXCEEDED(Family.TABARD, "Delegation depth exceeded", 400),
    /** A link is valid after its parent stops being valid. */
    LINK_OUTLIVES_PARENT(Family.TABARD, "Link outlives its parent", 400),
    /** A link is not issued by the subject of the credential it derives from. */
    LINK_ISSUER_MISMATCH(Family.TABARD, "Link issuer is not the parent's subject", 400),
    /** A link's parent reference (id or digest) does not match the credential before it: it was moved. */
    LINK_PARENT_MISMATCH(Family.TABARD, "Link parent mismatch", 400),
    /** An agent appears twice on one delegation path. */
    DELEGATION_CYCLE(Family.TABARD, "Delegation cycle", 400),
    /** A chain has more links than a verifier walks. */
    CHAIN_TOO_LONG(Family.TABARD, "Delegation chain too long", 400),
    /** An action exceeds a constraint of the authority presented; the pointer names the link that set it. */
    CONSTRAINT_VIOLATED(Family.TABARD, "Constraint violated", 400),
    /** Something with this id is already registered: a registration is made once. */
    ALREADY_REGISTERED(Family.TABARD, "Already registered", 409),

    // Agent-to-agent calls (RFC 9421 message signatures at a gate)
    /** A call to a gate carries no message signature by an agent key: sign it (RFC 9421) with the wallet's key. */
    SIGNATURE_MISSING(Family.TABARD, "Message not signed", 401),
    /** A message signature does not verify, does not cover what it must, or its content digest does not match the body. */
    SIGNATURE_INVALID(Family.TABARD, "Message signature invalid", 401),
    /** A message signature was created too long ago, in the future, or has expired. */
    SIGNATURE_EXPIRED(Family.TABARD, "Message signature outside its time window", 401),
    /** A message signature's nonce was seen before: the message was replayed. */
    NONCE_REPLAYED(Family.TABARD, "Nonce replayed", 401),
    /** The signing key is not bound to a verified credential here yet: send the presentation with the call. */
    PRESENTATION_REQUIRED(Family.TABARD, "Presentation required", 401),
    /** The caller's authority (its credential or delegation chain) does not allow what the call asks. */
    ACTION_FORBIDDEN(Family.TABARD, "Action forbidden", 403),
    /** The caller was paused after repeated refused or failed calls; the response carries {@code Retry-After}. */
    AGENT_PAUSED(Family.TABARD, "Agent paused", 503),
    /** The service behind a gate did not answer, or answered with something the gate cannot pass on. */
    UPSTREAM_FAILED(Family.TABARD, "Upstream failed", 502),

    // SD-JWT (RFC 9901) and SD-JWT VC
    /**
     * An SD-JWT disclosure is malformed, not referenced by any digest (orphan), presented twice, referenced twice, or
     * would overwrite a claim or use a reserved name ({@code _sd}, {@code ...}).
     */
    SD_JWT_DISCLOSURE_INVALID(Family.TABARD, "SD-JWT disclosure invalid", 400),
    /** The verifier requires key binding and the SD-JWT presentation carries no key-binding JWT. */
    KEY_BINDING_MISSING(Family.TABARD, "Key binding missing", 400),
    /**
     * A key-binding JWT is malformed, not signed by the credential's {@code cnf} key, outside its time window, or its
     * {@code sd_hash} does not cover the presented SD-JWT (a wrong nonce is {@link #INVALID_CHALLENGE_ERROR}, a wrong
     * audience {@link #INVALID_DOMAIN_ERROR}).
     */
    KEY_BINDING_INVALID(Family.TABARD, "Key binding invalid", 400);

    /** The type-URI namespaces of the specs the constants come from. */
    enum Family {
        VC_DATA_MODEL("https://www.w3.org/TR/vc-data-model#"),
        SECURITY("https://w3id.org/security#"),
        STATUS_LIST("https://www.w3.org/ns/credentials/status-list#"),
        DID_RESOLUTION("https://www.w3.org/ns/did#"),
        TABARD("https://w3id.org/tabard/problems#");

        final String prefix;

        Family(String prefix) {
            this.prefix = prefix;
        }
    }

    private final URI type;
    private final String title;
    private final int status;

    ProblemType(Family family, String title, int status) {
        this.type = URI.create(family.prefix + name());
        this.title = title;
        this.status = status;
    }

    /** The RFC 9457 {@code type} URI; the stable machine-readable code. */
    public URI type() {
        return type;
    }

    /** A short, human-readable summary that does not change from occurrence to occurrence. */
    public String title() {
        return title;
    }

    /** The HTTP status an endpoint answers with. */
    public int status() {
        return status;
    }

    /** The spec's token, e.g. {@code PARSING_ERROR}. */
    public String code() {
        return name();
    }

    /**
     * Maps DID Core 1.0's camelCase resolution error keywords to their DID Resolution successors.
     *
     * @return the constant, or empty for an unknown keyword
     */
    public static java.util.Optional<ProblemType> fromLegacyDidError(String keyword) {
        java.util.Objects.requireNonNull(keyword, "keyword");
        switch (keyword) {
            case "invalidDid": return java.util.Optional.of(INVALID_DID);
            case "invalidDidUrl": return java.util.Optional.of(INVALID_DID_URL);
            case "notFound": return java.util.Optional.of(NOT_FOUND);
            case "representationNotSupported": return java.util.Optional.of(REPRESENTATION_NOT_SUPPORTED);
            case "methodNotSupported": return java.util.Optional.of(METHOD_NOT_SUPPORTED);
            case "invalidDidDocument": return java.util.Optional.of(INVALID_DID_DOCUMENT);
            case "internalError": return java.util.Optional.of(INTERNAL_ERROR);
            default: return java.util.Optional.empty();
        }
    }

    /** Finds the constant whose type URI or code is {@code typeOrCode}. */
    public static java.util.Optional<ProblemType> fromType(String typeOrCode) {
        java.util.Objects.requireNonNull(typeOrCode, "typeOrCode");
        for (ProblemType t : values()) {
            if (t.type.toString().equals(typeOrCode) || t.name().equals(typeOrCode)) {
                return java.util.Optional.of(t);
            }
        }
        return fromLegacyDidError(typeOrCode);
    }
}
