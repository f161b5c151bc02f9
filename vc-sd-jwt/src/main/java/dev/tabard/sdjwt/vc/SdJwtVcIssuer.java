package dev.tabard.sdjwt.vc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.Signer;
import dev.tabard.crypto.VerificationKey;
import dev.tabard.sdjwt.ClaimPath;
import dev.tabard.sdjwt.SdJwt;
import dev.tabard.sdjwt.SdJwtIssuer;
import dev.tabard.sdjwt.status.StatusReference;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Issues an SD-JWT VC (draft-ietf-oauth-sd-jwt-vc): {@code typ} {@code dc+sd-jwt}, the always-visible {@code iss},
 * {@code vct}, {@code iat}, {@code nbf}, {@code exp}, {@code cnf} and {@code status}, and the credential's own claims
 * with the paths the issuer chooses made selectively disclosable. A single-use builder.
 *
 * <pre>{@code
 * SdJwt vc = SdJwtVcIssuer.builder(orgKey).kid(orgDid + "#key-1").issuer(orgDid).vct(AgentSdJwtVc.VCT)
 *         .claims(AgentSdJwtVc.claims(agent)).disclosable(AgentSdJwtVc.PRIVATE_BY_DEFAULT)
 *         .holderKey(walletKey).issuedAt(now).expiresAt(now.plus(Duration.ofDays(30))).status(ref).issue();
 * }</pre>
 */
public final class SdJwtVcIssuer {

    /** Claims the draft (§3.2.2.2) says MUST NOT be selectively disclosable. */
    public static final Set<String> ALWAYS_VISIBLE = Set.of("iss", "nbf", "exp", "cnf", "vct", "vct#integrity", "status");

    private final Signer signer;
    private String kid;
    private String issuer;
    private String vct;
    private ObjectNode claims = JsonCodec.objectNode();
    private final Set<ClaimPath> disclosable = new LinkedHashSet<>();
    private Optional<VerificationKey> holderKey = Optional.empty();
    private Instant issuedAt;
    private Optional<Instant> notBefore = Optional.empty();
    private Optional<Instant> expiresAt = Optional.empty();
    private Optional<StatusReference> status = Optional.empty();
    private int decoys;
    private SecureRandom random;

    private SdJwtVcIssuer(Signer signer) {
        this.signer = Objects.requireNonNull(signer, "signer");
    }

    public static SdJwtVcIssuer builder(Signer signer) {
        return new SdJwtVcIssuer(signer);
    }

    /** The DID URL of the issuer's verification method, listed for {@code assertionMethod}. */
    public SdJwtVcIssuer kid(String kid) {
        this.kid = Objects.requireNonNull(kid, "kid");
        return this;
    }

    /** {@code iss}: the issuer's DID. */
    public SdJwtVcIssuer issuer(String issuer) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        return this;
    }

    public SdJwtVcIssuer vct(String vct) {
        this.vct = Objects.requireNonNull(vct, "vct");
        return this;
    }

    /** The credential's claims (copied); the registered claims above are set by their own methods. */
    public SdJwtVcIssuer claims(ObjectNode claims) {
        this.claims = Objects.requireNonNull(claims, "claims").deepCopy();
        return this;
    }

    public SdJwtVcIssuer disclosable(ClaimPath... paths) {
        return disclosable(List.of(paths));
    }

    /** Makes these claims selectively disclosable; none may be one of {@link #ALWAYS_VISIBLE}. */
    public SdJwtVcIssuer disclosable(Iterable<ClaimPath> paths) {
        for (ClaimPath p : paths) {
            if (p.segments().size() == 1 && ALWAYS_VISIBLE.contains((String) p.segments().get(0))) {
                throw new IllegalArgumentException(p + " must not be selectively disclosable in an SD-JWT VC");
            }
            disclosable.add(p);
        }
        return this;
    }

    public SdJwtVcIssuer holderKey(VerificationKey key) {
        this.holderKey = Optional.of(Objects.requireNonNull(key, "key"));
        return this;
    }

    public SdJwtVcIssuer issuedAt(Instant iat) {
        this.issuedAt = Objects.requireNonNull(iat, "iat");
        return this;
    }

    public SdJwtVcIssuer notBefore(Instant nbf) {
        this.notBefore = Optional.of(Objects.requireNonNull(nbf, "nbf"));
        return this;
    }

    public SdJwtVcIssuer expiresAt(Instant exp) {
        this.expiresAt = Optional.of(Objects.requireNonNull(exp, "exp"));
        return this;
    }

    /** {@code status}: the entry of the issuer's Token Status List that holds this credential's status. */
    public SdJwtVcIssuer status(StatusReference status) {
        this.status = Optional.of(Objects.requireNonNull(status, "status"));
        return this;
    }

    public SdJwtVcIssuer decoys(int count) {
        this.decoys = count;
        return this;
    }

    public SdJwtVcIssuer random(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
        return this;
    }

    /** Signs the SD-JWT VC with all its disclosures, for the holder. */
    public SdJwt issue() {
        if (kid == null || issuer == null || vct == null || issuedAt == null) {
            throw new IllegalStateException("kid, issuer, vct and issuedAt are required");
        }
        ObjectNode c = claims.deepCopy();
        for (String reserved : ALWAYS_VISIBLE) {
            if (c.has(reserved)) {
                throw new IllegalArgumentException("'" + reserved + "' is set by the issuer's own method, not in claims");
            }
        }
        c.put("iss", issuer);
        c.put("vct", vct);
        c.put("iat", issuedAt.getEpochSecond());
        notBefore.ifPresent(t -> c.put("nbf", t.getEpochSecond()));
        expiresAt.ifPresent(t -> c.put("exp", t.getEpochSecond()));
        status.ifPresent(s -> c.set("status", s.toJson()));
        SdJwtIssuer b = SdJwtIssuer.builder(signer).kid(kid).typ(SdJwtVc.TYP).claims(c).disclosable(disclosable).decoys(decoys);
        holderKey.ifPresent(b::holderKey);
        if (random != null) {
            b.random(random);
        }
        return b.issue();
    }
}
