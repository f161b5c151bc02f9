package dev.tabard.sdjwt.status;

import dev.tabard.problem.ProblemType;
import java.util.Optional;

/** The status values draft-ietf-oauth-status-list §7 registers, and what each means to a verifier. */
public enum TokenStatus {
    /** 0x00: the token is valid. */
    VALID,
    /** 0x01: revoked, for good. */
    INVALID,
    /** 0x02: suspended, may become valid again. */
    SUSPENDED,
    /** 0x03 (application-specific) and every unregistered value: not understood, so not accepted. */
    OTHER;

    /** The status a list entry holds. */
    public static TokenStatus of(int value) {
        switch (value) {
            case 0: return VALID;
            case 1: return INVALID;
            case 2: return SUSPENDED;
            default: return OTHER;
        }
    }

    /** The problem a verifier reports for this status; empty for VALID. */
    public Optional<ProblemType> problem() {
        switch (this) {
            case VALID: return Optional.empty();
            case INVALID: return Optional.of(ProblemType.CREDENTIAL_REVOKED);
            case SUSPENDED: return Optional.of(ProblemType.CREDENTIAL_SUSPENDED);
            default: return Optional.of(ProblemType.STATUS_VERIFICATION_ERROR);
        }
    }
}
