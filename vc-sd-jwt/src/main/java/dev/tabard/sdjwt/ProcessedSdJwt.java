package dev.tabard.sdjwt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.VerificationKey;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An SD-JWT whose issuer signature verified and whose disclosures were all put back (RFC 9901 §7.1): the processed
 * payload, without {@code _sd}, {@code _sd_alg} or {@code ...} entries. Only {@link SdJwt#verify} makes one.
 */
public final class ProcessedSdJwt {

    private final Optional<String> typ;
    private final Optional<String> kid;
    private final VerificationKey issuerKey;
    private final ObjectNode claims;
    private final List<DisclosedClaim> disclosed;
    private final Optional<VerificationKey> holderKey;
    private final java.util.Set<ClaimPath> withheld;

    ProcessedSdJwt(Optional<String> typ, Optional<String> kid, VerificationKey issuerKey, ObjectNode claims,
                   List<DisclosedClaim> disclosed, java.util.Set<ClaimPath> withheld) {
        this.typ = Objects.requireNonNull(typ, "typ");
        this.kid = Objects.requireNonNull(kid, "kid");
        this.issuerKey = Objects.requireNonNull(issuerKey, "issuerKey");
        this.claims = claims;
        this.disclosed = List.copyOf(disclosed);
        this.holderKey = holderKey(claims);
        this.withheld = java.util.Set.copyOf(withheld);
    }

    private static Optional<VerificationKey> holderKey(ObjectNode claims) {
        JsonNode cnf = claims.get("cnf");
        if (cnf == null) {
            return Optional.empty();
        }
        JsonNode jwk = cnf.get("jwk");
        if (!cnf.isObject() || jwk == null) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "'cnf' must be an object with a 'jwk' (RFC 7800)");
        }
        try {
            return Optional.of(HolderKeys.fromJwk(jwk));
        } catch (ProblemException e) {
            throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "cnf.jwk: " + e.problem().detail());
        }
    }

    /** The issuer-signed JWT's {@code typ} header. */
    public Optional<String> typ() {
        return typ;
    }

    /** The issuer-signed JWT's {@code kid} header. */
    public Optional<String> kid() {
        return kid;
    }

    /** The key the issuer's signature verified with. */
    public VerificationKey issuerKey() {
        return issuerKey;
    }

    /** The processed payload, a deep copy: this object never hands out the tree it holds. */
    public ObjectNode claims() {
        return claims.deepCopy();
    }

    /** The processed payload as JSON text. */
    public String claimsJson() {
        return JsonCodec.writeString(claims);
    }

    /** Every disclosure presented, with the claim it revealed, in processing order. */
    public List<DisclosedClaim> disclosed() {
        return disclosed;
    }

    /** The claims revealed by a disclosure, in processing order. */
    public List<ClaimPath> disclosedPaths() {
        return disclosed.stream().map(DisclosedClaim::path).toList();
    }

    /**
     * The objects and arrays below the top level that list a digest no presented disclosure matched: something there
     * was withheld, or a decoy stands there (the two cannot be told apart, by design). A verifier that must know all of
     * an object — an agent's constraints before it acts — refuses when that object is listed.
     */
    public java.util.Set<ClaimPath> withheld() {
        return withheld;
    }

    /** The holder's key from {@code cnf.jwk}, which a key-binding JWT must be signed with. */
    public Optional<VerificationKey> holderKey() {
        return holderKey;
    }

    @Override
    public String toString() {
        return "ProcessedSdJwt[typ=" + typ.orElse("-") + ", kid=" + kid.orElse("-") + ", disclosed=" + disclosedPaths() + "]";
    }
}
