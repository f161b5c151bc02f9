package dev.tabard.sdjwt.vc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.did.Did;
import dev.tabard.sdjwt.ClaimPath;
import dev.tabard.sdjwt.ProcessedSdJwt;
import dev.tabard.sdjwt.status.StatusReference;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An SD-JWT VC presentation whose issuer signature, disclosures, dates and (when present or required) key binding
 * verified. Its status is not yet checked: {@link #status()} says where to look. Only {@link SdJwtVcVerifier} makes one.
 */
public final class VerifiedSdJwtVc {

    private final String issuer;
    private final Optional<Did> issuerDid;
    private final String vct;
    private final ProcessedSdJwt processed;
    private final Optional<Instant> issuedAt;
    private final Optional<Instant> expiresAt;
    private final Optional<StatusReference> status;
    private final boolean keyBound;

    VerifiedSdJwtVc(String issuer, Optional<Did> issuerDid, String vct, ProcessedSdJwt processed, Optional<Instant> issuedAt, Optional<Instant> expiresAt,
                    Optional<StatusReference> status, boolean keyBound) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.issuerDid = Objects.requireNonNull(issuerDid, "issuerDid");
        this.vct = Objects.requireNonNull(vct, "vct");
        this.processed = Objects.requireNonNull(processed, "processed");
        this.issuedAt = issuedAt;
        this.expiresAt = expiresAt;
        this.status = status;
        this.keyBound = keyBound;
    }

    /** {@code iss}: the DID or https URL whose key signed it. */
    public String issuer() {
        return issuer;
    }

    /** {@code iss} when it is a DID; empty for an issuer named by an https URL (keys from its JWT VC Issuer Metadata). */
    public Optional<Did> issuerDid() {
        return issuerDid;
    }

    public String vct() {
        return vct;
    }

    /** The processed claims, a fresh copy: undisclosed claims are absent. */
    public ObjectNode claims() {
        return processed.claims();
    }

    /** The claims the holder chose to disclose. */
    public List<ClaimPath> disclosedPaths() {
        return processed.disclosedPaths();
    }

    public ProcessedSdJwt processed() {
        return processed;
    }

    public Optional<Instant> issuedAt() {
        return issuedAt;
    }

    public Optional<Instant> expiresAt() {
        return expiresAt;
    }

    /** Where the credential's status is held, when it has one. */
    public Optional<StatusReference> status() {
        return status;
    }

    /** Whether a key-binding JWT by the {@code cnf} key verified for the expected audience and nonce. */
    public boolean keyBound() {
        return keyBound;
    }

    @Override
    public String toString() {
        return "VerifiedSdJwtVc[iss=" + issuer + ", vct=" + vct + ", disclosed=" + disclosedPaths() + ", keyBound=" + keyBound + "]";
    }
}
