package dev.tabard.wallet;

import dev.tabard.verifier.AgentIdentity;
import dev.tabard.verifier.VerificationResult;
import java.util.Objects;
import java.util.Optional;

/**
 * A row of the wallet file and what verifying it just now found. Only {@link #verified()} rows say anything about the
 * agent, and what they say comes from the signed credential ({@link #agent()}), never from the row's own columns.
 *
 * @param rowId the row's id column as stored: untrusted text, for reports only
 * @param result the verification of the row's token, failed also when the credential is for another DID or when
 *     the row's columns contradict it
 */
public record CheckedCredential(String rowId, VerificationResult result) {

    public CheckedCredential {
        Objects.requireNonNull(rowId, "rowId");
        Objects.requireNonNull(result, "result");
    }

    public boolean verified() {
        return result.verified();
    }

    /** The agent the signed credential describes; present only when it verified. */
    public Optional<AgentIdentity> agent() {
        return result.agent();
    }
}
