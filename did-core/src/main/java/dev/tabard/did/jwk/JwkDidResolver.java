package dev.tabard.did.jwk;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.Base64Url;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.VerificationKey;
import dev.tabard.did.Did;
import dev.tabard.did.DidDocument;
import dev.tabard.did.DidDocumentBuilder;
import dev.tabard.did.DidResolver;
import dev.tabard.did.Relationship;
import dev.tabard.did.ResolutionResult;
import dev.tabard.did.VerificationMethod;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.time.Clock;
import java.util.Objects;

/**
 * did:jwk (https://github.com/quartzjer/did-jwk): the method-specific id is the base64url of a public JWK.
 * The document has one {@code JsonWebKey} method {@code did#0}, listed for every relationship but key
 * agreement: Tabard keys sign and never encrypt, so a JWK whose {@code use} or {@code key_ops} forbids
 * signing is refused like any other unusable key.
 */
public final class JwkDidResolver implements DidResolver {

    public static final String METHOD = "jwk";

    private final Clock clock;

    public JwkDidResolver() {
        this(Clock.systemUTC());
    }

    public JwkDidResolver(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The did:jwk for a key: base64url of its RFC 7638-ordered public JWK. */
    public static Did of(VerificationKey key) {
        ObjectNode jwk = JsonCodec.objectNode();
        key.toJwk().forEach(jwk::put);
        return new Did(METHOD, Base64Url.encode(JsonCodec.write(jwk)));
    }

    @Override
    public boolean supports(String method) {
        return METHOD.equals(method);
    }

    @Override
    public ResolutionResult resolve(Did did) {
        return new ResolutionResult(document(did), ResolutionResult.Metadata.local(clock.instant()));
    }

    /**
     * @throws ProblemException {@code INVALID_DID} when the id is not base64url of a JSON object, or the JWK
     *     is not a valid public key of a type Tabard uses (private members are refused)
     */
    public static DidDocument document(Did did) {
        Objects.requireNonNull(did, "did");
        if (!did.method().equals(METHOD)) {
            throw new ProblemException(ProblemType.INVALID_DID, did + " is not a did:jwk");
        }
        ObjectNode jwk;
        VerificationKey key;
        try {
            jwk = JsonCodec.parseObject(Base64Url.decode(did.methodSpecificId()));
            key = VerificationKey.fromJwk(jwk);
        } catch (ProblemException e) {
            throw new ProblemException(ProblemType.INVALID_DID, "did:jwk: " + e.problem().detail());
        }
        VerificationMethod vm = new VerificationMethod(did.withFragment("0"), did, key, VerificationMethod.JSON_WEB_KEY);
        return DidDocumentBuilder.forDid(did).method(vm, Relationship.ASSERTION_METHOD, Relationship.AUTHENTICATION,
                Relationship.CAPABILITY_INVOCATION, Relationship.CAPABILITY_DELEGATION).build();
    }
}
